import assert from "node:assert/strict";
import type { SequencedEvent, StoredEventType } from "../../lib/events/event-types";
import { TypingFrame, TypingRelay } from "../../lib/realtime/typing-relay";

const CONVERSATION = "c1";
const MEMBERS = ["alice", "bob", "carol"];

/** A stored event as the hub hands it to observers. */
function stored(type: StoredEventType, data: Record<string, unknown>): SequencedEvent {
  return {
    id: `e-${type}`,
    position: 1,
    type,
    conversationId: CONVERSATION,
    audience: MEMBERS,
    frame: { type, data },
    occurredAt: new Date().toISOString(),
  };
}

describe("TypingRelay and membership", () => {
  let relayed: { to: string[]; frame: TypingFrame }[];
  let relay: TypingRelay;

  beforeEach(() => {
    relayed = [];
    relay = new TypingRelay({
      otherMemberIds: async (userId) => MEMBERS.filter((id) => id !== userId),
      publish: (to, frame) => relayed.push({ to, frame }),
      throttleMs: 60_000,
      timeoutMs: 60_000,
    });
  });
  afterEach(() => relay.stopAll());

  const removed = (userId: string) =>
    stored("member.removed", { conversation_id: CONVERSATION, user_id: userId, role: "member" });
  const ends = () => relayed.filter((entry) => !entry.frame.is_typing);

  it("leaves a removed member out of the typing that is still going on", async () => {
    await relay.start("alice", CONVERSATION);
    relay.observe(removed("bob"));
    await relay.stop("alice", CONVERSATION);
    assert.deepEqual(
      ends().map((entry) => entry.to),
      [["carol"]],
    );
  });

  it("ends a removed typist's typing at once, for the members who remain", async () => {
    await relay.start("bob", CONVERSATION);
    relay.observe(removed("bob"));
    assert.deepEqual(ends(), [
      {
        to: ["alice", "carol"],
        frame: {
          type: "typing.indicator",
          conversation_id: CONVERSATION,
          user_id: "bob",
          is_typing: false,
        },
      },
    ]);
  });

  it("drops the typing of a deleted conversation without relaying anything", async () => {
    await relay.start("alice", CONVERSATION);
    relay.observe(stored("conversation.deleted", { id: CONVERSATION }));
    await relay.stop("alice", CONVERSATION);
    assert.deepEqual(ends(), []);
  });
});
