import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import {
  outboxEvents,
  openConversation,
  seedFile,
  send,
  sortedIds,
} from "../support/message-fixtures";
import { startTestApp } from "../support/test-app";

const UNKNOWN_ID = "01900000-0000-7000-8000-000000000000";

for (const backend of backends()) {
  describe(`messages [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let outsider: TestUser;
    let conversationId: string;

    before(async function () {
      this.timeout(60_000); // the first embedded database of the process starts slowly
      ({ app, url } = await startTestApp(backend));
      [alice, bob, carol, outsider] = await Promise.all(
        ["alice", "bob", "carol", "mallory"].map((name) => registerUser(url, name)),
      );
    });

    beforeEach(async () => {
      conversationId = await openConversation([alice, bob, carol]);
    });

    const messagesPath = (id = conversationId) => `/api/v1/conversations/${id}/messages`;
    const rowCount = async (where: Record<string, unknown>) =>
      Number((await app.database.knex("messages").where(where).count({ n: "*" }))[0].n);

    describe("POST /conversations/:id/messages", () => {
      it("stores the message with the next seq, emits message.new to every member and moves the sender's pointer", async () => {
        const first = await send(alice, conversationId, { content: "hello", metadata: { a: 1 } });
        const second = await send(bob, conversationId, "hi alice");
        assert.equal(first.seq, 1);
        assert.equal(second.seq, 2);
        assert.equal(first.content, "hello");
        assert.deepEqual(first.metadata, { a: 1 });
        assert.equal(first.sender_id, alice.id);
        assert.equal(first.conversation_id, conversationId);
        assert.deepEqual(first.attachments, []);
        assert.deepEqual(first.reactions, []);
        assert.equal(first.parent_id, null);
        assert.equal(first.reply_count, 0);
        assert.equal(first.edited_at, null);
        assert.equal(first.deleted_at, null);
        const events = await outboxEvents(app, conversationId, "message.new");
        assert.equal(events.length, 2);
        assert.deepEqual([...events[0].audience].sort(), sortedIds([alice, bob, carol]));
        assert.deepEqual(events[0].payload, { type: "message.new", data: first });
        const conversation = await app.database
          .knex("conversations")
          .where({ id: conversationId })
          .first();
        assert.equal(Number(conversation.last_seq), 2);
        const pointer = await app.database
          .knex("conversation_members")
          .where({ conversation_id: conversationId, user_id: bob.id })
          .first();
        assert.equal(Number(pointer.last_read_seq), 2);
      });

      it("normalises content to NFC and trims it", async () => {
        const message = await send(alice, conversationId, "  Cafe\u0301\n ok\t ");
        assert.equal(message.content, "Caf\u00e9\n ok");
      });

      it("returns 400 validation_error naming each bad field", async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{}, "content"],
          [{ content: "   " }, "content"],
          [{ content: "x".repeat(4001) }, "content"],
          [{ content: "bell\u0007" }, "content"],
          [{ content: 42 }, "content"],
          [{ content: "ok", metadata: [1] }, "metadata"],
          [{ content: "ok", metadata: { big: "x".repeat(16400) } }, "metadata"],
          [{ content: "ok", parent_id: "nope" }, "parent_id"],
          [{ content: "ok", attachments: ["nope"] }, "attachments.0"],
          [{ content: "ok", attachments: [UNKNOWN_ID, UNKNOWN_ID] }, "attachments.1"],
          [{ content: "ok", client_msg_id: "x".repeat(65) }, "client_msg_id"],
          [{ content: "ok", client_msg_id: "" }, "client_msg_id"],
          [{ content: "ok", extra: true }, "extra"],
        ];
        for (const [body, field] of cases) {
          const res = await alice.api.post(messagesPath(), body);
          assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
          assert.equal(res.body.error.code, "validation_error");
          assert.ok(
            res.body.error.details.some((d: { field: string }) => d.field === field),
            `${field}: ${JSON.stringify(res.body.error.details)}`,
          );
        }
        assert.equal((await alice.api.post(messagesPath("nope"), { content: "x" })).status, 400);
        assert.equal(await rowCount({ conversation_id: conversationId }), 0);
      });

      it("accepts exactly 4000 characters (counted as code points)", async () => {
        const message = await send(alice, conversationId, "😀".repeat(4000));
        assert.equal([...message.content].length, 4000);
      });

      it("returns 404 to a non-member and for an unknown conversation, storing nothing", async () => {
        const res = await outsider.api.post(messagesPath(), { content: "let me in" });
        assert.equal(res.status, 404);
        assert.equal(res.body.error.code, "not_found");
        assert.equal(
          (await alice.api.post(messagesPath(UNKNOWN_ID), { content: "x" })).status,
          404,
        );
        assert.equal(await rowCount({ conversation_id: conversationId }), 0);
        assert.equal((await outboxEvents(app, conversationId, "message.new")).length, 0);
      });

      it("answers a retried client_msg_id with the first message (200), one row and one event", async () => {
        const body = { content: "once", client_msg_id: `cm-${conversationId}` };
        const first = await alice.api.post(messagesPath(), body);
        const retry = await alice.api.post(messagesPath(), { ...body, content: "changed" });
        assert.equal(first.status, 201);
        assert.equal(retry.status, 200);
        assert.deepEqual(retry.body, first.body);
        assert.equal(first.body.client_msg_id, body.client_msg_id);
        assert.equal(await rowCount({ conversation_id: conversationId }), 1);
        assert.equal((await outboxEvents(app, conversationId, "message.new")).length, 1);
        assert.equal((await send(alice, conversationId, "next")).seq, 2, "no seq consumed");
      });

      it("creates one message for concurrent retries of the same client_msg_id", async () => {
        const body = { content: "racing", client_msg_id: `race-${conversationId}` };
        const responses = await Promise.all(
          Array.from({ length: 8 }, () => alice.api.post(messagesPath(), body)),
        );
        const statuses = responses.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 201]);
        assert.equal(new Set(responses.map((r) => r.body.id)).size, 1);
        assert.equal(await rowCount({ conversation_id: conversationId }), 1);
        assert.equal((await outboxEvents(app, conversationId, "message.new")).length, 1);
        assert.equal((await send(alice, conversationId, "after")).seq, 2);
      });

      it("keeps client_msg_id per sender and refuses reusing one in another conversation", async () => {
        const key = `shared-${conversationId}`;
        const mine = await send(alice, conversationId, { content: "a", client_msg_id: key });
        const theirs = await send(bob, conversationId, { content: "b", client_msg_id: key });
        assert.notEqual(mine.id, theirs.id);
        const other = await openConversation([alice, bob]);
        const res = await alice.api.post(messagesPath(other), { content: "a", client_msg_id: key });
        assert.equal(res.status, 409);
        assert.equal(res.body.error.code, "conflict");
      });

      it("attaches the sender's own files in order and refuses others' or unknown ones with 404", async () => {
        const [f1, f2] = [await seedFile(app, alice.id), await seedFile(app, alice.id)];
        const message = await send(alice, conversationId, {
          content: "files",
          attachments: [f2, f1],
        });
        assert.deepEqual(
          message.attachments.map((f: { id: string }) => f.id),
          [f2, f1],
        );
        assert.equal(message.attachments[0].url, `/api/v1/files/${f2}`);
        const fetched = await bob.api.get(`/api/v1/messages/${message.id}`);
        assert.deepEqual(fetched.body.attachments, message.attachments);
        const bobsFile = await seedFile(app, bob.id);
        for (const attachments of [[bobsFile], [f1, UNKNOWN_ID]]) {
          const res = await alice.api.post(messagesPath(), { content: "x", attachments });
          assert.equal(res.status, 404);
          assert.equal(res.body.error.code, "not_found");
        }
        assert.equal(await rowCount({ conversation_id: conversationId }), 1);
      });
    });

    describe("the per-user send budget", () => {
      it("answers 429 rate_limited with Retry-After past messages_per_10s, storing nothing", async () => {
        const limited = await startTestApp(backend, { rate_limits: { messages_per_10s: 2 } });
        const [user, other] = await Promise.all([
          registerUser(limited.url, "busy"),
          registerUser(limited.url, "quiet"),
        ]);
        const id = await openConversation([user, other]);
        await send(user, id, "one");
        await send(user, id, "two");
        const res = await user.api.post(`/api/v1/conversations/${id}/messages`, { content: "3" });
        assert.equal(res.status, 429);
        assert.equal(res.body.error.code, "rate_limited");
        assert.ok(Number(res.headers.get("retry-after")) >= 1);
        await send(other, id, "others keep their own budget");
        const rows = await limited.app.database.knex("messages").where({ conversation_id: id });
        assert.equal(rows.length, 3);
      });
    });

    describe("threads", () => {
      it("counts replies on the parent and lists the thread oldest first, paged", async () => {
        const root = await send(alice, conversationId, "root");
        const replies = [];
        for (const text of ["r1", "r2", "r3"]) {
          replies.push(await send(bob, conversationId, { content: text, parent_id: root.id }));
        }
        assert.equal(replies[0].parent_id, root.id);
        const parent = await alice.api.get(`/api/v1/messages/${root.id}`);
        assert.equal(parent.body.reply_count, 3);
        const page1 = await carol.api.get(`/api/v1/messages/${root.id}/replies?limit=2`);
        assert.equal(page1.status, 200);
        assert.deepEqual(
          page1.body.data.map((m: { content: string }) => m.content),
          ["r1", "r2"],
        );
        const page2 = await carol.api.get(
          `/api/v1/messages/${root.id}/replies?limit=2&cursor=${page1.body.next_cursor}`,
        );
        assert.deepEqual(
          page2.body.data.map((m: { content: string }) => m.content),
          ["r3"],
        );
        assert.equal(page2.body.next_cursor, null);
      });

      it("puts a reply to a reply into the root's thread", async () => {
        const root = await send(alice, conversationId, "root");
        const reply = await send(bob, conversationId, { content: "r", parent_id: root.id });
        const nested = await send(carol, conversationId, { content: "rr", parent_id: reply.id });
        assert.equal(nested.parent_id, root.id);
        assert.equal((await alice.api.get(`/api/v1/messages/${root.id}`)).body.reply_count, 2);
        assert.equal((await alice.api.get(`/api/v1/messages/${reply.id}`)).body.reply_count, 0);
      });

      it("returns 404 for a parent in another conversation or unknown", async () => {
        const other = await openConversation([alice, bob]);
        const elsewhere = await send(alice, other, "elsewhere");
        for (const parent_id of [elsewhere.id, UNKNOWN_ID]) {
          const res = await alice.api.post(messagesPath(), { content: "x", parent_id });
          assert.equal(res.status, 404);
        }
        assert.equal(await rowCount({ conversation_id: conversationId }), 0);
        assert.equal(
          (await outsider.api.get(`/api/v1/messages/${elsewhere.id}/replies`)).status,
          404,
        );
      });
    });

    describe("GET /conversations/:id/messages", () => {
      it("pages newest first, visiting every message once even while new ones arrive", async () => {
        for (let i = 1; i <= 5; i++) await send(alice, conversationId, `m${i}`);
        const seen: number[] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
          const res = await bob.api.get(messagesPath() + query);
          assert.equal(res.status, 200);
          seen.push(...res.body.data.map((m: { seq: number }) => m.seq));
          cursor = res.body.next_cursor;
          if (seen.length === 2) await send(carol, conversationId, "late");
        } while (cursor);
        assert.deepEqual(seen, [5, 4, 3, 2, 1]);
      });

      it("returns the messages after after_seq oldest first, paged, tombstones included", async () => {
        const sent = [];
        for (let i = 1; i <= 5; i++) sent.push(await send(alice, conversationId, `m${i}`));
        assert.equal((await alice.api.delete(`/api/v1/messages/${sent[3].id}`)).status, 204);
        const page1 = await bob.api.get(`${messagesPath()}?after_seq=2&limit=2`);
        assert.deepEqual(
          page1.body.data.map((m: { seq: number }) => m.seq),
          [3, 4],
        );
        assert.equal(page1.body.data[1].content, null);
        assert.ok(page1.body.data[1].deleted_at);
        const page2 = await bob.api.get(
          `${messagesPath()}?after_seq=2&limit=2&cursor=${page1.body.next_cursor}`,
        );
        assert.deepEqual(
          page2.body.data.map((m: { seq: number }) => m.seq),
          [5],
        );
        assert.equal(page2.body.next_cursor, null);
      });

      it("validates limit, after_seq and cursor, and hides the history from non-members", async () => {
        for (const query of ["?limit=0", "?limit=101", "?after_seq=-1", "?cursor=nope", "?x=1"]) {
          const res = await alice.api.get(messagesPath() + query);
          assert.equal(res.status, 400, query);
          assert.equal(res.body.error.code, "validation_error");
        }
        assert.equal((await outsider.api.get(messagesPath())).status, 404);
        assert.equal((await alice.api.get(messagesPath(UNKNOWN_ID))).status, 404);
      });
    });

    describe("PUT /messages/:id", () => {
      it("lets the sender edit, keeps the history and emits message.updated", async () => {
        const message = await send(alice, conversationId, "first");
        const res = await alice.api.put(`/api/v1/messages/${message.id}`, { content: " second " });
        assert.equal(res.status, 200);
        assert.equal(res.body.content, "second");
        assert.ok(res.body.edited_at);
        await alice.api.put(`/api/v1/messages/${message.id}`, { content: "third" });
        const edits = await bob.api.get(`/api/v1/messages/${message.id}/edits`);
        assert.equal(edits.status, 200);
        assert.deepEqual(
          edits.body.data.map((e: { content: string }) => e.content),
          ["first", "second"],
        );
        const events = await outboxEvents(app, conversationId, "message.updated");
        assert.equal(events.length, 2);
        assert.deepEqual([...events[0].audience].sort(), sortedIds([alice, bob, carol]));
        assert.equal(events[1].payload.data.content, "third");
      });

      it("records nothing for an edit that changes nothing", async () => {
        const message = await send(alice, conversationId, "same");
        const res = await alice.api.put(`/api/v1/messages/${message.id}`, { content: "same" });
        assert.equal(res.status, 200);
        assert.equal(res.body.edited_at, null);
        assert.equal((await outboxEvents(app, conversationId, "message.updated")).length, 0);
      });

      it("refuses another member (403), a non-member (404), a deleted message (409) and bad content (400)", async () => {
        const message = await send(alice, conversationId, "mine");
        const path = `/api/v1/messages/${message.id}`;
        assert.equal((await bob.api.put(path, { content: "hijack" })).status, 403);
        assert.equal((await outsider.api.put(path, { content: "hijack" })).status, 404);
        for (const body of [{}, { content: "" }, { content: "x", metadata: {} }]) {
          const res = await alice.api.put(path, body);
          assert.equal(res.status, 400);
          assert.equal(res.body.error.code, "validation_error");
        }
        await alice.api.delete(path);
        const deleted = await alice.api.put(path, { content: "revive" });
        assert.equal(deleted.status, 409);
        assert.equal(deleted.body.error.code, "conflict");
        assert.equal((await alice.api.get(path)).body.content, null);
      });
    });

    describe("DELETE /messages/:id", () => {
      it("leaves a tombstone, drops history, files and reactions, emits once and is idempotent", async () => {
        const file = await seedFile(app, alice.id);
        const message = await send(alice, conversationId, { content: "oops", attachments: [file] });
        const path = `/api/v1/messages/${message.id}`;
        await alice.api.put(path, { content: "oops2" });
        await bob.api.post(`${path}/reactions`, { emoji: "👍" });
        assert.equal((await alice.api.delete(path)).status, 204);
        assert.equal((await alice.api.delete(path)).status, 204);
        const tombstone = (await bob.api.get(path)).body;
        assert.equal(tombstone.content, null);
        assert.deepEqual(tombstone.attachments, []);
        assert.deepEqual(tombstone.reactions, []);
        assert.deepEqual(tombstone.metadata, {});
        assert.ok(tombstone.deleted_at);
        assert.equal(tombstone.seq, message.seq);
        assert.deepEqual((await bob.api.get(`${path}/edits`)).body.data, []);
        const row = await app.database.knex("messages").where({ id: message.id }).first();
        assert.equal(row.content, null);
        const links = await app.database.knex("message_attachments").where({ file_id: file });
        assert.equal(links.length, 0);
        const events = await outboxEvents(app, conversationId, "message.deleted");
        assert.equal(events.length, 1);
        assert.deepEqual(events[0].payload, {
          type: "message.deleted",
          data: {
            id: message.id,
            conversation_id: conversationId,
            seq: message.seq,
            deleted_at: tombstone.deleted_at,
          },
        });
        assert.deepEqual([...events[0].audience].sort(), sortedIds([alice, bob, carol]));
      });

      it("lets a group owner or admin delete others' messages, but not a plain member", async () => {
        const group = await openConversation([alice, bob, carol], {
          roles: { [bob.id]: "admin" },
        });
        const m1 = await send(carol, group, "one");
        const m2 = await send(carol, group, "two");
        const m3 = await send(alice, group, "three");
        assert.equal((await alice.api.delete(`/api/v1/messages/${m1.id}`)).status, 204);
        assert.equal((await bob.api.delete(`/api/v1/messages/${m2.id}`)).status, 204);
        const res = await carol.api.delete(`/api/v1/messages/${m3.id}`);
        assert.equal(res.status, 403);
        assert.equal(res.body.error.code, "forbidden");
        assert.equal((await outsider.api.delete(`/api/v1/messages/${m3.id}`)).status, 404);
      });

      it("lets only the sender delete in a direct conversation", async () => {
        const direct = await openConversation([alice, bob], { type: "direct" });
        const message = await send(bob, direct, "dm");
        assert.equal((await alice.api.delete(`/api/v1/messages/${message.id}`)).status, 403);
        assert.equal((await bob.api.delete(`/api/v1/messages/${message.id}`)).status, 204);
      });
    });

    describe("GET /messages/:id", () => {
      it("returns the message to members, 404 to others and 400 for a malformed id", async () => {
        const message = await send(alice, conversationId, "visible");
        const res = await carol.api.get(`/api/v1/messages/${message.id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, message);
        assert.equal((await alice.api.get(`/api/v1/messages/${UNKNOWN_ID}`)).status, 404);
        const bad = await alice.api.get("/api/v1/messages/not-an-id");
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, "validation_error");
      });

      it("answers a non-member 404 not_found on every message route", async () => {
        const message = await send(alice, conversationId, "secret");
        const base = `/api/v1/messages/${message.id}`;
        const attempts = [
          outsider.api.get(base),
          outsider.api.put(base, { content: "x" }),
          outsider.api.delete(base),
          outsider.api.get(`${base}/replies`),
          outsider.api.get(`${base}/edits`),
          outsider.api.post(`${base}/reactions`, { emoji: "👍" }),
          outsider.api.delete(`${base}/reactions/${encodeURIComponent("👍")}`),
          outsider.api.post(`${base}/read`),
          outsider.api.get(`${base}/receipts`),
          outsider.api.get(messagesPath()),
          outsider.api.post(messagesPath(), { content: "x" }),
          outsider.api.post(messagesPath(), { content: "x", parent_id: message.id }),
        ];
        for (const res of await Promise.all(attempts)) {
          assert.equal(res.status, 404);
          assert.equal(res.body.error.code, "not_found");
        }
        assert.equal((await alice.api.get(base)).body.content, "secret");
      });
    });
  });
}
