/**
 * Relay claims on outbox rows: a node publishing a batch to NATS marks it claimed for a
 * lease instead of holding row locks while it waits for JetStream (on embedded PGlite an
 * open transaction holds the whole database). An expired claim is taken over by any node.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable("outbox", (t) => {
    t.text("claimed_by");
    t.timestamp("claim_expires_at", { useTz: true });
  });
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable("outbox", (t) => {
    t.dropColumn("claimed_by");
    t.dropColumn("claim_expires_at");
  });
};
