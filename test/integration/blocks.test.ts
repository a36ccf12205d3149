import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import {
  closeAll,
  connectBoth,
  connectWs,
  Frame,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { registerNamed } from "../support/integration-fixtures";
import { schemaValidator } from "../support/frame-validator";
import { serverFrameName } from "../../sockets/protocol-schemas";
import { startTestApp } from "../support/test-app";
import { WebhookReceiver } from "../support/webhook-receiver";

for (const backend of backends()) {
  describe(`blocks and mutes [${backend.name}]`, () => {
    let url: string;
    let app: App;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let group: string;
    const clients: RealtimeClient[] = [];

    beforeEach(async () => {
      ({ url, app } = await startTestApp(backend));
      [alice, bob, carol] = await Promise.all(
        ["alice", "bob", "carol"].map((name) => registerUser(url, name)),
      );
      group = await openConversation([alice, bob, carol]);
    });
    afterEach(() => closeAll(clients));

    const block = (by: TestUser, user: TestUser, kind?: string) =>
      by.api.post("/api/v1/blocks", { user_id: user.id, ...(kind ? { kind } : {}) });

    /** Carol's message reaches `clients`: anything sent before it would have come first. */
    async function marker(watchers: RealtimeClient[]): Promise<void> {
      const text = `marker ${Math.random()}`;
      await send(carol, group, text);
      await Promise.all(
        watchers.map((c) => nextEvent(c, "message.new", (f) => f.data.content === text)),
      );
    }

    const fromBob = (frame: Frame) =>
      frame.data?.sender_id === bob.id ||
      frame.user_id === bob.id ||
      frame.data?.user_id === bob.id;

    it("stops a blocked person's messages, reactions, typing and presence on both transports", async () => {
      const created = await block(alice, bob);
      assert.equal(created.status, 201);
      assert.deepEqual(Object.keys(created.body).sort(), [
        "blocked_user_id",
        "created_at",
        "kind",
        "user_id",
      ]);
      assert.equal((await block(alice, bob)).status, 200, "blocking again changes nothing");
      const [aliceIo, aliceWs] = await connectBoth(url, alice.token, clients);
      const [carolIo] = await connectBoth(url, carol.token, clients);
      const [bobIo, bobWs] = await connectBoth(url, bob.token, clients);

      const message = await send(bob, group, "from the blocked one");
      await bob.api.post(`/api/v1/messages/${message.id}/reactions`, { emoji: "👍" });
      await bobWs.request("typing.start", { conversation_id: group });
      await bobIo.request("presence.update", { status: "busy" });
      await nextEvent(carolIo, "message.new", (f) => f.data.id === message.id);
      await nextEvent(carolIo, "typing.indicator", (f) => f.user_id === bob.id);
      await nextEvent(carolIo, "presence.changed", (f) => f.user_id === bob.id);
      await marker([aliceIo, aliceWs]);
      for (const client of [aliceIo, aliceWs]) {
        assert.deepEqual(client.frames.filter(fromBob), [], `${client.kind} got nothing of Bob`);
      }
      // Bob is not told: no frame about the block ever reaches him.
      assert.ok(!bobIo.frames.some((f) => f.type.startsWith("block.")));
      assert.deepEqual((await bob.api.get("/api/v1/blocks")).body.data, []);
    });

    it("holds on every node: a block made on one node filters delivery on another", async () => {
      const other = await startTestApp(backend);
      const aliceWs = await connectWs(other.url, alice.token);
      clients.push(aliceWs);
      await nextEvent(aliceWs, "ready");
      await block(alice, bob);
      const added = await nextEvent(
        aliceWs,
        "block.added",
        (f) => f.data.blocked_user_id === bob.id,
      );
      assert.deepEqual(schemaValidator()(serverFrameName(added.type), added), []);
      await send(bob, group, "not for alice");
      await marker([aliceWs]);
      assert.deepEqual(aliceWs.frames.filter(fromBob), []);
    });

    it("skips them for a webhook subscription that follows the blocker", async () => {
      const adminName = `admin_${Math.random().toString(36).slice(2, 10)}`;
      const hooked = await startTestApp(backend, { admin: { users: [adminName] } });
      const admin = await registerNamed(hooked.url, adminName);
      const [a, b, c] = await Promise.all(
        ["a", "b", "c"].map((name) => registerUser(hooked.url, name)),
      );
      const conversation = await openConversation([a, b, c]);
      const receiver = await WebhookReceiver.start();
      try {
        const hook = await admin.api.post("/api/v1/webhooks", {
          url: receiver.url,
          event_types: ["message.new"],
          user_id: a.id,
        });
        assert.equal(hook.status, 201, JSON.stringify(hook.body));
        await a.api.post("/api/v1/blocks", { user_id: b.id });
        await send(b, conversation, "blocked words");
        const last = await send(c, conversation, "the last word");
        await receiver.waitFor(
          () => receiver.ofType("message.new").some((r) => r.json.data.id === last.id),
          "the last message",
        );
        assert.deepEqual(
          receiver.ofType("message.new").map((r) => r.json.data.sender_id),
          [c.id],
        );
      } finally {
        await receiver.close();
      }
    });

    it("keeps them out of the blocker's sync, resume and search, and marks them in history", async () => {
      const [aliceWs] = [await connectWs(url, alice.token)];
      clients.push(aliceWs);
      const { data } = await nextEvent(aliceWs, "ready");
      await block(alice, bob);
      const hidden = await send(bob, group, "unwanted zebra words");
      await send(carol, group, "welcome zebra words");
      const sync = await alice.api.get(`/api/v1/sync?since=${data.cursor}`);
      const synced = sync.body.data.filter((f: Frame) => f.type === "message.new");
      assert.deepEqual(
        synced.map((f: Frame) => f.data.sender_id),
        [carol.id],
      );
      const resumed = await connectWs(url, alice.token, { since: data.cursor });
      clients.push(resumed);
      await nextEvent(resumed, "message.new", (f) => f.data.sender_id === carol.id);
      assert.ok(!resumed.frames.some((f) => f.data?.id === hidden.id));

      const search = (user: TestUser) => user.api.get("/api/v1/search/messages?q=zebra");
      assert.deepEqual(
        (await search(alice)).body.data.map((hit: { sender_id: string }) => hit.sender_id),
        [carol.id],
      );
      assert.equal((await search(carol)).body.data.length, 2, "others still find it");

      const history = await alice.api.get(`/api/v1/conversations/${group}/messages`);
      const shown = history.body.data.find((m: { id: string }) => m.id === hidden.id);
      assert.equal(shown.sender_blocked, true);
      assert.equal(shown.content, "unwanted zebra words", "collapsed, not removed");
      const listed = await alice.api.get("/api/v1/conversations");
      const unread = listed.body.data.find((c: { id: string }) => c.id === group).unread_count;
      assert.equal(unread, 1, "only Carol's message counts as unread");
      const single = await alice.api.get(`/api/v1/messages/${hidden.id}`);
      assert.equal(single.body.sender_blocked, true);
      const carolsView = await carol.api.get(`/api/v1/messages/${hidden.id}`);
      assert.equal("sender_blocked" in carolsView.body, false);

      const last = await send(bob, group, "the last word");
      const lastOf = async (user: TestUser) =>
        (await user.api.get("/api/v1/conversations")).body.data.find(
          (c: { id: string }) => c.id === group,
        ).last_message;
      const alicesLast = await lastOf(alice);
      assert.equal(alicesLast.id, last.id);
      assert.equal(alicesLast.sender_blocked, true, "the list marks it as history does");
      const alicesOne = await alice.api.get(`/api/v1/conversations/${group}`);
      assert.equal(alicesOne.body.last_message.sender_blocked, true);
      assert.equal("sender_blocked" in (await lastOf(carol)), false);
    });

    it("refuses a direct conversation either way for a block, not for a mute", async () => {
      await block(alice, bob);
      for (const [from, to] of [
        [alice, bob],
        [bob, alice],
      ]) {
        const res = await from.api.post("/api/v1/conversations", {
          type: "direct",
          member_ids: [to.id],
        });
        assert.equal(res.status, 403);
        assert.equal(res.body.error.code, "forbidden");
      }
      await block(alice, carol, "mute");
      const direct = await carol.api.post("/api/v1/conversations", {
        type: "direct",
        member_ids: [alice.id],
      });
      assert.equal(direct.status, 201);
    });

    it("lists blocks and undoes them: delivery comes back", async () => {
      await block(alice, bob);
      await block(alice, carol, "mute");
      const list = await alice.api.get("/api/v1/blocks?limit=1");
      assert.equal(list.body.data.length, 1);
      const rest = await alice.api.get(`/api/v1/blocks?cursor=${list.body.next_cursor}`);
      assert.deepEqual(
        [...list.body.data, ...rest.body.data]
          .map((b: { blocked_user_id: string }) => b.blocked_user_id)
          .sort(),
        [bob.id, carol.id].sort(),
      );
      assert.equal((await alice.api.delete(`/api/v1/blocks/${bob.id}`)).status, 204);
      assert.equal((await alice.api.delete(`/api/v1/blocks/${bob.id}`)).status, 404);
      assert.equal((await block(alice, alice)).status, 400);
      assert.equal((await alice.api.post("/api/v1/blocks", { user_id: "nope" })).status, 400);
      const [aliceIo] = await connectBoth(url, alice.token, clients);
      const message = await send(bob, group, "back again");
      await nextEvent(aliceIo, "message.new", (f) => f.data.id === message.id);
      const stored = await app.database.knex("user_blocks").where({ blocker_id: alice.id });
      assert.deepEqual(
        stored.map((row: { kind: string }) => row.kind),
        ["mute"],
      );
    });

    it("hides the content too with blocks.history: hide", async () => {
      const hiding = await startTestApp(backend, { blocks: { history: "hide" } });
      const [a, b] = await Promise.all([
        registerUser(hiding.url, "a"),
        registerUser(hiding.url, "b"),
      ]);
      const conversation = await openConversation([a, b]);
      await a.api.post("/api/v1/blocks", { user_id: b.id });
      const message = await send(b, conversation, "never shown");
      const shown = (await a.api.get(`/api/v1/conversations/${conversation}/messages`)).body.data;
      const hidden = shown.find((m: { id: string }) => m.id === message.id);
      assert.equal(hidden.content, null);
      assert.equal(hidden.sender_blocked, true);
      assert.equal(hidden.seq, message.seq, "seq stays gapless");
      const listed = (await a.api.get("/api/v1/conversations")).body.data;
      const lastMessage = listed.find((c: { id: string }) => c.id === conversation).last_message;
      assert.equal(lastMessage.id, message.id);
      assert.equal(lastMessage.content, null, "the list hides it as history does");
    });
  });
}
