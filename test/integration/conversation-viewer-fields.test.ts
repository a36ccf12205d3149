import assert from "node:assert/strict";
import { decodeEventCursor } from "../../lib/events/event-types";
import { backends } from "../support/backends";
import { registerUsers, TestUser } from "../support/factories";
import { closeAll, connectBoth, framesOf, RealtimeClient } from "../support/realtime-clients";
import { settle, watch, Watcher } from "../support/realtime-watch";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";
import {
  assertOwnValueOnly,
  expectOwnCounts,
  groupWithUnread,
  nextBusEvent,
  recordRaw,
} from "../support/viewer-fields";

const readyCursor = (watcher: Watcher): string =>
  watcher.io.frames.find((frame) => frame.type === "ready")!.data.cursor;

// conversation.created / .updated carry unread_count, which is each member's own: after
// alice renames the group, bob (3 unread) must hear 3 and carol 0, never alice's value.
for (const backend of backends()) {
  describe(`per-member unread_count in conversation events [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let watchers: Watcher[];
    let conversationId: string;
    let unread: Map<string, number>;
    const clients: RealtimeClient[] = [];

    before(async () => {
      node = await startTestApp(backend);
      [alice, bob, carol] = await registerUsers(node.url, ["alice", "bob", "carol"]);
    });
    beforeEach(async () => {
      watchers = [];
      for (const user of [alice, bob, carol]) watchers.push(await watch(node.url, user, clients));
      ({ conversationId, unread } = await groupWithUnread(alice, bob, carol));
    });
    afterEach(() => closeAll(clients));
    after(() => stopTestApp(node.app));

    const clientsOf = (list: Watcher[]) => new Map(list.map((w) => [w.user.id, [w.io, w.ws]]));
    const rename = async (name: string) => {
      const res = await alice.api.put(`/api/v1/conversations/${conversationId}`, { name });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    it("sends each member its own unread_count in conversation.updated, on Socket.IO and /ws", async () => {
      const raw = watchers.map((w) => [recordRaw(w.io), recordRaw(w.ws)]);
      const updated = await rename("renamed");
      assert.equal(updated.unread_count, 0, "alice's own view over REST");
      const frames = await expectOwnCounts(
        clientsOf(watchers),
        "conversation.updated",
        conversationId,
        unread,
      );
      const { cursor: _cursor, ...alices } = frames[0];
      assert.deepEqual(alices, { type: "conversation.updated", data: updated });
      await settle(watchers);
      watchers.forEach((watcher, i) => {
        for (const [j, client] of [watcher.io, watcher.ws].entries()) {
          const about = (f: Record<string, any>) => f.data?.id === conversationId;
          assert.equal(framesOf(client, "conversation.updated", about).length, 1, "once");
          const own = unread.get(watcher.user.id)!;
          assertOwnValueOnly(raw[i][j], "conversation.updated", conversationId, own);
        }
      });
    });

    it("returns each member's own unread_count from GET /sync, and to a connection resuming with since", async () => {
      await rename("synced");
      await node.app.events.sequencer.flush();
      for (const watcher of watchers) {
        const { user } = watcher;
        const res = await user.api.get(`/api/v1/sync?since=${readyCursor(watcher)}&limit=100`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const updates = res.body.data.filter(
          (frame: Record<string, any>) =>
            frame.type === "conversation.updated" && frame.data.id === conversationId,
        );
        assert.equal(updates.length, 1);
        assert.equal(updates[0].data.unread_count, unread.get(user.id));
        const text = JSON.stringify(updates[0]);
        assert.equal(text.match(/"unread_count"/g)?.length, 1);
        assert.doesNotMatch(JSON.stringify(res.body), /viewer/i);
        // The gap-healing read (a batch lost between nodes) carries the values too.
        const position = decodeEventCursor(updates[0].cursor)!;
        const [healed] = await node.app.events.log.range(position - 1, position);
        assert.deepEqual(
          Object.fromEntries(
            Object.entries(healed.viewerFields ?? {}).map(([id, own]) => [id, own.unread_count]),
          ),
          Object.fromEntries(unread),
        );
      }
      const resumed = new Map<string, RealtimeClient[]>();
      for (const watcher of watchers) {
        const since = readyCursor(watcher);
        const both = await connectBoth(node.url, watcher.user.token, clients, { since });
        resumed.set(watcher.user.id, both);
      }
      await expectOwnCounts(resumed, "conversation.updated", conversationId, unread);
    });

    it("sends the remaining members their own counts when ownership passes on", async () => {
      const [, bobs, carols] = watchers;
      const path = `/api/v1/conversations/${conversationId}/members/${alice.id}`;
      const raw = [bobs, carols].map((w) => recordRaw(w.ws));
      assert.equal((await alice.api.delete(path)).status, 204);
      const [bobsFrame] = await expectOwnCounts(
        clientsOf([bobs, carols]),
        "conversation.updated",
        conversationId,
        unread,
      );
      const roles = bobsFrame.data.members.map((member: { role: string }) => member.role);
      assert.deepEqual(roles.sort(), ["member", "owner"]);
      raw.forEach((texts, i) => {
        const own = unread.get([bob, carol][i].id)!;
        assertOwnValueOnly(texts, "conversation.updated", conversationId, own);
      });
    });

    it("sends conversation.created with each member's unread_count, and none to JetStream consumers", async () => {
      const bus = await nextBusEvent(node.app, "conversation.updated", conversationId);
      try {
        await rename("published");
        const published = await bus.event;
        assert.ok(!("unread_count" in (published.body.data as object)), "no per-user field");
        assert.doesNotMatch(JSON.stringify(published.body), /viewer/i);
      } finally {
        await bus.close();
      }
      const created = await alice.api.post("/api/v1/conversations", {
        type: "group",
        member_ids: [bob.id, carol.id],
        name: "fresh",
      });
      assert.equal(created.status, 201);
      const zeros = new Map([alice, bob, carol].map((user) => [user.id, 0]));
      const frames = await expectOwnCounts(
        clientsOf(watchers),
        "conversation.created",
        created.body.id,
        zeros,
      );
      assert.deepEqual(frames[0].data, created.body);
    });
  });
}
