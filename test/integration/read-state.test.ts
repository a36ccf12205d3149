import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { outboxEvents, openConversation, send, sortedIds } from "../support/message-fixtures";
import { startTestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`read state [${backend.name}]`, () => {
    let app: App;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let outsider: TestUser;
    let conversationId: string;
    let messages: { id: string; seq: number }[];

    before(async function () {
      this.timeout(60_000); // the first embedded database of the process starts slowly
      let url: string;
      ({ app, url } = await startTestApp(backend));
      [alice, bob, carol, outsider] = await Promise.all(
        ["alice", "bob", "carol", "mallory"].map((name) => registerUser(url, name)),
      );
    });

    beforeEach(async () => {
      conversationId = await openConversation([alice, bob, carol]);
      messages = [];
      for (let i = 1; i <= 4; i++) messages.push(await send(alice, conversationId, `m${i}`));
    });

    const read = (user: TestUser, index: number) =>
      user.api.post(`/api/v1/messages/${messages[index].id}/read`);
    const pointerOf = async (user: TestUser) =>
      Number(
        (
          await app.database
            .knex("conversation_members")
            .where({ conversation_id: conversationId, user_id: user.id })
            .first()
        ).last_read_seq,
      );

    describe("POST /messages/:id/read", () => {
      it("moves the pointer to the message, records a receipt and emits message.read", async () => {
        const res = await read(bob, 2);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { conversation_id: conversationId, last_read_seq: 3 });
        assert.equal(await pointerOf(bob), 3);
        const receipts = await app.database
          .knex("message_read_receipts")
          .where({ message_id: messages[2].id });
        assert.equal(receipts.length, 1);
        assert.equal(receipts[0].user_id, bob.id);
        const events = await outboxEvents(app, conversationId, "message.read");
        assert.equal(events.length, 1);
        assert.deepEqual(events[0].payload, {
          type: "message.read",
          message_id: messages[2].id,
          user_id: bob.id,
          conversation_id: conversationId,
          last_read_seq: 3,
        });
        assert.deepEqual([...events[0].audience].sort(), sortedIds([alice, bob, carol]));
      });

      it("never moves the pointer back, and emits nothing when it did not move", async () => {
        await read(bob, 3);
        const back = await read(bob, 1);
        assert.equal(back.status, 200);
        assert.deepEqual(back.body, { conversation_id: conversationId, last_read_seq: 4 });
        assert.equal((await read(bob, 3)).body.last_read_seq, 4);
        assert.equal(await pointerOf(bob), 4);
        assert.equal((await outboxEvents(app, conversationId, "message.read")).length, 1);
      });

      it("keeps the highest pointer when reads race", async () => {
        await Promise.all([read(carol, 0), read(carol, 3), read(carol, 1), read(carol, 2)]);
        assert.equal(await pointerOf(carol), 4);
      });

      it("returns 404 to a non-member and 400 for a malformed id", async () => {
        const res = await read(outsider, 0);
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, "not_found");
        assert.equal((await outsider.api.post("/api/v1/messages/nope/read")).status, 400);
        assert.equal((await outboxEvents(app, conversationId, "message.read")).length, 0);
      });
    });

    describe("the conversation's unread_count", () => {
      it("counts others' live messages after the caller's pointer", async () => {
        const view = async (user: TestUser) =>
          (await user.api.get(`/api/v1/conversations/${conversationId}`)).body;
        assert.equal((await view(bob)).unread_count, 4);
        assert.equal((await view(alice)).unread_count, 0, "sending moves the sender's pointer");
        await read(bob, 1);
        await alice.api.delete(`/api/v1/messages/${messages[3].id}`);
        const bobsView = await view(bob);
        assert.equal(bobsView.unread_count, 1);
        assert.equal(bobsView.last_seq, 4);
      });
    });

    describe("GET /messages/:id/receipts", () => {
      it("lists the members whose pointer reached the message, not the sender", async () => {
        await read(bob, 1);
        await read(carol, 3);
        const second = await alice.api.get(`/api/v1/messages/${messages[1].id}/receipts`);
        assert.equal(second.status, 200);
        assert.deepEqual(
          second.body.map((r: { user_id: string }) => r.user_id).sort(),
          sortedIds([bob, carol]),
        );
        for (const receipt of second.body) assert.ok(!isNaN(Date.parse(receipt.read_at)));
        const fourth = await bob.api.get(`/api/v1/messages/${messages[3].id}/receipts`);
        assert.deepEqual(
          fourth.body.map((r: { user_id: string }) => r.user_id),
          [carol.id],
        );
      });

      it("counts the sender's own pointer as theirs, never as a receipt", async () => {
        const reply = await send(bob, conversationId, "from bob");
        const receipts = await alice.api.get(`/api/v1/messages/${reply.id}/receipts`);
        assert.deepEqual(receipts.body, []);
        assert.equal(await pointerOf(bob), reply.seq);
      });

      it("returns 404 to a non-member", async () => {
        const res = await outsider.api.get(`/api/v1/messages/${messages[0].id}/receipts`);
        assert.equal(res.status, 404);
      });
    });
  });
}
