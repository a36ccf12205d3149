/**
 * Drops the GIN index on `messages.search_vector`: since search reads only the caller's
 * conversations through `messages_search_covering`, no query uses it, and every message
 * insert paid for it (its pending list is merged by whichever insert overflows it, a
 * latency spike on the send path). Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw("DROP INDEX IF EXISTS messages_search_vector");
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.raw(
    "CREATE INDEX IF NOT EXISTS messages_search_vector ON messages USING gin (search_vector)",
  );
};
