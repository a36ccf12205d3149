import assert from "node:assert/strict";
import { decodeEventCursor } from "../../lib/events/event-types";
import { backends } from "../support/backends";
import { addMember, createGroup } from "../support/conversation-fixtures";
import { FAST_PRESENCE, insertConversation, messageDraft, recordEvents } from "../support/events";
import { registerUser, TestUser } from "../support/factories";
import { send } from "../support/message-fixtures";
import {
  closeAll,
  connectBoth,
  connectWs,
  Frame,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { ask, bothOf, expectEvent, settle, watch, Watcher } from "../support/realtime-watch";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";
import {
  assertOwnValueOnly,
  expectOwnCounts,
  groupWithUnread,
  recordRaw,
} from "../support/viewer-fields";

const contentOf = (frame: Record<string, any>) => frame.data.content as string;

// Several nodes share events and presence through Redis: only where Redis runs.
for (const backend of backends().filter((candidate) => candidate.redisUrl)) {
  describe(`realtime across two nodes [${backend.name}]`, () => {
    let nodeA: TestApp;
    let nodeB: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    const clients: RealtimeClient[] = [];

    before(async () => {
      nodeA = await startTestApp(backend, FAST_PRESENCE);
      nodeB = await startTestApp(backend, FAST_PRESENCE);
      alice = await registerUser(nodeA.url, "alice");
      bob = await registerUser(nodeB.url, "bob");
      await insertConversation(nodeA.app, [alice.id, bob.id]);
    });
    afterEach(() => closeAll(clients));
    after(() => Promise.all([stopTestApp(nodeA.app), stopTestApp(nodeB.app)]));

    const connectUser = (url: string, user: TestUser) => connectBoth(url, user.token, clients);

    it("delivers events sequenced on either node to clients on both, once each, in order", async () => {
      const here = await connectUser(nodeA.url, alice);
      const there = await connectUser(nodeB.url, alice);
      const drafts = Array.from({ length: 6 }, (_, i) => messageDraft([alice.id], `x-node ${i}`));
      await recordEvents(nodeA.app, drafts.slice(0, 3));
      await recordEvents(nodeB.app, drafts.slice(3));
      for (const client of [...here, ...there]) {
        for (let i = 0; i < drafts.length; i += 1) await nextEvent(client, "message.new");
        const received = framesOf(client, "message.new");
        const contents = drafts.map((draft) => (draft.frame.data as { content: string }).content);
        assert.deepEqual(received.map(contentOf).sort(), contents.sort());
        const positions = received.map((frame) => decodeEventCursor(frame.cursor) as number);
        assert.deepEqual(
          positions,
          [...positions].sort((a, b) => a - b),
        );
        assert.equal(new Set(positions).size, positions.length);
      }
    });

    it("announces a presence change made on one node to contacts on the other, once", async () => {
      const dave = await registerUser(nodeA.url, "dave");
      await insertConversation(nodeA.app, [dave.id, bob.id]);
      const [bobIo, bobWs] = await connectUser(nodeB.url, bob);
      const daveWs = await connectWs(nodeA.url, dave.token);
      clients.push(daveWs);
      const mine = (status: string) => (f: Record<string, any>) =>
        f.user_id === dave.id && f.status === status;
      for (const client of [bobIo, bobWs])
        await nextEvent(client, "presence.changed", mine("online"));
      await daveWs.request("presence.update", { status: "busy" });
      for (const client of [bobIo, bobWs]) {
        await nextEvent(client, "presence.changed", mine("busy"));
        assert.equal(framesOf(client, "presence.changed", mine("online")).length, 1);
        assert.equal(framesOf(client, "presence.changed", mine("busy")).length, 1);
      }
    });

    it("announces offline from a surviving node when a node dies without cleanup", async () => {
      const doomed = await startTestApp(backend, FAST_PRESENCE);
      const carol = await registerUser(doomed.url, "carol");
      await insertConversation(nodeA.app, [carol.id, bob.id]);
      const [bobIo] = await connectUser(nodeB.url, bob);
      const carolWs = await connectWs(doomed.url, carol.token);
      clients.push(carolWs);
      const carols = (status: string) => (f: Record<string, any>) =>
        f.user_id === carol.id && f.status === status;
      await nextEvent(bobIo, "presence.changed", carols("online"));
      doomed.app.realtime.presence.abandon();
      await stopTestApp(doomed.app);
      await nextEvent(bobIo, "presence.changed", carols("offline"));
      const presence = await bob.api.get(`/api/v1/users/${carol.id}/presence`);
      assert.equal(presence.body.status, "offline");
      assert.equal(framesOf(bobIo, "presence.changed", carols("offline")).length, 1);
    });
  });
}

// Actions taken for real on node A (REST, Socket.IO, /ws) reach connections on node B.
for (const backend of backends().filter((candidate) => candidate.redisUrl)) {
  describe(`realtime actions on one node heard on the other [${backend.name}]`, () => {
    let nodeA: TestApp;
    let nodeB: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let conversationId: string;
    let alicesHere: Watcher;
    let alicesThere: Watcher;
    let bobs: Watcher;
    let carols: Watcher;
    const clients: RealtimeClient[] = [];

    before(async () => {
      nodeA = await startTestApp(backend);
      nodeB = await startTestApp(backend);
      alice = await registerUser(nodeA.url, "alice");
      [bob, carol] = await Promise.all([
        registerUser(nodeB.url, "bob"),
        registerUser(nodeB.url, "carol"),
      ]);
    });
    beforeEach(async () => {
      conversationId = (await createGroup(alice, [bob])).id;
      alicesHere = await watch(nodeA.url, alice, clients);
      alicesThere = await watch(nodeB.url, alice, clients);
      bobs = await watch(nodeB.url, bob, clients);
      carols = await watch(nodeB.url, carol, clients);
    });
    afterEach(() => closeAll(clients));
    after(() => Promise.all([stopTestApp(nodeA.app), stopTestApp(nodeB.app)]));

    const byId = (id: string) => (frame: Frame) => frame.data.id === id;

    /** Sends as alice on node A: over REST, or over one of her connections there. */
    async function sendOnA(via: "rest" | "socket.io" | "ws", content: string) {
      if (via === "rest") return send(alice, conversationId, content);
      const client = via === "ws" ? alicesHere.ws : alicesHere.io;
      return (await ask(client, "message.send", { conversation_id: conversationId, content })).data;
    }

    it("delivers messages sent on node A over REST, Socket.IO and /ws to node B's connections, once each", async () => {
      for (const via of ["rest", "socket.io", "ws"] as const) {
        const message = await sendOnA(via, `sent over ${via} on A`);
        const members = [alicesHere, alicesThere, bobs];
        const frame = await expectEvent(members, [carols], "message.new", byId(message.id));
        assert.deepEqual(frame.data, message, via);
      }
    });

    it("relays typing on node A to the other members' connections on node B, once each", async () => {
      const conversation = { conversation_id: conversationId };
      for (const [type, client] of [
        ["typing.start", alicesHere.ws],
        ["typing.stop", alicesHere.io],
      ] as const) {
        await ask(client, type, conversation);
        const isTyping = type === "typing.start";
        const frame = await expectEvent(
          [bobs],
          [carols],
          "typing.indicator",
          (f) => f.is_typing === isTyping,
        );
        assert.deepEqual(frame, {
          type: "typing.indicator",
          ...conversation,
          user_id: alice.id,
          is_typing: isTyping,
        });
      }
      for (const client of bothOf([alicesHere, alicesThere])) {
        assert.deepEqual(framesOf(client, "typing.indicator"), [], client.kind);
      }
    });

    it("lets a member added on node A hear the next message on its open node B connections, and a removed one nothing more", async () => {
      const dave = await registerUser(nodeB.url, "dave");
      const daves = await watch(nodeB.url, dave, clients);
      const members = [alicesHere, alicesThere, bobs];
      await addMember(alice, conversationId, dave);
      const about = (frame: Frame) => frame.data.conversation_id === conversationId;
      await expectEvent([...members, daves], [carols], "member.added", about);
      const heard = await sendOnA("ws", "welcome, dave");
      await expectEvent([...members, daves], [carols], "message.new", byId(heard.id));

      const path = `/api/v1/conversations/${conversationId}/members/${dave.id}`;
      assert.equal((await alice.api.delete(path)).status, 204);
      await expectEvent([...members, daves], [carols], "member.removed", about);
      const unheard = await sendOnA("socket.io", "dave has gone");
      await expectEvent(members, [carols], "message.new", byId(unheard.id));
      await settle([daves]);
      for (const client of bothOf([daves])) {
        const received = framesOf(client, "message.new", about).map((frame) => frame.data.id);
        assert.deepEqual(received, [heard.id], client.kind);
        assert.equal(framesOf(client, "ready").length, 1, "the same connection throughout");
      }
    });

    it("gives node B's connections each member's own unread_count in a conversation.updated made on node A", async () => {
      const { conversationId: groupId, unread } = await groupWithUnread(alice, bob, carol);
      const watchers = [alicesHere, alicesThere, bobs, carols];
      const raw = watchers.map((w) => [recordRaw(w.io), recordRaw(w.ws)]);
      const res = await alice.api.put(`/api/v1/conversations/${groupId}`, { name: "renamed on A" });
      assert.equal(res.status, 200);
      const byUser = new Map<string, RealtimeClient[]>();
      for (const w of watchers)
        byUser.set(w.user.id, [...(byUser.get(w.user.id) ?? []), w.io, w.ws]);
      await expectOwnCounts(byUser, "conversation.updated", groupId, unread);
      watchers.forEach((watcher, i) => {
        const own = unread.get(watcher.user.id)!;
        for (const texts of raw[i]) assertOwnValueOnly(texts, "conversation.updated", groupId, own);
      });
    });
  });
}
