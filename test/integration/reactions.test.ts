import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { outboxEvents, openConversation, send, sortedIds } from "../support/message-fixtures";
import { startTestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`reactions [${backend.name}]`, () => {
    let app: App;
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    let conversationId: string;
    let message: { id: string };
    let path: string;

    before(async function () {
      this.timeout(60_000); // the first embedded database of the process starts slowly
      let url: string;
      ({ app, url } = await startTestApp(backend));
      [alice, bob, outsider] = await Promise.all(
        ["alice", "bob", "mallory"].map((name) => registerUser(url, name)),
      );
    });

    beforeEach(async () => {
      conversationId = await openConversation([alice, bob]);
      message = await send(alice, conversationId, "react to me");
      path = `/api/v1/messages/${message.id}/reactions`;
    });

    const reactionRows = () =>
      app.database.knex("message_reactions").where({ message_id: message.id });

    describe("POST /messages/:id/reactions", () => {
      it("adds a reaction (201), aggregates it on the message and emits reaction.added", async () => {
        const first = await alice.api.post(path, { emoji: "👍" });
        assert.equal(first.status, 201);
        const second = await bob.api.post(path, { emoji: "👍" });
        assert.equal(second.status, 201);
        const third = await bob.api.post(path, { emoji: ":tada:" });
        assert.deepEqual(third.body.reactions, [
          { emoji: "👍", count: 2, user_ids: [alice.id, bob.id] },
          { emoji: ":tada:", count: 1, user_ids: [bob.id] },
        ]);
        const fetched = await alice.api.get(`/api/v1/messages/${message.id}`);
        assert.deepEqual(fetched.body.reactions, third.body.reactions);
        const events = await outboxEvents(app, conversationId, "reaction.added");
        assert.equal(events.length, 3);
        assert.deepEqual(events[0].payload, {
          type: "reaction.added",
          data: {
            message_id: message.id,
            conversation_id: conversationId,
            user_id: alice.id,
            emoji: "👍",
          },
        });
        assert.deepEqual([...events[0].audience].sort(), sortedIds([alice, bob]));
      });

      it("answers the same reaction again with 200, no duplicate row and no event", async () => {
        assert.equal((await alice.api.post(path, { emoji: "🎉" })).status, 201);
        const again = await alice.api.post(path, { emoji: "🎉" });
        assert.equal(again.status, 200);
        assert.equal(again.body.reactions[0].count, 1);
        assert.equal((await reactionRows()).length, 1);
        assert.equal((await outboxEvents(app, conversationId, "reaction.added")).length, 1);
      });

      it("accepts one emoji grapheme of any kind and stores a bare pictograph fully qualified", async () => {
        for (const emoji of ["👍🏽", "👨‍👩‍👧", "🇫🇷", "1️⃣", "❤️", ":+1:", ":a_b-c:"]) {
          const res = await alice.api.post(path, { emoji });
          assert.equal(res.status, 201, emoji);
        }
        assert.equal((await alice.api.post(path, { emoji: "❤" })).status, 200, "same as ❤️");
        assert.equal((await reactionRows()).length, 7);
      });

      it("refuses anything that is not one emoji or :short_code: with 400", async () => {
        const bad = [
          "",
          "a",
          "1",
          "👍👍",
          "👍 ",
          ":Tada:",
          "::",
          `:${"a".repeat(65)}:`,
          "<b>",
          7,
          null,
        ];
        for (const emoji of bad) {
          const res = await alice.api.post(path, { emoji });
          assert.equal(res.status, 400, String(emoji));
          assert.equal(res.body.error.code, "validation_error");
          assert.equal(res.body.error.details[0].field, "emoji");
        }
        assert.equal((await alice.api.post(path, {})).status, 400);
        assert.equal((await reactionRows()).length, 0);
      });

      it("allows 50 distinct emoji, refuses a 51st with 409 but still counts existing ones", async () => {
        // 49 stored directly (fast), the 50th over REST: the limit is what is under test.
        await app.database.knex("message_reactions").insert(
          Array.from({ length: 49 }, (_, i) => ({
            message_id: message.id,
            user_id: alice.id,
            emoji: `:e${i}:`,
          })),
        );
        assert.equal((await alice.api.post(path, { emoji: ":e49:" })).status, 201);
        const over = await alice.api.post(path, { emoji: ":e50:" });
        assert.equal(over.status, 409);
        assert.equal(over.body.error.code, "conflict");
        assert.equal((await bob.api.post(path, { emoji: ":e7:" })).status, 201);
        const rows = await reactionRows();
        assert.equal(new Set(rows.map((r: { emoji: string }) => r.emoji)).size, 50);
      });

      it("returns 409 on a deleted message and 404 to a non-member", async () => {
        const other = await send(alice, conversationId, "gone");
        await alice.api.delete(`/api/v1/messages/${other.id}`);
        const res = await bob.api.post(`/api/v1/messages/${other.id}/reactions`, { emoji: "👍" });
        assert.equal(res.status, 409);
        const hidden = await outsider.api.post(path, { emoji: "👍" });
        assert.equal(hidden.status, 404);
        assert.equal(hidden.body.error.code, "not_found");
        assert.equal((await reactionRows()).length, 0);
      });
    });

    describe("DELETE /messages/:id/reactions/:emoji", () => {
      it("removes the caller's own reaction (204), emits reaction.removed, and leaves others'", async () => {
        await alice.api.post(path, { emoji: "👍" });
        await bob.api.post(path, { emoji: "👍" });
        const res = await alice.api.delete(`${path}/${encodeURIComponent("👍")}`);
        assert.equal(res.status, 204);
        const rows = await reactionRows();
        assert.deepEqual(
          rows.map((r: { user_id: string }) => r.user_id),
          [bob.id],
        );
        const events = await outboxEvents(app, conversationId, "reaction.removed");
        assert.equal(events.length, 1);
        assert.deepEqual(events[0].payload.data, {
          message_id: message.id,
          conversation_id: conversationId,
          user_id: alice.id,
          emoji: "👍",
        });
      });

      it("answers 204 without an event when there was nothing to remove", async () => {
        const res = await alice.api.delete(`${path}/${encodeURIComponent(":nope:")}`);
        assert.equal(res.status, 204);
        assert.equal((await outboxEvents(app, conversationId, "reaction.removed")).length, 0);
      });

      it("removes a bare pictograph's fully qualified form", async () => {
        await alice.api.post(path, { emoji: "❤️" });
        assert.equal((await alice.api.delete(`${path}/${encodeURIComponent("❤")}`)).status, 204);
        assert.equal((await reactionRows()).length, 0);
      });

      it("returns 400 for a bad emoji (badly encoded too) and 404 to a non-member", async () => {
        assert.equal((await alice.api.delete(`${path}/abc`)).status, 400);
        assert.equal((await alice.api.delete(`${path}/%E0%A4%A`)).status, 400);
        const res = await outsider.api.delete(`${path}/${encodeURIComponent("👍")}`);
        assert.equal(res.status, 404);
      });
    });
  });
}
