/**
 * `messages_by_parent` (parent_id, seq) serves thread listings (`parent_id = ?`) and the
 * foreign key's checks, which all name a parent: most messages are not replies, so it now
 * holds replies only, and a message that is not one costs no entry in it.
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw("DROP INDEX IF EXISTS messages_by_parent");
  await knex.raw(
    "CREATE INDEX messages_by_parent ON messages (parent_id, seq) WHERE parent_id IS NOT NULL",
  );
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.raw("DROP INDEX IF EXISTS messages_by_parent");
  await knex.raw("CREATE INDEX messages_by_parent ON messages (parent_id, seq)");
};
