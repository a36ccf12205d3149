import assert from "node:assert/strict";
import { App, createApp } from "../../lib/app";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import {
  commitEvents,
  messageDraft,
  outboxIds,
  readStream,
  unpublishedCount,
  waitUntil,
} from "../support/event-helpers";
import { crashAfterPublish } from "../support/crashing-bus";
import { registerUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { PrivateNatsServer } from "../support/nats-server";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { startTestApp, stopTestApp, testConfig } from "../support/test-app";

/** Every id once, and exactly the committed ones. */
function assertExactlyOnce(received: { id: string }[], committed: string[]): void {
  const counts = new Map<string, number>();
  for (const { id } of received) counts.set(id, (counts.get(id) ?? 0) + 1);
  const doubled = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(doubled, [], "events delivered more than once");
  assert.deepEqual([...counts.keys()].sort(), [...committed].sort());
}

const failures = async (app: App): Promise<number> =>
  (await app.events.metrics.publishFailures.get()).values[0]?.value ?? 0;

// NATS fault tests need PostgreSQL (two nodes on one private database) and a private
// nats-server they may stop: the services backend only.
for (const backend of backends().filter((b) => b.name === "services")) {
  describe(`outbox relay to JetStream [${backend.name}]`, () => {
    let nats: PrivateNatsServer;
    let database: PrivateDatabase;
    let overrides: Record<string, unknown>;
    let stream: string;

    beforeEach(async () => {
      nats = await PrivateNatsServer.start();
      database = await privateDatabase(backend);
      const suffix = newId().replace(/-/g, "").slice(-10);
      stream = `FAULT_${suffix}`;
      overrides = {
        database: { url: database.url },
        nats: { url: nats.url, stream, subject_prefix: `fault_${suffix}` },
        events: { relay_lease: "1s", poll_interval: "200ms" },
      };
    });

    // Runs before the root hook that stops a test's apps: stop them before the database goes.
    const apps: App[] = [];
    const startNode = async () => {
      const started = await startTestApp(backend, overrides);
      apps.push(started.app);
      return started;
    };

    afterEach(async () => {
      await Promise.all(apps.splice(0).map((app) => stopTestApp(app)));
      await nats?.destroy();
      await database?.drop();
    });

    it("publishes every event exactly once across a NATS outage, from two nodes", async function () {
      this.timeout(120_000);
      const first = await startNode();
      const second = await startNode();
      const nodes = [first.app, second.app];
      const owner = await registerUser(first.url, "owner");
      const group = await owner.api.post("/api/v1/conversations", {
        type: "group",
        member_ids: [],
        name: "outage",
      });
      assert.equal(group.status, 201);
      const apis = [owner.api, new ApiClient(second.url, owner.token)];
      // Changes over REST on both nodes, plus raw multi-event transactions.
      const send = async (count: number) => {
        for (let i = 0; i < count; i += 1) {
          const res = await apis[i % 2].put(`/api/v1/conversations/${group.body.id}`, {
            name: `rename ${i}`,
          });
          assert.equal(res.status, 200);
          await commitEvents(nodes[i % 2], [messageDraft([newId()]), messageDraft([newId()])]);
        }
      };

      await send(10);
      await waitUntil(async () => (await unpublishedCount(nodes[0])) === 0, "phase 1 published");

      await nats.stop();
      await send(10);
      await waitUntil(
        async () => (await failures(nodes[0])) + (await failures(nodes[1])) > 0,
        "a publish failed while NATS was down",
      );
      const ready = await new ApiClient(second.url).get("/readyz");
      assert.equal(ready.status, 503);
      assert.match(ready.body.checks.nats, /failing/);
      await send(10);
      assert.ok((await unpublishedCount(nodes[0])) > 0);

      await nats.start();
      await waitUntil(
        async () => (await unpublishedCount(nodes[0])) === 0,
        "the backlog published after NATS came back",
        60_000,
      );
      const committed = await outboxIds(nodes[0]);
      assert.equal(committed.length, 1 + 30 * 3);
      assertExactlyOnce(await readStream(nats.url, stream, committed.length), committed);
      await waitUntil(
        async () => (await new ApiClient(second.url).get("/readyz")).status === 200,
        "ready again",
      );
    });

    it("does not deliver an event twice when a node dies between publish and marking", async function () {
      this.timeout(60_000);
      const published: string[] = [];
      const crashing = await createApp(await testConfig(backend, overrides), {
        eventBus: (bus) =>
          crashAfterPublish(bus, (events) => published.push(...events.map((event) => event.id))),
      });
      try {
        await crashing.start();
        await commitEvents(crashing, [messageDraft([newId()])]);
        await waitUntil(async () => published.length > 0, "the event was published once");
        assert.equal(await unpublishedCount(crashing), 1, "the crash left the event unmarked");
      } finally {
        await crashing.stop();
      }

      // Another node takes over once the dead node's claim expires, and republishes.
      const survivor = (await startNode()).app;
      await waitUntil(async () => (await unpublishedCount(survivor)) === 0, "republished");
      const committed = await outboxIds(survivor);
      // The crashing node may have published it more than once before it stopped.
      assert.deepEqual(committed, [...new Set(published)]);
      const republished = await survivor.events.metrics.eventsPublished.get();
      assert.equal(republished.values[0]?.value, 1, "the survivor published it again");
      assertExactlyOnce(await readStream(nats.url, stream, 1), committed);
    });
  });
}
