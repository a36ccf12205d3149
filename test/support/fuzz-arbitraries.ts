import zlib from "node:zlib";
import fc from "fast-check";

type Json = Record<string, any>;

/** Ids that exist, so that generated requests also reach the handlers past their 404s. */
export interface KnownIds {
  users: string[];
  conversations: string[];
  messages: string[];
  files: string[];
}

/** One generated request. */
export interface FuzzRequest {
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const cursorOf = (value: unknown): string =>
  Buffer.from(JSON.stringify(value) ?? "null").toString("base64url");

/** Strings that broke something somewhere: NUL, lone surrogates, dates PostgreSQL refuses… */
const HOSTILE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\u202eevil\u202c",
  "\u200b",
  "__proto__",
  "constructor",
  "275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00Z",
  "2020-02-30",
  "0000-01-01",
  "9999-12-31T23:59:59.999999Z",
  "1e308",
  "-1",
  "NaN",
  "Infinity",
  "p",
  "p0",
  "pzzzzzzzzzzzz",
  "' OR '1'='1",
  "%",
  "%zz",
  "../../etc/passwd",
  "💥".repeat(300),
  "x".repeat(5000),
  cursorOf({ r: 1, t: "2020-02-30T00:00:00.000000Z", i: "00000000-0000-4000-8000-000000000000" }),
  cursorOf({ r: 1e300, t: "1", i: "x" }),
  cursorOf({ s: -1, d: "asc" }),
  cursorOf({ s: 2 ** 60, d: "desc" }),
  cursorOf({ t: -8.64e15, k: 0, i: "00000000-0000-4000-8000-000000000000" }),
  cursorOf({ u: "\u0000" }),
  cursorOf([]),
];

const hostileNumber = fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.5, -1, 2 ** 31, 1e-320);

/** Nested arrays or objects, deeper than any sane payload. */
const deep = fc.integer({ min: 17, max: 4000 }).map((depth) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
});

const hugeArray = fc.constantFrom(
  Array.from({ length: 5000 }, () => "00000000-0000-4000-8000-000000000000"),
  Array.from({ length: 40000 }, (_, i) => i),
);

/** Any value of a wrong type or shape. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
  hostileNumber,
  fc.constantFrom(null, true, false, {}, [], { __proto__: { admin: true } }),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  deep,
  hugeArray,
);

/** A value for a JSON-schema node: mostly right-typed, often hostile. */
export function valueFor(
  schema: Json | undefined,
  ids: KnownIds,
  name = "",
): fc.Arbitrary<unknown> {
  const node = schema ?? {};
  const typed: fc.Arbitrary<unknown>[] = [];
  if (node.enum) typed.push(fc.constantFrom(...(node.enum as unknown[])));
  if (node.type === "string" && (node.format === "uuid" || /id$/.test(name))) {
    const known = [...ids.users, ...ids.conversations, ...ids.messages, ...ids.files];
    typed.push(fc.constantFrom(...known), fc.uuid());
  } else if (node.type === "string" && node.format === "date-time") {
    typed.push(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()));
  } else if (node.type === "string") {
    typed.push(fc.string({ maxLength: node.maxLength ?? 40 }));
  } else if (node.type === "integer") {
    typed.push(fc.integer({ min: node.minimum ?? -10, max: node.maximum ?? 1000 }));
  } else if (node.type === "array") {
    typed.push(fc.array(valueFor(node.items, ids), { maxLength: 4 }));
  } else if (node.type === "object") {
    typed.push(objectFor(node, ids), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })));
  }
  return typed.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...typed) }, hostile) : hostile;
}

function objectFor(schema: Json, ids: KnownIds): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries<Json>(schema.properties ?? {});
  const entries = properties.map(([name, child]) => [name, valueFor(child, ids, name)] as const);
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

/** A path parameter: a known id, any uuid, or hostile text (raw, unencodable or misencoded). */
export function pathValue(name: string, ids: KnownIds): fc.Arbitrary<string> {
  const known: Record<string, string[]> = {
    userId: ids.users,
    id: [...ids.conversations, ...ids.messages, ...ids.files, ...ids.users],
  };
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(known[name] ?? known.id)) },
    fc.uuid(),
    fc.constantFrom("👍", "%F0%9F%91%8D", ":tada:", "%", "%zz", "%ED%A0%80", "%00", "."),
    fc.string({ unit: "binary", maxLength: 30 }).map(encodeLenient),
  );
}

/** encodeURIComponent, except that a lone surrogate is sent as its (invalid) UTF-8 bytes. */
function encodeLenient(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((char) => {
        const code = char.codePointAt(0)!;
        if (code < 0xd800 || code > 0xdfff) return encodeURIComponent(char);
        return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
      })
      .join("");
  }
}

/** How a body travels: JSON, none, the wrong type, broken JSON, (broken) compression… */
export const bodyEncoding = fc.constantFrom(
  "json",
  "json",
  "json",
  "none",
  "text",
  "broken-json",
  "gzip",
  "gzip-corrupt",
  "br-corrupt",
  "charset",
);

export function encodeBody(
  encoding: string,
  value: unknown,
): { body?: string | Buffer; headers: Record<string, string> } {
  const json = JSON.stringify(value) ?? "null";
  const asJson = { "content-type": "application/json" };
  switch (encoding) {
    case "none":
      return { headers: {} };
    case "text":
      return { body: json, headers: { "content-type": "text/plain" } };
    case "broken-json":
      return { body: json.slice(0, Math.max(1, json.length - 1)) + "{", headers: asJson };
    case "gzip":
      return { body: zlib.gzipSync(json), headers: { ...asJson, "content-encoding": "gzip" } };
    case "gzip-corrupt":
      return { body: Buffer.from(json), headers: { ...asJson, "content-encoding": "gzip" } };
    case "br-corrupt":
      return { body: Buffer.from(json), headers: { ...asJson, "content-encoding": "br" } };
    case "charset":
      return { body: json, headers: { "content-type": "application/json; charset=utf-7" } };
    default:
      return { body: json, headers: asJson };
  }
}

/** A query string from generated parameter values (absent ones left out; arrays repeated). */
export function queryOf(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value.slice(0, 3) : [value]) {
      params.append(name, typeof item === "string" ? item : JSON.stringify(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
