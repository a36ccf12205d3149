import assert from "node:assert/strict";
import {
  effectiveLevel,
  isMentioned,
  isMuted,
  shouldNotify,
  type NotifyFacts,
} from "../../lib/domain/notifications/notify-policy";

const now = new Date("2026-12-07T12:00:00.000Z");
const facts = (over: Partial<NotifyFacts>): NotifyFacts => ({
  level: "all",
  mutedUntil: null,
  mentioned: false,
  isDirect: false,
  senderId: "sender",
  memberId: "member",
  now,
  ...over,
});

describe("notify policy", () => {
  it("never notifies the sender of their own message", () => {
    assert.equal(shouldNotify(facts({ senderId: "member", mentioned: true })), false);
  });

  it("notifies at level all, never at none, at mentions only when mentioned or direct", () => {
    assert.equal(shouldNotify(facts({ level: "all" })), true);
    assert.equal(shouldNotify(facts({ level: "none", mentioned: true, isDirect: true })), false);
    assert.equal(shouldNotify(facts({ level: "mentions" })), false);
    assert.equal(shouldNotify(facts({ level: "mentions", mentioned: true })), true);
    assert.equal(shouldNotify(facts({ level: "mentions", isDirect: true })), true);
  });

  it("stays silent while muted, mention or not, and speaks again once the mute ends", () => {
    const later = new Date(now.getTime() + 60_000);
    assert.equal(shouldNotify(facts({ mutedUntil: later, mentioned: true })), false);
    assert.equal(shouldNotify(facts({ mutedUntil: later.toISOString() })), false);
    assert.equal(shouldNotify(facts({ mutedUntil: now })), true);
    assert.equal(isMuted(null, now), false);
  });

  it("falls back to the per-type default when no level was chosen", () => {
    assert.equal(effectiveLevel(null, "direct"), "all");
    assert.equal(effectiveLevel(undefined, "group"), "mentions");
    assert.equal(effectiveLevel("none", "direct"), "none");
    assert.equal(effectiveLevel(null, "group", { direct: "all", group: "all" }), "all");
  });

  it("reads a mention from the message's mentions list", () => {
    assert.equal(isMentioned({ mentions: ["a", "member"] }, "member"), true);
    assert.equal(isMentioned({ mentions: [] }, "member"), false);
    assert.equal(isMentioned({}, "member"), false);
  });
});
