import assert from "node:assert/strict";
import { decodeEventCursor } from "../../lib/events/event-types";
import { backends } from "../support/backends";
import { messageDraft, recordEvents } from "../support/events";
import { registerUser, TestUser } from "../support/factories";
import {
  closeAll,
  connectBoth,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { startTestApp, TestApp, stopTestApp } from "../support/test-app";

const contentOf = (frame: Record<string, any>) => frame.data.content as string;
const position = (frame: Record<string, any>) => decodeEventCursor(frame.cursor) as number;

for (const backend of backends()) {
  describe(`realtime fan-out of stored events [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    const clients: RealtimeClient[] = [];

    before(async () => {
      node = await startTestApp(backend);
      alice = await registerUser(node.url, "alice");
      bob = await registerUser(node.url, "bob");
      carol = await registerUser(node.url, "carol");
    });
    afterEach(() => closeAll(clients));
    after(() => Promise.all([stopTestApp(node.app)]));

    const connectUser = (url: string, user: TestUser, since?: string) =>
      connectBoth(url, user.token, clients, { since });

    it("delivers a stored event with its cursor to every connection of its audience only", async () => {
      const [aliceIo, aliceWs] = await connectUser(node.url, alice);
      const [bobIo] = await connectUser(node.url, bob);
      const [carolIo, carolWs] = await connectUser(node.url, carol);
      const shared = messageDraft([alice.id, bob.id]);
      const onlyCarol = messageDraft([carol.id]);
      await recordEvents(node.app, [shared]);
      await recordEvents(node.app, [onlyCarol]);
      for (const client of [aliceIo, aliceWs, bobIo]) {
        const frame = await nextEvent(client, "message.new");
        assert.equal(contentOf(frame), shared.frame.data && (shared.frame.data as any).content);
        assert.ok(position(frame) > 0);
      }
      for (const client of [carolIo, carolWs]) {
        const frame = await nextEvent(client, "message.new");
        assert.equal(contentOf(frame), (onlyCarol.frame.data as any).content);
        assert.equal(framesOf(client, "message.new").length, 1);
      }
    });

    it("delivers in position order, each event once", async () => {
      const [io, ws] = await connectUser(node.url, alice);
      const drafts = Array.from({ length: 12 }, (_, i) => messageDraft([alice.id], `order ${i}`));
      await recordEvents(node.app, drafts.slice(0, 5));
      await Promise.all([
        recordEvents(node.app, drafts.slice(5, 9)),
        recordEvents(node.app, drafts.slice(9)),
      ]);
      for (const client of [io, ws]) {
        for (let i = 0; i < drafts.length; i += 1) await nextEvent(client, "message.new");
        const received = framesOf(client, "message.new");
        assert.equal(received.length, drafts.length);
        const positions = received.map(position);
        assert.deepEqual(
          positions,
          [...positions].sort((a, b) => a - b),
        );
        assert.equal(new Set(positions).size, positions.length);
      }
    });

    it("resumes from a cursor: the missed events first, then live ones, nothing doubled", async () => {
      const [first] = await connectUser(node.url, alice);
      const cursor = first.frames[0].data.cursor as string;
      closeAll(clients);
      const missed = [messageDraft([alice.id], "missed 1"), messageDraft([alice.id], "missed 2")];
      await recordEvents(node.app, missed);
      await recordEvents(node.app, [messageDraft([bob.id], "not for alice")]);
      // Events keep arriving while the clients resume.
      const during = recordEvents(node.app, [messageDraft([alice.id], "during")]);
      const [io, ws] = await connectUser(node.url, alice, cursor);
      await during;
      await recordEvents(node.app, [messageDraft([alice.id], "live")]);
      for (const client of [io, ws]) {
        const live = await nextEvent(client, "message.new", (f) => contentOf(f) === "live");
        const received = framesOf(client, "message.new").map(contentOf);
        assert.deepEqual(received, ["missed 1", "missed 2", "during", "live"]);
        assert.equal(client.frames[0].type, "ready");
        assert.ok(position(live) > decodeEventCursor(cursor)!);
      }
    });

    it("answers a cursor older than the retention with resync_required, then goes live", async () => {
      const knex = node.app.database.knex;
      const { pruned_through: before } = await knex("event_log_state").where({ id: 1 }).first();
      await knex("event_log_state")
        .where({ id: 1 })
        .update({ pruned_through: Math.max(Number(before), 1) });
      try {
        const [io, ws] = await connectUser(node.url, alice, "p0");
        await recordEvents(node.app, [messageDraft([alice.id], "after resync")]);
        for (const client of [io, ws]) {
          assert.equal((await nextEvent(client, "error")).error.code, "resync_required");
          await nextEvent(client, "message.new", (f) => contentOf(f) === "after resync");
        }
      } finally {
        await knex("event_log_state").where({ id: 1 }).update({ pruned_through: before });
      }
    });

    it("answers a malformed cursor with validation_error and stays live", async () => {
      const [io, ws] = await connectUser(node.url, alice, "not-a-cursor");
      await recordEvents(node.app, [messageDraft([alice.id], "still live")]);
      for (const client of [io, ws]) {
        assert.equal((await nextEvent(client, "error")).error.code, "validation_error");
        await nextEvent(client, "message.new", (f) => contentOf(f) === "still live");
      }
    });
  });
}
