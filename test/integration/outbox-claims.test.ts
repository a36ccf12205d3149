import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { commitEvents, messageDraft, waitUntil } from "../support/event-helpers";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { startTestApp, stopTestApp } from "../support/test-app";

const LEASE_MS = 60_000;

for (const backend of backends()) {
  describe(`outbox claims (the relay's queue) [${backend.name}]`, () => {
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

    /** Three numbered events, none published or claimed (whatever the bus did meanwhile). */
    beforeEach(async () => {
      const knex = app.database.knex;
      await knex("outbox").update({ published_at: knex.fn.now() }).whereNull("published_at");
      await commitEvents(
        app,
        [1, 2, 3].map(() => messageDraft([newId()])),
      );
      await app.events.sequencer.flush();
      const rows = await knex("outbox").whereNotNull("position").orderBy("position", "desc");
      positions = rows
        .slice(0, 3)
        .map((row) => Number(row.position))
        .reverse();
      await knex("outbox")
        .whereIn("position", positions)
        .update({ published_at: null, claimed_by: null, claim_expires_at: null });
    });

    const claim = (owner: string) => app.events.outbox.claimUnpublished(owner, 10, LEASE_MS);
    const claimedPositions = (events: { position: number }[]) => events.map((e) => e.position);

    it("gives the whole head to one of two concurrent claimers, in position order", async () => {
      const [first, second] = await Promise.all([claim("node-a"), claim("node-b")]);
      const winners = [first, second].filter((batch) => batch.length > 0);
      assert.equal(winners.length, 1, "exactly one claimer wins");
      assert.deepEqual(claimedPositions(winners[0]), positions);
      assert.deepEqual(await claim("node-c"), [], "nothing while the head is claimed");
    });

    if (backend.name === "services") {
      it("gives the head to one claimer even when both read it before either could claim it", async () => {
        // Holding the head's row locks lines both claimers up on them: without the claim's
        // own lock both would read the head as free and both would claim it.
        const knex = app.database.knex;
        const holder = await knex.transaction();
        await holder("outbox").whereIn("position", positions).forUpdate().select("id");
        const both = Promise.all([claim("node-a"), claim("node-b")]);
        await waitUntil(async () => {
          const { rows } = await knex.raw(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows[0].n === 2;
        }, "both claimers wait for the head's locks");
        await holder.commit();
        const winners = (await both).filter((batch) => batch.length > 0);
        assert.equal(winners.length, 1, "exactly one claimer wins");
        assert.deepEqual(claimedPositions(winners[0]), positions);
      });
    }

    it("claims only the prefix before another node's live claim", async () => {
      await app.database
        .knex("outbox")
        .where({ position: positions[1] })
        .update({
          claimed_by: "node-b",
          claim_expires_at: app.database.knex.raw("now() + '1 minute'"),
        });
      assert.deepEqual(claimedPositions(await claim("node-a")), [positions[0]]);
    });

    it("takes over claims that expired (a node that died) and records the new owner", async () => {
      assert.equal((await claim("dead-node")).length, 3);
      await app.database
        .knex("outbox")
        .whereIn("position", positions)
        .update({ claim_expires_at: app.database.knex.raw("now() - interval '1 second'") });
      assert.deepEqual(claimedPositions(await claim("node-a")), positions);
      const owners = await app.database
        .knex("outbox")
        .whereIn("position", positions)
        .pluck("claimed_by");
      assert.deepEqual(owners, ["node-a", "node-a", "node-a"]);
    });

    it("claims nothing once the events are marked published", async () => {
      const batch = await claim("node-a");
      await app.events.outbox.markPublished(batch.map((event) => event.id));
      assert.deepEqual(await claim("node-b"), []);
    });
  });
}
