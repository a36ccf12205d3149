import { v7 as uuidv7, validate, version } from "uuid";

/** A new time-ordered (v7) UUID. */
export const newId = (): string => uuidv7();

/** True for any well-formed UUID string (ids from other systems may be v4). */
export const isUuid = (value: unknown): value is string =>
  typeof value === "string" && validate(value);

export const uuidVersion = (value: string): number => version(value);
