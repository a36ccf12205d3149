import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import type { BusEvent } from "../../lib/events/event-bus";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { readStream, unpublishedCount, waitUntil } from "../support/event-helpers";
import { registerUsers, TestUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { deleteStream } from "../support/service-cleanup";
import { startTestApp, stopTestApp } from "../support/test-app";

type Copy = { content: string | null; deleted: boolean };

/**
 * A consumer that keeps message text, following docs/events.md ("Deleted and edited
 * content"): a created or updated message replaces its copy, in position order; a
 * deletion empties it; a deleted conversation drops its messages.
 */
function applyAsDocumented(events: BusEvent[]): Map<string, Copy> {
  const copies = new Map<string, Copy & { conversation: string }>();
  for (const event of [...events].sort((a, b) => a.position - b.position)) {
    const data = event.body.data as Record<string, any>;
    if (event.body.type === "message.new" || event.body.type === "message.updated") {
      copies.set(data.id, {
        content: data.content,
        deleted: data.deleted_at !== null,
        conversation: data.conversation_id,
      });
    } else if (event.body.type === "message.deleted") {
      copies.set(data.id, { content: null, deleted: true, conversation: data.conversation_id });
    } else if (event.body.type === "conversation.deleted") {
      for (const [id, copy] of copies) if (copy.conversation === data.id) copies.delete(id);
    }
  }
  return new Map([...copies].map(([id, { content, deleted }]) => [id, { content, deleted }]));
}

// A private stream per test, on the real NATS: the services backend only.
for (const backend of backends().filter((b) => b.natsUrl)) {
  describe(`delete means gone: JetStream [${backend.name}]`, () => {
    let app: App;
    let stream: string;
    // Its own database: another suite's node on the shared one could publish these events
    // to its own stream (every node's relay publishes whatever the log holds).
    let database: PrivateDatabase;
    let alice: TestUser;
    let bob: TestUser;

    beforeEach(async () => {
      const suffix = newId().replace(/-/g, "").slice(-10);
      stream = `GONE_${suffix}`;
      let url: string;
      database = await privateDatabase(backend);
      ({ app, url } = await startTestApp(backend, {
        database: { url: database.url },
        nats: { stream, subject_prefix: `gone_${suffix}` },
      }));
      [alice, bob] = await registerUsers(url, ["alice", "bob"]);
    });

    afterEach(async () => {
      await stopTestApp(app);
      await database.drop();
      await deleteStream(backend.natsUrl!, stream);
    });

    const published = () =>
      waitUntil(async () => (await unpublishedCount(app)) === 0, "the outbox is published");

    it("publishes content that was edited or deleted before the relay reached it already redacted", async () => {
      const group = await openConversation([alice, bob]);
      const kept = await send(alice, group, "as first written");
      await published();
      await app.events.relay.stop();
      await alice.api.put(`/api/v1/messages/${kept.id}`, { content: "second wording" });
      await alice.api.put(`/api/v1/messages/${kept.id}`, { content: "third wording" });
      const gone = await send(bob, group, "regrettable words");
      await bob.api.delete(`/api/v1/messages/${gone.id}`);
      app.events.relay.start();
      await published();

      const events = await readStream(backend.natsUrl!, stream, 6);
      const text = JSON.stringify(events.map((event) => event.body));
      assert.ok(!text.includes("second wording"), "a superseded text was published");
      assert.ok(!text.includes("regrettable"), "deleted text was published");
      const tail = events.slice(-4).map((event) => event.body);
      assert.deepEqual(
        tail.map((body) => body.type),
        ["message.updated", "message.updated", "message.new", "message.deleted"],
      );
      for (const body of tail.slice(0, 2)) {
        assert.equal((body.data as { content: string }).content, "third wording");
      }
      assert.equal((tail[2].data as { content: string | null }).content, null);
      const copies = applyAsDocumented(events);
      assert.deepEqual(copies.get(kept.id), { content: "third wording", deleted: false });
      assert.deepEqual(copies.get(gone.id), { content: null, deleted: true });
    });

    it("a consumer following docs/events.md forgets what was published before a delete or edit", async () => {
      const group = await openConversation([alice, bob]);
      const edited = await send(alice, group, "draft one");
      const deleted = await send(bob, group, "oops wrong chat");
      const dropped = await openConversation([bob, alice]);
      const inDropped = await send(bob, dropped, "whole conversation goes");
      await published();
      await alice.api.put(`/api/v1/messages/${edited.id}`, { content: "draft two" });
      await bob.api.delete(`/api/v1/messages/${deleted.id}`);
      await bob.api.delete(`/api/v1/conversations/${dropped}`);
      await published();

      const events = await readStream(backend.natsUrl!, stream, 8);
      const positions = events.map((event) => event.position);
      assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b),
        "stream in log order",
      );
      const copies = applyAsDocumented(events);
      assert.deepEqual(copies.get(edited.id), { content: "draft two", deleted: false });
      assert.deepEqual(copies.get(deleted.id), { content: null, deleted: true });
      assert.equal(copies.has(inDropped.id), false);
      const remembered = JSON.stringify([...copies.values()]);
      for (const gone of ["draft one", "oops", "whole conversation"]) {
        assert.ok(!remembered.includes(gone), gone);
      }
    });
  });
}
