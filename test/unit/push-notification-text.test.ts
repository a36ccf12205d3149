import assert from "node:assert/strict";
import { notificationOf } from "../../web/sw/notification-text";

describe("the service worker's notification text", () => {
  it("shows the sender, the group and the content, and how many more were folded in", () => {
    assert.deepEqual(
      notificationOf({
        sender_name: "Alice",
        conversation_name: "Team",
        content: "lunch?",
        collapsed_count: 2,
      }),
      { title: "Alice in Team", body: "lunch? (+2 more)" },
    );
    assert.deepEqual(notificationOf({ sender_name: "Alice", content: "hi" }), {
      title: "Alice",
      body: "hi",
    });
  });

  it("shows a generic text for an ids-only payload", () => {
    assert.deepEqual(notificationOf({ conversation_id: "c" }), {
      title: "New message",
      body: "You have a new message",
    });
  });
});
