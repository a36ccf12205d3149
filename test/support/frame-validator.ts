import Ajv2020, { ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { SCHEMAS } from "../../lib/openapi/components";
import { frameSchemaComponents } from "../../sockets/protocol-schemas";

/**
 * Validates values against the protocol's component schemas (the OpenAPI objects plus every
 * frame), as the AsyncAPI document publishes them: `validate("MessageNewEvent", frame)`
 * returns the problems, empty when the value conforms.
 */
export function schemaValidator(): (name: string, value: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const all: Record<string, unknown> = { ...SCHEMAS, ...frameSchemaComponents() };
  ajv.addSchema({ $id: "protocol", components: { schemas: all } });
  const compiled = new Map<string, ValidateFunction>();
  return (name, value) => {
    if (!(name in all)) return [`no schema named ${name}`];
    let validate = compiled.get(name);
    if (!validate) {
      validate = ajv.compile({ $ref: `protocol#/components/schemas/${name}` });
      compiled.set(name, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${name}${e.instancePath} ${e.message}`);
  };
}
