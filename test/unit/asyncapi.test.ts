import assert from "node:assert/strict";
import { Parser } from "@asyncapi/parser";
import { STORED_EVENT_SUBJECTS, EPHEMERAL_EVENT_TYPES } from "../../lib/events/event-types";
import { buildAsyncApiDocument } from "../../sockets/asyncapi-document";
import { CLIENT_MESSAGE_TYPES } from "../../sockets/protocol";
import { CLIENT_MESSAGE_CATALOG, SERVER_EVENT_CATALOG } from "../../sockets/protocol-catalog";
import {
  clientAckName,
  clientMessageName,
  CLIENT_MESSAGE_SCHEMAS_JSON,
  SERVER_FRAME_SCHEMAS,
  serverFrameName,
} from "../../sockets/protocol-schemas";
import { schemaValidator } from "../support/frame-validator";

describe("AsyncAPI document of the realtime protocol", () => {
  it("is a valid AsyncAPI 3 document by the official parser (no errors, no warnings)", async function () {
    this.timeout(60_000);
    const { document, diagnostics } = await new Parser().parse(
      JSON.stringify(buildAsyncApiDocument()),
    );
    // Severity 0 is an error, 1 a warning; 2 and 3 are information and hints. A number: the
    // diagnostics' enum is another copy than the one the parser exports.
    const problems = diagnostics.filter((d) => Number(d.severity) <= 1);
    assert.deepEqual(
      problems.map((d) => `${d.code}: ${d.message} at ${d.path.join("/")}`),
      [],
    );
    assert.ok(document);
    assert.equal(document.version(), "3.0.0");
    const channels = document
      .channels()
      .all()
      .map((c) => c.address());
    assert.deepEqual(channels.sort(), ["/socket.io/", "/ws"]);
    for (const channel of document.channels().all()) {
      const names = channel
        .messages()
        .all()
        .map((m) => m.name());
      for (const type of [...Object.keys(SERVER_EVENT_CATALOG), ...CLIENT_MESSAGE_TYPES]) {
        assert.ok(names.includes(type), `${type} missing on ${channel.address()}`);
      }
    }
  });

  it("has a schema for exactly the frame types the code uses", () => {
    const serverTypes = [...Object.keys(STORED_EVENT_SUBJECTS), ...EPHEMERAL_EVENT_TYPES];
    assert.deepEqual(Object.keys(SERVER_FRAME_SCHEMAS).sort(), serverTypes.sort());
    assert.deepEqual(
      Object.keys(CLIENT_MESSAGE_SCHEMAS_JSON).sort(),
      [...CLIENT_MESSAGE_TYPES].sort(),
    );
  });

  it("accepts every example of the catalog by its frame schema, and each ack by its ack schema", () => {
    const validate = schemaValidator();
    for (const [type, entry] of Object.entries(SERVER_EVENT_CATALOG)) {
      assert.deepEqual(validate(serverFrameName(type), entry.example), [], type);
    }
    for (const [type, entry] of Object.entries(CLIENT_MESSAGE_CATALOG)) {
      assert.deepEqual(validate(clientMessageName(type), entry.example), [], type);
      assert.deepEqual(validate(clientAckName(type), entry.ack), [], `${type} ack`);
    }
  });

  it("refuses frames that break the schemas (so the checks above can fail)", () => {
    const validate = schemaValidator();
    const { example } = SERVER_EVENT_CATALOG["message.new"];
    assert.notDeepEqual(validate("MessageNewEvent", { ...example, cursor: undefined }), []);
    const data = { ...(example.data as object), seq: "42" };
    assert.notDeepEqual(validate("MessageNewEvent", { ...example, data }), []);
    assert.notDeepEqual(validate("TypingIndicatorEvent", { type: "typing.indicator" }), []);
  });
});
