import type Joi from "joi";

type JsonSchema = Record<string, unknown>;

interface Description {
  type: string;
  flags?: { presence?: string; default?: unknown; only?: boolean; description?: string };
  keys?: Record<string, Description>;
  items?: Description[];
  matches?: { schema: Description }[];
  allow?: unknown[];
  rules?: { name: string; args?: Record<string, unknown> }[];
  metas?: unknown[];
}

function applyRules(schema: JsonSchema, rules: Description["rules"] = [], kind: string): void {
  for (const rule of rules) {
    const limit = rule.args?.limit;
    if (rule.name === "min")
      schema[kind === "string" ? "minLength" : kind === "array" ? "minItems" : "minimum"] = limit;
    if (rule.name === "max")
      schema[kind === "string" ? "maxLength" : kind === "array" ? "maxItems" : "maximum"] = limit;
    if (rule.name === "integer") schema.type = "integer";
    if (rule.name === "guid") schema.format = "uuid";
    if (rule.name === "isoDate") schema.format = "date-time";
    if (rule.name === "pattern")
      schema.pattern = String((rule.args?.regex as string) ?? "").replace(/^\/|\/[a-z]*$/g, "");
  }
}

function convert(description: Description): JsonSchema {
  const schema: JsonSchema = {};
  switch (description.type) {
    case "object":
      schema.type = "object";
      if (description.keys) {
        schema.properties = Object.fromEntries(
          Object.entries(description.keys).map(([key, child]) => [key, convert(child)]),
        );
        const required = Object.entries(description.keys)
          .filter(([, child]) => child.flags?.presence === "required")
          .map(([key]) => key);
        if (required.length > 0) schema.required = required;
        schema.additionalProperties = false;
      }
      break;
    case "array":
      schema.type = "array";
      if (description.items?.length) schema.items = convert(description.items[0]);
      applyRules(schema, description.rules, "array");
      break;
    case "alternatives":
      schema.anyOf = (description.matches ?? []).map((match) => convert(match.schema));
      break;
    case "date":
      schema.type = "string";
      schema.format = "date-time";
      break;
    case "any":
      break;
    default:
      schema.type = description.type;
      applyRules(schema, description.rules, description.type);
  }
  if (description.flags?.only && description.allow) schema.enum = description.allow;
  if (description.flags?.default !== undefined && typeof description.flags.default !== "function") {
    schema.default = description.flags.default;
  }
  if (description.flags?.description) schema.description = description.flags.description;
  return schema;
}

/** JSON Schema (as OpenAPI 3.1 uses it) of a joi schema, so the document follows the code. */
export function joiToJsonSchema(schema: Joi.Schema): JsonSchema {
  return convert(schema.describe() as Description);
}

/** Query parameters of an OpenAPI operation from a joi object schema. */
export function joiToQueryParameters(schema: Joi.ObjectSchema): JsonSchema[] {
  const converted = joiToJsonSchema(schema);
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema: property,
  }));
}
