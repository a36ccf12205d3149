import assert from "node:assert/strict";
import { decodeEventCursor } from "../../lib/events/event-types";
import { backends } from "../support/backends";
import { FAST_PRESENCE, insertConversation, messageDraft, recordEvents } from "../support/events";
import { registerUser, TestUser } from "../support/factories";
import {
  closeAll,
  connectIo,
  connectWs,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

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

    async function connectBoth(url: string, user: TestUser) {
      const io = await connectIo(url, user.token);
      const ws = await connectWs(url, user.token);
      clients.push(io, ws);
      await Promise.all([nextEvent(io, "ready"), nextEvent(ws, "ready")]);
      return [io, ws];
    }

    it("delivers events sequenced on either node to clients on both, once each, in order", async () => {
      const here = await connectBoth(nodeA.url, alice);
      const there = await connectBoth(nodeB.url, alice);
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
      const [bobIo, bobWs] = await connectBoth(nodeB.url, bob);
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
      const [bobIo] = await connectBoth(nodeB.url, bob);
      const carolWs = await connectWs(doomed.url, carol.token);
      clients.push(carolWs);
      const carols = (status: string) => (f: Record<string, any>) =>
        f.user_id === carol.id && f.status === status;
      await nextEvent(bobIo, "presence.changed", carols("online"));
      doomed.app.realtime.simulateCrash();
      await stopTestApp(doomed.app);
      await nextEvent(bobIo, "presence.changed", carols("offline"));
      const presence = await bob.api.get(`/api/v1/users/${carol.id}/presence`);
      assert.equal(presence.body.status, "offline");
      assert.equal(framesOf(bobIo, "presence.changed", carols("offline")).length, 1);
    });
  });
}
