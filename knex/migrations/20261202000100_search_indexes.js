/**
 * Indexes that let a message search read only the caller's conversations.
 *
 * A conversation's messages are spread over the heap (one per page when conversations
 * interleave), and every search word is a prefix (`deploy:*`), which the GIN index answers
 * by collecting the matches of the whole table. So a search either visits a heap page per
 * message in scope or pays for every match in the table. `messages_search_covering` keeps
 * what a search filters and ranks on (vector, content, sender) in conversation order, so the
 * caller's scope is a few contiguous index pages read index-only, and only the page of hits
 * is fetched from the heap.
 *
 * A B-tree entry must stay under ~2.7 kB, so only content of at most 500 bytes (its tsvector
 * is at most ~3.4× that) is covered; `messages_search_long` finds the caller's longer
 * messages, which are then read from the heap. The repository's SHORT_CONTENT_BYTES and
 * these predicates must agree.
 *
 * `messages_content_trgm` goes: no query could use it (the substring match is on
 * `coalesce(content, '')`, which it does not index, and now reads the caller's
 * conversations anyway), and it was about half the WAL of every message insert.
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw("DROP INDEX IF EXISTS messages_content_trgm");
  await knex.raw(
    `CREATE INDEX messages_search_covering ON messages (conversation_id, created_at, id)
     INCLUDE (sender_id, search_vector, content)
     WHERE deleted_at IS NULL AND octet_length(content) <= 500`,
  );
  await knex.raw(
    `CREATE INDEX messages_search_long ON messages (conversation_id, created_at)
     WHERE deleted_at IS NULL AND octet_length(content) > 500`,
  );
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.raw("DROP INDEX IF EXISTS messages_search_long");
  await knex.raw("DROP INDEX IF EXISTS messages_search_covering");
  await knex.raw(
    "CREATE INDEX IF NOT EXISTS messages_content_trgm ON messages USING gin (content gin_trgm_ops)",
  );
};
