import assert from "node:assert/strict";
import { frameFor, frameWithCursor, natsBody, SequencedEvent } from "../../lib/events/event-types";

const event = (viewerFields?: SequencedEvent["viewerFields"]): SequencedEvent => ({
  id: "e1",
  position: 41,
  type: "conversation.updated",
  conversationId: "c1",
  audience: ["u1", "u2"],
  frame: { type: "conversation.updated", data: { id: "c1", name: "team" } },
  viewerFields,
  occurredAt: "2026-11-24T10:00:00.000Z",
});

describe("event frames with per-viewer fields", () => {
  it("gives a recipient the shared frame merged with its own fields only", () => {
    const shared = event({ u1: { unread_count: 3 }, u2: { unread_count: 0 } });
    assert.deepEqual(frameFor(shared, "u1"), {
      type: "conversation.updated",
      data: { id: "c1", name: "team", unread_count: 3 },
      cursor: "p15",
    });
    assert.equal((frameFor(shared, "u2").data as { unread_count: number }).unread_count, 0);
    assert.deepEqual(
      shared.frame.data,
      { id: "c1", name: "team" },
      "the stored frame is untouched",
    );
  });

  it("keeps the shared frame for events without viewer fields", () => {
    for (const fields of [undefined, null]) {
      assert.deepEqual(frameFor(event(fields), "u1"), frameWithCursor(event(fields)));
    }
  });

  it("publishes no viewer fields to NATS", () => {
    const body = natsBody(event({ u1: { unread_count: 3 } }));
    assert.deepEqual(body.data, { id: "c1", name: "team" });
    assert.doesNotMatch(JSON.stringify(body), /unread_count|u1/);
  });
});
