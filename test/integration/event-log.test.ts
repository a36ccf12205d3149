import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { decodeEventCursor, encodeEventCursor } from "../../lib/events/event-types";
import { newId } from "../../lib/ids";
import { txOf } from "../../lib/store/handles";
import { backends } from "../support/backends";
import { commitEvents, messageDraft, unpublishedCount, waitUntil } from "../support/event-helpers";
import { registerUser, TestUser } from "../support/factories";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { startTestApp } from "../support/test-app";

const idOf = (frame: Record<string, unknown>) => (frame.data as { id: string }).id;

for (const backend of backends()) {
  describe(`event log retention [${backend.name}]`, () => {
    let database: PrivateDatabase;

    before(async function () {
      this.timeout(90_000); // a fresh PGlite takes long on a busy machine
      database = await privateDatabase(backend);
    });

    after(async () => {
      await database?.drop();
    });

    it("prunes published events past retention and answers older cursors with 410", async function () {
      this.timeout(60_000);
      // A private database: a 1 ms retention would prune every other suite's log.
      const { app, url } = await startTestApp(backend, {
        database: { url: database.url },
        events: { retention: "1ms" },
      });
      const alice = await registerUser(url, "alice");
      const start = await app.services.sync.currentCursor();
      await commitEvents(app, [messageDraft([alice.id]), messageDraft([alice.id])]);
      await app.events.sequencer.flush();
      await waitUntil(async () => (await unpublishedCount(app)) === 0, "the relay published");

      await app.events.pruner.prune();
      const head = await app.services.sync.currentCursor();
      assert.equal(await app.events.log.prunedThrough(), decodeEventCursor(head));

      const stale = await alice.api.get(`/api/v1/sync?since=${start}`);
      assert.equal(stale.status, 410);
      assert.equal(stale.body.error.code, "resync_required");
      const fresh = await alice.api.get(`/api/v1/sync?since=${head}`);
      assert.equal(fresh.status, 200);
      assert.deepEqual(fresh.body.data, []);
    });

    // Only a relayed log (NATS) has unpublished events: the in-process bus takes them as
    // they are numbered.
    if (backend.natsUrl) {
      it("keeps unpublished events however old they are", async () => {
        const { app } = await startTestApp(backend, {
          database: { url: database.url },
          events: { retention: "1ms" },
        });
        await app.events.relay.stop();
        const before = await app.events.log.prunedThrough();
        await commitEvents(app, [messageDraft([newId()])]);
        await app.events.sequencer.flush();
        await app.database
          .knex("outbox_relay_state")
          .update({ published_through: (await app.events.log.head()) - 1 });
        await app.events.pruner.prune();
        assert.equal(await unpublishedCount(app), 1);
        assert.equal(await app.events.log.prunedThrough(), before);
      });
    }
  });

  describe(`event log under concurrent writers [${backend.name}]`, () => {
    let nodes: App[];
    let reader: TestUser;

    before(async function () {
      this.timeout(90_000); // the first app of the run may start the shared PGlite
      const first = await startTestApp(backend);
      const second = await startTestApp(backend);
      nodes = [first.app, second.app];
      reader = await registerUser(first.url, "reader");
    });

    /** Inserts first, then holds the transaction open a while: commit order ≠ insert order. */
    async function slowWriter(app: App, id: number): Promise<string> {
      const draft = messageDraft([reader.id]);
      await app.database.knex.transaction(async (trx) => {
        await app.events.log.append(txOf(trx), [draft]);
        await new Promise((resolve) => setTimeout(resolve, ((id * 7919) % 13) * 3));
      });
      app.events.sequencer.wake();
      return idOf(draft.frame);
    }

    it("a reader following the cursor never skips an event that committed late", async () => {
      const seen: string[] = [];
      let cursor = await nodes[0].services.sync.currentCursor();
      let writing = true;
      const poll = async (): Promise<boolean> => {
        const page = await nodes[0].services.sync.sync(reader.id, { since: cursor, limit: 100 });
        seen.push(...page.data.map(idOf));
        cursor = page.next_cursor;
        return page.has_more;
      };
      const polling = (async () => {
        while (writing) await poll();
      })();
      const committed = await Promise.all(
        Array.from({ length: 60 }, (_, i) => slowWriter(nodes[i % 2], i)),
      );
      writing = false;
      await polling;
      await Promise.all(nodes.map((app) => app.events.sequencer.flush()));
      while (await poll());

      assert.equal(new Set(seen).size, seen.length, "no event read twice");
      assert.deepEqual([...seen].sort(), [...committed].sort());
      assert.ok(decodeEventCursor(cursor)! <= (await nodes[0].events.log.head()));
      assert.notEqual(cursor, encodeEventCursor(0));
    });
  });
}
