import fs from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import prettier from "prettier";
import { ERROR_STATUS } from "../lib/errors";
import { STORED_EVENT_SUBJECTS } from "../lib/events/event-types";
import { buildOpenApiDocument } from "../lib/openapi/openapi-document";
import { CLIENT_MESSAGE_TYPES } from "../sockets/protocol";
import {
  clientAckName,
  clientMessageName,
  frameSchemaComponents,
  SERVER_FRAME_SCHEMAS,
  serverFrameName,
} from "../sockets/protocol-schemas";

/** The SDK's generated types (client/src/generated/, a test keeps it in step). */
export const CLIENT_TYPES_FILE = path.join(
  __dirname,
  "..",
  "client",
  "src",
  "generated",
  "api-types.ts",
);

const HEADER = `/**
 * GENERATED from the OpenAPI document (lib/openapi/) and the protocol catalog's frame
 * schemas (sockets/protocol-schemas.ts) by \`npx tsx scripts/generate-client-types.ts\`.
 * Do not edit: test/unit/client-types.test.ts fails when this file and the service differ.
 */
`;

const schema = (name: string) => `components["schemas"]["${name}"]`;
const entries = (names: readonly string[], type: (name: string) => string) =>
  names.map((name) => `  "${name}": ${type(name)};`).join("\n");

function protocolMaps(): string {
  const serverTypes = Object.keys(SERVER_FRAME_SCHEMAS);
  return `
/** Every server → client frame, by its \`type\`. */
export interface ServerFrames {
${entries(serverTypes, (t) => schema(serverFrameName(t)))}
}

/** Every client → server message, by its \`type\`. */
export interface ClientMessages {
${entries(CLIENT_MESSAGE_TYPES, (t) => schema(clientMessageName(t)))}
}

/** The \`data\` of each client message's acknowledgement. */
export interface ClientAcks {
${entries(CLIENT_MESSAGE_TYPES, (t) => schema(clientAckName(t)))}
}

/** Server frames that change stored state: they carry a \`cursor\` and are replayed on resume. */
export const STORED_EVENT_TYPES = ${JSON.stringify(Object.keys(STORED_EVENT_SUBJECTS))} as const;

/** Every server frame type. */
export const SERVER_FRAME_TYPES = ${JSON.stringify(serverTypes)} as const;

/** The contract's error codes, with their HTTP status. */
export const ERROR_STATUS = ${JSON.stringify(ERROR_STATUS)} as const;
`;
}

/** The file's text: openapi-typescript over the OpenAPI document plus the frame schemas. */
export async function renderClientTypes(): Promise<string> {
  const openapi = buildOpenApiDocument() as {
    components: { schemas: Record<string, unknown> };
  };
  const combined = {
    ...openapi,
    components: {
      ...openapi.components,
      schemas: { ...openapi.components.schemas, ...frameSchemaComponents() },
    },
  };
  const ast = await openapiTS(combined as Parameters<typeof openapiTS>[0], {
    // `{type: "object"}` (metadata) is any JSON object, not an empty one.
    emptyObjectsUnknown: true,
  });
  const text = HEADER + astToString(ast) + protocolMaps();
  const options = (await prettier.resolveConfig(CLIENT_TYPES_FILE)) ?? {};
  return prettier.format(text, { ...options, parser: "typescript" });
}

if (require.main === module) {
  renderClientTypes().then(
    (text) => {
      fs.mkdirSync(path.dirname(CLIENT_TYPES_FILE), { recursive: true });
      fs.writeFileSync(CLIENT_TYPES_FILE, text);
      console.log(`wrote ${CLIENT_TYPES_FILE}`);
    },
    (error: Error) => {
      console.error(error.stack);
      process.exit(1);
    },
  );
}
