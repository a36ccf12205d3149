import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { openConversation, outboxEvents, send } from "../support/message-fixtures";
import { RealtimeClient, closeAll, framesOf } from "../support/realtime-clients";
import { expectEvent, settle, watch } from "../support/realtime-watch";
import { startTestApp, TestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`read state beyond one pointer [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let clients: RealtimeClient[];

    before(async function () {
      this.timeout(60_000);
      node = await startTestApp(backend);
      [alice, bob, carol] = await Promise.all(
        ["alice", "bob", "carol"].map((name) => registerUser(node.url, name)),
      );
    });
    beforeEach(() => (clients = []));
    afterEach(() => closeAll(clients));

    const view = async (user: TestUser, id: string) =>
      (await user.api.get(`/api/v1/conversations/${id}`)).body;
    const read = (user: TestUser, messageId: string) =>
      user.api.post(`/api/v1/messages/${messageId}/read`);

    describe("POST /conversations/:id/unread", () => {
      it("moves the pointer back before the message, with the new counts to the caller's other devices only", async () => {
        const group = await openConversation([alice, bob]);
        const first = await send(alice, group, "one");
        await send(alice, group, `@${bob.username} two`);
        const last = await send(alice, group, "three");
        assert.equal((await read(bob, last.id)).status, 200);
        const mine = await watch(node.url, bob, clients);
        const others = await watch(node.url, alice, clients);
        const res = await bob.api.post(`/api/v1/conversations/${group}/unread`, {
          message_id: first.id,
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body, {
          conversation_id: group,
          user_id: bob.id,
          last_read_seq: first.seq - 1,
          thread_id: null,
          thread_last_read_seq: null,
          thread_unread_count: null,
          unread_count: 3,
          mention_count: 1,
        });
        const frame = await expectEvent([mine], [], "read_state.updated", () => true);
        assert.deepEqual(frame.data, res.body);
        await settle([others]);
        assert.deepEqual(framesOf(others.ws, "read_state.updated"), []);
        const bobs = await view(bob, group);
        assert.equal(bobs.unread_count, 3);
        assert.equal(bobs.mention_count, 1);
        // Reading forward works again from there.
        assert.equal((await read(bob, last.id)).body.last_read_seq, last.seq);
      });

      it("answers 404 for a message of another conversation, and for a non-member", async () => {
        const group = await openConversation([alice, bob]);
        const other = await openConversation([alice, bob]);
        const elsewhere = await send(alice, other, "elsewhere");
        const wrong = await bob.api.post(`/api/v1/conversations/${group}/unread`, {
          message_id: elsewhere.id,
        });
        assert.equal(wrong.status, 404);
        const outsider = await carol.api.post(`/api/v1/conversations/${other}/unread`, {
          message_id: elsewhere.id,
        });
        assert.equal(outsider.status, 404);
        const bad = await bob.api.post(`/api/v1/conversations/${group}/unread`, {});
        assert.equal(bad.status, 400);
      });
    });

    describe("thread read pointers", () => {
      it("counts unread replies per thread and lets a thread be read without the conversation", async () => {
        const group = await openConversation([alice, bob]);
        const root = await send(alice, group, "root");
        const r1 = await send(alice, group, { content: "r1", parent_id: root.id });
        await send(alice, group, { content: `@${bob.username} r2`, parent_id: root.id });
        await send(alice, group, "after the thread");
        assert.equal((await view(bob, group)).unread_count, 4);
        const threads = await bob.api.get(`/api/v1/conversations/${group}/threads`);
        assert.equal(threads.status, 200, JSON.stringify(threads.body));
        assert.deepEqual(threads.body.data, [
          { thread_id: root.id, last_read_seq: 0, unread_count: 2, mention_count: 1 },
        ]);
        const partly = await bob.api.post(`/api/v1/messages/${r1.id}/thread-read`);
        assert.equal(partly.status, 200, JSON.stringify(partly.body));
        assert.equal(partly.body.thread_id, root.id);
        assert.equal(partly.body.thread_last_read_seq, r1.seq);
        assert.equal(partly.body.thread_unread_count, 1);
        assert.equal(partly.body.unread_count, 3);
        assert.equal(partly.body.last_read_seq, 0, "the conversation's pointer stays");
        const whole = await bob.api.post(`/api/v1/messages/${root.id}/thread-read`);
        assert.equal(whole.body.thread_unread_count, 0);
        assert.equal(whole.body.unread_count, 2);
        assert.equal(whole.body.mention_count, 0);
        const after = await bob.api.get(`/api/v1/conversations/${group}/threads`);
        assert.deepEqual(after.body.data, []);
      });

      it("tells the reader's other devices, and mark unread on a reply moves the thread back too", async () => {
        const group = await openConversation([alice, bob]);
        const root = await send(alice, group, "root");
        const r1 = await send(alice, group, { content: "r1", parent_id: root.id });
        const mine = await watch(node.url, bob, clients);
        await bob.api.post(`/api/v1/messages/${root.id}/thread-read`);
        const frame = await expectEvent([mine], [], "read_state.updated", () => true);
        assert.equal(frame.data.thread_id, root.id);
        assert.equal(frame.data.thread_unread_count, 0);
        const back = await bob.api.post(`/api/v1/conversations/${group}/unread`, {
          message_id: r1.id,
        });
        assert.equal(back.body.thread_id, root.id);
        assert.equal(back.body.thread_last_read_seq, r1.seq - 1);
        assert.equal(back.body.thread_unread_count, 1);
      });

      it("hides a thread from a non-member with 404", async () => {
        const group = await openConversation([alice, bob]);
        const root = await send(alice, group, "root");
        assert.equal((await carol.api.post(`/api/v1/messages/${root.id}/thread-read`)).status, 404);
        assert.equal((await carol.api.get(`/api/v1/conversations/${group}/threads`)).status, 404);
      });
    });

    describe("delivered and receipt status", () => {
      it("acknowledges delivery over REST and both realtime transports, only forward, clamped", async () => {
        const direct = await openConversation([alice, bob], { type: "direct" });
        const m1 = await send(alice, direct, "one");
        const m2 = await send(alice, direct, "two");
        const bobs = await watch(node.url, bob, clients);
        const alices = await watch(node.url, alice, clients);
        const rest = await bob.api.post(`/api/v1/conversations/${direct}/delivered`, {
          seq: m1.seq,
        });
        assert.deepEqual(rest.body, { conversation_id: direct, delivered_seq: m1.seq });
        const frame = await expectEvent([alices, bobs], [], "message.delivered", () => true);
        assert.deepEqual(frame.data, {
          conversation_id: direct,
          user_id: bob.id,
          delivered_seq: m1.seq,
        });
        const viaWs = await bobs.ws.request("message.delivered", {
          conversation_id: direct,
          seq: m2.seq + 50,
        });
        assert.deepEqual(viaWs.data, { conversation_id: direct, delivered_seq: m2.seq });
        const viaIo = await bobs.io.request("message.delivered", {
          conversation_id: direct,
          seq: m1.seq,
        });
        assert.deepEqual(
          viaIo.data,
          { conversation_id: direct, delivered_seq: m2.seq },
          "never back",
        );
        const bad = await bobs.io.request("message.delivered", {
          conversation_id: direct,
          seq: -1,
        });
        assert.equal(bad.error.code, "validation_error");
        const outsider = await carol.api.post(`/api/v1/conversations/${direct}/delivered`, {
          seq: 1,
        });
        assert.equal(outsider.status, 404);
      });

      it("shows sent, delivered and read per member in a direct conversation", async () => {
        const direct = await openConversation([alice, carol], { type: "direct" });
        const message = await send(alice, direct, "tick tick");
        const status = () => alice.api.get(`/api/v1/messages/${message.id}/receipts?view=status`);
        let res = await status();
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.conversation_type, "direct");
        assert.equal(res.body.status, "sent");
        assert.deepEqual(
          res.body.members.map((m: { user_id: string; status: string }) => [m.user_id, m.status]),
          [[carol.id, "sent"]],
        );
        await carol.api.post(`/api/v1/conversations/${direct}/delivered`, { seq: message.seq });
        res = await status();
        assert.equal(res.body.status, "delivered");
        assert.ok(res.body.members[0].delivered_at);
        assert.equal(res.body.members[0].read_at, null);
        await read(carol, message.id);
        res = await status();
        assert.equal(res.body.status, "read");
        assert.ok(res.body.members[0].read_at);
        // The plain contract form is unchanged.
        const plain = await alice.api.get(`/api/v1/messages/${message.id}/receipts`);
        assert.deepEqual(
          plain.body.map((r: { user_id: string }) => r.user_id),
          [carol.id],
        );
      });

      it("gives counts in a group, and emits no message.delivered there", async () => {
        const dan = await registerUser(node.url, "dan");
        const group = await openConversation([alice, bob, dan]);
        const message = await send(alice, group, "to the group");
        await bob.api.post(`/api/v1/conversations/${group}/delivered`, { seq: message.seq });
        await read(dan, message.id);
        const res = await alice.api.get(`/api/v1/messages/${message.id}/receipts?view=status`);
        assert.deepEqual(res.body, {
          message_id: message.id,
          conversation_type: "group",
          status: "delivered",
          counts: { recipients: 2, delivered: 2, read: 1 },
        });
        assert.deepEqual(await outboxEvents(node.app, group, "message.delivered"), []);
        const bad = await alice.api.get(`/api/v1/messages/${message.id}/receipts?view=all`);
        assert.equal(bad.status, 400);
      });

      it("hides the reads of a member who turned read receipts off, from others only", async () => {
        const frank = await registerUser(node.url, "frank");
        const off = await frank.api.put("/api/v1/users/me/privacy", { read_receipts: false });
        assert.deepEqual(off.body, { read_receipts: false });
        assert.deepEqual((await frank.api.get("/api/v1/users/me/privacy")).body, {
          read_receipts: false,
        });
        const direct = await openConversation([alice, frank], { type: "direct" });
        const message = await send(alice, direct, "did you read this?");
        const alices = await watch(node.url, alice, clients);
        const franks = await watch(node.url, frank, clients);
        assert.equal((await read(frank, message.id)).status, 200);
        await expectEvent([franks], [], "message.read", () => true);
        await settle([alices]);
        assert.deepEqual(framesOf(alices.io, "message.read"), [], "alice never hears of it");
        const plain = await alice.api.get(`/api/v1/messages/${message.id}/receipts`);
        assert.deepEqual(plain.body, []);
        const own = await frank.api.get(`/api/v1/messages/${message.id}/receipts`);
        assert.equal(own.body.length, 1, "frank still sees his own read");
        const status = await alice.api.get(`/api/v1/messages/${message.id}/receipts?view=status`);
        assert.equal(status.body.status, "delivered");
        assert.equal(status.body.members[0].read_at, null);
        const bad = await frank.api.put("/api/v1/users/me/privacy", { read_receipts: "no" });
        assert.equal(bad.status, 400);
      });
    });
  });
}
