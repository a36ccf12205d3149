/**
 * The relay publishes the event log in position order, so "what is published" is one
 * number: `outbox_relay_state.published_through`, moved by whichever node holds the relay
 * lease (`owner` until `lease_expires_at`). Before, every event was written three more times
 * (numbered, claimed, marked published), each a new row version with all of the outbox's
 * index entries, and the claim scanned the dead versions that left behind: about half of
 * PostgreSQL's CPU per message. Outbox rows are now written once (and redacted or pruned).
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable("outbox_relay_state", (t) => {
    t.integer("id").primary();
    t.bigInteger("published_through").notNullable().defaultTo(0);
    t.text("owner");
    t.timestamp("lease_expires_at", { useTz: true });
  });
  const { rows } = await knex.raw(
    `SELECT coalesce(
       (SELECT min(position) - 1 FROM outbox WHERE published_at IS NULL AND position IS NOT NULL),
       (SELECT last_position FROM event_log_state WHERE id = 1),
       0) AS through`,
  );
  await knex("outbox_relay_state").insert({ id: 1, published_through: rows[0].through });
  await knex.raw("DROP INDEX IF EXISTS outbox_unpublished");
  await knex.schema.alterTable("outbox", (t) => {
    t.dropColumn("published_at");
    t.dropColumn("claimed_by");
    t.dropColumn("claim_expires_at");
  });
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable("outbox", (t) => {
    t.timestamp("published_at", { useTz: true });
    t.text("claimed_by");
    t.timestamp("claim_expires_at", { useTz: true });
  });
  await knex.raw(
    `UPDATE outbox SET published_at = now()
     WHERE position <= (SELECT published_through FROM outbox_relay_state WHERE id = 1)`,
  );
  await knex.raw(
    "CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL AND position IS NOT NULL",
  );
  await knex.schema.dropTable("outbox_relay_state");
};
