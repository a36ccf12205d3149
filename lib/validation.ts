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
      const length = codePoints(normalised);
      if (length < min) return helpers.error("string.min", { limit: min });
      if (length > max) return helpers.error("string.max", { limit: max });
      return normalised;
    })
    .messages({ "string.controlCharacters": "{{#label}} must not contain control characters" });

/** Characters (code points) in `text`: UTF-16 units less the surrogate pairs, without an array. */
function codePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) pairs += 1;
  }
  return text.length - pairs;
}

/**
 * Bidirectional controls and invisible format characters (zero-width space, word joiner,
 * invisible operators, BOM, soft hyphen…): in a name they disguise who or what it is.
 * Zero-width (non-)joiners stay: scripts and emoji sequences need them.
 */
const DISGUISING_CHARACTERS =
  /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u;

/** A name people see (display name, conversation name): `text`, without disguising characters. */
export const nameText = (min: number, max: number): Joi.StringSchema =>
  text(min, max)
    .custom((value: string, helpers) =>
      DISGUISING_CHARACTERS.test(value) ? helpers.error("string.disguising") : value,
    )
    .messages({
      "string.disguising":
        "{{#label}} must not contain bidirectional controls or invisible format characters",
    });

export const uuid = (): Joi.StringSchema => Joi.string().guid();

/** A date PostgreSQL can store (`timestamptz`): ISO 8601, years 1 to 9999. */
export const isoDate = (): Joi.DateSchema =>
  Joi.date().iso().min("0001-01-01T00:00:00Z").max("9999-12-31T23:59:59.999Z");

/** How deeply a JSON value (metadata) may nest. */
export const MAX_JSON_DEPTH = 16;

/** Keys that reach an object's prototype when a client merges the value naively. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** A NUL (which PostgreSQL's jsonb refuses) or a lone surrogate (not UTF-8 at all). */
const UNSTORABLE_TEXT = /\u0000|\p{Cs}/u;

/**
 * The first problem of a JSON value, walked without recursion (a deep value must not blow
 * the stack): too deep, a prototype key, or a string or key that cannot be stored.
 */
function jsonProblem(root: unknown): "depth" | "key" | "text" | undefined {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === "string" && UNSTORABLE_TEXT.test(value)) return "text";
    if (!value || typeof value !== "object") continue;
    if (depth > MAX_JSON_DEPTH) return "depth";
    for (const [key, child] of Object.entries(value)) {
      if (PROTOTYPE_KEYS.has(key)) return "key";
      if (UNSTORABLE_TEXT.test(key)) return "text";
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

/**
 * A JSON object of at most `maxBytes` once serialised, nesting at most MAX_JSON_DEPTH
 * levels, without `__proto__` / `constructor` / `prototype` keys, NUL or lone surrogates.
 */
export const jsonObject = (maxBytes: number): Joi.ObjectSchema =>
  Joi.object()
    .unknown(true)
    .custom((value: object, helpers) => {
      const problem = jsonProblem(value);
      if (problem) return helpers.error(`object.${problem}`, { limit: MAX_JSON_DEPTH });
      return Buffer.byteLength(JSON.stringify(value)) > maxBytes
        ? helpers.error("object.tooLarge", { limit: maxBytes })
        : value;
    })
    .messages({
      "object.tooLarge": "{{#label}} must be at most {{#limit}} bytes of JSON",
      "object.depth": "{{#label}} must nest at most {{#limit}} levels deep",
      "object.key": "{{#label}} must not use the keys __proto__, constructor or prototype",
      "object.text": "{{#label}} must not contain NUL characters or lone surrogates",
    });

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
