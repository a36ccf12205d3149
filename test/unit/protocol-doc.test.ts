import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { EPHEMERAL_EVENT_TYPES, STORED_EVENT_SUBJECTS } from "../../lib/events/event-types";
import { validate } from "../../lib/validation";
import { CLIENT_MESSAGE_SCHEMAS, CLIENT_MESSAGE_TYPES } from "../../sockets/protocol";
import {
  CLIENT_MESSAGE_CATALOG,
  renderProtocolDoc,
  SERVER_EVENT_CATALOG,
} from "../../sockets/protocol-catalog";

describe("docs/protocol.md", () => {
  it("lists exactly the event types the code uses, in both directions", () => {
    const serverTypes = [...Object.keys(STORED_EVENT_SUBJECTS), ...EPHEMERAL_EVENT_TYPES];
    assert.deepEqual(Object.keys(SERVER_EVENT_CATALOG).sort(), serverTypes.sort());
    assert.deepEqual(Object.keys(CLIENT_MESSAGE_CATALOG).sort(), [...CLIENT_MESSAGE_TYPES].sort());
    for (const [type, entry] of Object.entries(SERVER_EVENT_CATALOG)) {
      assert.equal(entry.example.type, type);
      assert.equal("cursor" in entry.example, type in STORED_EVENT_SUBJECTS, type);
    }
  });

  it("shows client examples the dispatcher's schemas accept", () => {
    for (const type of CLIENT_MESSAGE_TYPES) {
      validate(CLIENT_MESSAGE_SCHEMAS[type], CLIENT_MESSAGE_CATALOG[type].example);
    }
  });

  it("is the page rendered from the catalog (run `npx tsx scripts/write-protocol-doc.ts`)", () => {
    const file = path.join(__dirname, "..", "..", "docs", "protocol.md");
    assert.equal(fs.readFileSync(file, "utf8"), renderProtocolDoc());
  });
});
