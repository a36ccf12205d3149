/** Building blocks of the OpenAPI document's operations. */
export type Json = Record<string, unknown>;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Json) => ({ content: { "application/json": { schema } } });
export const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [String(status), { description: "Error", ...json(ref("Error")) }]),
  );
export const ok = (status: number, description: string, schema?: Json) => ({
  [String(status)]: schema ? { description, ...json(schema) } : { description },
});
export const pathParam = (name: string) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string" },
});
export const uuidList = { type: "array", items: { type: "string", format: "uuid" } };
export const page = [
  {
    name: "limit",
    in: "query",
    schema: { type: "integer", minimum: 1, maximum: 100, default: 50 },
  },
  { name: "cursor", in: "query", schema: { type: "string" } },
];

export interface Operation {
  summary: string;
  /** The rules behind the statuses, in a sentence or two. */
  description?: string;
  body?: Json;
  parameters?: Json[];
  responses: Json;
  public?: boolean;
}

export function operation(spec: Operation, path: string): Json {
  const parameters = [
    ...(path.match(/\{(\w+)\}/g) ?? []).map((p) => pathParam(p.slice(1, -1))),
    ...(spec.parameters ?? []),
  ];
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, ...json(spec.body) } } : {}),
    responses: { ...spec.responses, ...(spec.public ? {} : errors(401, 429)) },
    ...(spec.public ? { security: [] } : {}),
  };
}
