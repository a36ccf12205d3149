import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { ApiClient } from "../support/http-client";
import { TestUser, registerUser } from "../support/factories";
import { outboxEvents, openConversation } from "../support/message-fixtures";
import { startTestApp } from "../support/test-app";

for (const backend of backends()) {
  // The embedded database runs one query at a time, so it gets a smaller (still
  // contended) run; PostgreSQL gets the full 20 x 50 of issue 3.
  const [SENDERS, PER_SENDER] = backend.name === "embedded" ? [10, 20] : [20, 50];
  describe(`message seq under concurrency [${backend.name}]`, () => {
    let app: App;
    let otherNode: { app: App; url: string };
    let senders: TestUser[];

    before(async function () {
      this.timeout(120_000);
      let url: string;
      ({ app, url } = await startTestApp(backend));
      otherNode = await startTestApp(backend);
      senders = await Promise.all(
        Array.from({ length: SENDERS }, (_, i) => registerUser(url, `sender${i}`)),
      );
    });

    it(`numbers ${SENDERS * PER_SENDER} messages from ${SENDERS} parallel senders 1..N without gap or duplicate`, async function () {
      this.timeout(180_000);
      const conversationId = await openConversation(senders);
      const path = `/api/v1/conversations/${conversationId}/messages`;
      const returned = await Promise.all(
        senders.map(async (sender, s) => {
          const seqs: number[] = [];
          for (let i = 0; i < PER_SENDER; i++) {
            // Every third message is also retried at once: still one row and one seq.
            const body = { content: `s${s} m${i}`, client_msg_id: `c-${s}-${i}` };
            const attempts = await Promise.all(
              (i % 3 === 0 ? [1, 2] : [1]).map(() => sender.api.post(path, body)),
            );
            assert.ok(attempts.some((r) => r.status === 201));
            assert.equal(new Set(attempts.map((r) => r.body.id)).size, 1);
            seqs.push(attempts[0].body.seq);
          }
          return seqs;
        }),
      );
      const total = SENDERS * PER_SENDER;
      const expected = Array.from({ length: total }, (_, i) => i + 1);
      assert.deepEqual(
        returned.flat().sort((a, b) => a - b),
        expected,
      );
      const rows = await app.database
        .knex("messages")
        .where({ conversation_id: conversationId })
        .orderBy("seq")
        .select("seq", "sender_id", "content");
      assert.deepEqual(
        rows.map((r: { seq: number }) => Number(r.seq)),
        expected,
      );
      // Each sender's own messages keep the order they were sent in.
      for (const [s, sender] of senders.entries()) {
        const mine = rows.filter((r: { sender_id: string }) => r.sender_id === sender.id);
        assert.deepEqual(
          mine.map((r: { content: string }) => r.content),
          Array.from({ length: PER_SENDER }, (_, i) => `s${s} m${i}`),
        );
      }
      const conversation = await app.database
        .knex("conversations")
        .where({ id: conversationId })
        .first();
      assert.equal(Number(conversation.last_seq), total);
      assert.equal((await outboxEvents(app, conversationId, "message.new")).length, total);
    });

    it("numbers the events of concurrent sends on two nodes gaplessly, in seq order per conversation", async function () {
      this.timeout(180_000);
      const conversations = await Promise.all(
        [0, 1, 2].map((i) =>
          openConversation([senders[i], ...senders.slice(0, 6).filter((_, j) => j !== i)]),
        ),
      );
      await Promise.all([app.events.sequencer.flush(), otherNode.app.events.sequencer.flush()]);
      const head = await app.events.log.head();
      // Senders split over both nodes, all conversations at once.
      await Promise.all(
        senders.slice(0, 6).map(async (sender, s) => {
          const api = s % 2 === 0 ? sender.api : new ApiClient(otherNode.url, sender.token);
          for (let i = 0; i < 10; i++) {
            const conversationId = conversations[(s + i) % 3];
            const res = await api.post(`/api/v1/conversations/${conversationId}/messages`, {
              content: `n${s} ${i}`,
            });
            assert.equal(res.status, 201, JSON.stringify(res.body));
          }
        }),
      );
      const events = (await app.database
        .knex("outbox")
        .where("position", ">", head)
        .orderBy("position")
        .select("position", "conversation_id", "type", "payload")) as {
        position: number;
        conversation_id: string;
        payload: { data: { seq: number } };
      }[];
      assert.equal(events.length, 60);
      assert.deepEqual(
        events.map((e) => Number(e.position)),
        events.map((_, i) => head + 1 + i),
      );
      assert.equal(await app.events.log.head(), head + 60);
      for (const conversationId of conversations) {
        const seqs = events
          .filter((e) => e.conversation_id === conversationId)
          .map((e) => e.payload.data.seq);
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
        );
      }
    });
  });
}
