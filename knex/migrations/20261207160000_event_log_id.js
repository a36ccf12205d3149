/**
 * `event_log_state.log_id`: the identity of this event log. Nodes sharing Redis route
 * batches by log position, so the cluster bus keeps its routing state under the log's id:
 * nodes on another database (another log) sharing the Redis prefix never mix with it.
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    "ALTER TABLE event_log_state ADD COLUMN log_id uuid NOT NULL DEFAULT gen_random_uuid()",
  );
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.raw("ALTER TABLE event_log_state DROP COLUMN log_id");
};
