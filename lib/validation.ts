import Joi from "joi";
import { AppError } from "./errors";

/**
 * Validates with joi (unknown keys refused, all problems reported) and returns the
 * converted value.
 * @throws AppError validation_error whose details name each bad field
 */
const PREFERENCES = { abortEarly: false, stripUnknown: false, convert: true };

/** Each schema with the preferences applied once: joi merges options passed per call every time. */
const prepared = new WeakMap<Joi.Schema, Joi.Schema>();

export function validate<T>(schema: Joi.Schema<T>, value: unknown): T {
  let withPreferences = prepared.get(schema) as Joi.Schema<T> | undefined;
  if (!withPreferences) prepared.set(schema, (withPreferences = schema.prefs(PREFERENCES)));
  const result = withPreferences.validate(value);
  if (result.error) {
    const details = result.error.details.map((detail) => ({
      field: detail.path.join(".") || "(body)",
      message: detail.message.replace(/"/g, ""),
    }));
    throw new AppError("validation_error", details.map((d) => d.message).join("; "), { details });
  }
  return result.value as T;
}

/** Unicode controls other than tab and newline (C0, DEL, C1) and lone surrogates. */
const FORBIDDEN_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|\p{Cs}/u;

/**
 * User-visible text: NFC-normalised, trimmed, no control characters but newline and tab.
 */
export const text = (min: number, max: number): Joi.StringSchema =>
  Joi.string()
    .custom((value: string, helpers) => {
      const normalised = value.replace(/\r\n?/g, "\n").normalize("NFC").trim();
      if (FORBIDDEN_CHARACTERS.test(normalised)) return helpers.error("string.controlCharacters");
      if ([...normalised].length < min) return helpers.error("string.min", { limit: min });
      if ([...normalised].length > max) return helpers.error("string.max", { limit: max });
      return normalised;
    })
    .messages({ "string.controlCharacters": "{{#label}} must not contain control characters" });

export const uuid = (): Joi.StringSchema => Joi.string().guid();

/** A JSON object of at most `maxBytes` once serialised. */
export const jsonObject = (maxBytes: number): Joi.ObjectSchema =>
  Joi.object()
    .unknown(true)
    .custom((value: object, helpers) =>
      Buffer.byteLength(JSON.stringify(value)) > maxBytes
        ? helpers.error("object.tooLarge", { limit: maxBytes })
        : value,
    )
    .messages({ "object.tooLarge": "{{#label}} must be at most {{#limit}} bytes of JSON" });

/** `?limit=&cursor=` of every list. */
export const pageQuery = {
  limit: Joi.number().integer().min(1).max(100).default(50),
  cursor: Joi.string().max(512),
};

/** Cursors are opaque to clients: base64url JSON of the sort key. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor<T>(
  cursor: string | undefined,
  check: (value: unknown) => boolean,
): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (check(value)) return value as T;
  } catch {
    // fall through to the validation error
  }
  throw new AppError("validation_error", "cursor is not valid", {
    details: [{ field: "cursor", message: "cursor is not valid" }],
  });
}

/** A page of a list, as every list endpoint returns it. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
