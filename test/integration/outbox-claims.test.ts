import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { commitEvents, messageDraft, waitUntil } from "../support/event-helpers";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { startTestApp, stopTestApp } from "../support/test-app";

const LEASE_MS = 60_000;

for (const backend of backends()) {
  describe(`relay cursor (what reached the broker) [${backend.name}]`, () => {
    let database: PrivateDatabase;
    let app: App;
    let positions: number[];

    before(async function () {
      this.timeout(90_000);
      database = await privateDatabase(backend);
      ({ app } = await startTestApp(backend, { database: { url: database.url } }));
      await app.events.relay.stop();
    });
    after(async () => {
      await stopTestApp(app);
      await database?.drop();
    });

    const state = () => app.database.knex("outbox_relay_state").where({ id: 1 });

    /** Three numbered events after the cursor, and no lease held. */
    beforeEach(async () => {
      await commitEvents(
        app,
        [1, 2, 3].map(() => messageDraft([newId()])),
      );
      await app.events.sequencer.flush();
      const head = await app.events.log.head();
      positions = [head - 2, head - 1, head];
      await state().update({ published_through: head - 3, owner: null, lease_expires_at: null });
    });

    const claim = (owner: string) => app.events.relayCursor.claim(owner, 10, LEASE_MS);
    const claimedPositions = (events: { position: number }[]) => events.map((e) => e.position);

    it("gives the events after the cursor to one of two concurrent claimers, in order", async () => {
      const [first, second] = await Promise.all([claim("node-a"), claim("node-b")]);
      const winners = [first, second].filter((batch) => batch.length > 0);
      assert.equal(winners.length, 1, "exactly one claimer wins");
      assert.deepEqual(claimedPositions(winners[0]), positions);
      assert.deepEqual(await claim("node-c"), [], "nothing while the lease is held");
    });

    if (backend.name === "services") {
      it("gives the lease to one claimer even when both wait for its row", async () => {
        const knex = app.database.knex;
        const holder = await knex.transaction();
        await holder("outbox_relay_state").where({ id: 1 }).forUpdate().select("id");
        const both = Promise.all([claim("node-a"), claim("node-b")]);
        await waitUntil(async () => {
          const { rows } = await knex.raw(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows[0].n === 2;
        }, "both claimers wait for the lease row");
        await holder.commit();
        const winners = (await both).filter((batch) => batch.length > 0);
        assert.equal(winners.length, 1, "exactly one claimer wins");
        assert.deepEqual(claimedPositions(winners[0]), positions);
      });
    }

    it("lets others wait out a lease that was not given back, and its owner take it again", async () => {
      assert.equal((await claim("node-a")).length, 3);
      assert.deepEqual(await claim("node-b"), [], "another node waits the lease out");
      assert.deepEqual(claimedPositions(await claim("node-a")), positions, "the owner goes on");
      await state().update({ lease_expires_at: app.database.knex.raw("now() - interval '1 s'") });
      assert.deepEqual(claimedPositions(await claim("node-b")), positions);
      assert.equal((await state().first("owner")).owner, "node-b");
    });

    it("moves the cursor past what was published and gives the lease back", async () => {
      const batch = await claim("node-a");
      assert.equal(await app.events.relayCursor.markPublished("node-a", batch[1].position), true);
      assert.equal(await app.events.relayCursor.publishedThrough(), positions[1]);
      assert.deepEqual(claimedPositions(await claim("node-b")), [positions[2]]);
      await app.events.relayCursor.markPublished("node-b", positions[2]);
      assert.deepEqual(await claim("node-c"), [], "nothing left after the head");
      assert.equal((await state().first("owner")).owner, null, "an idle claim writes nothing");
    });

    it("ignores a mark from a node whose lease passed to another, and never moves back", async () => {
      await claim("node-a");
      await state().update({ lease_expires_at: app.database.knex.raw("now() - interval '1 s'") });
      await claim("node-b");
      assert.equal(await app.events.relayCursor.markPublished("node-a", positions[2]), false);
      assert.equal(await app.events.relayCursor.publishedThrough(), positions[0] - 1);
      await app.events.relayCursor.markPublished("node-b", positions[2]);
      await claim("node-c");
      await app.events.relayCursor.markPublished("node-c", positions[0]);
      assert.equal(await app.events.relayCursor.publishedThrough(), positions[2]);
    });
  });
}
