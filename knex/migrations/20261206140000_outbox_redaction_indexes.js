/**
 * Indexes that find the stored events carrying a message, so deleting or editing it can
 * rewrite them in its own transaction (lib/store/event-redaction-repository.ts, whose
 * predicates must match these): the message events by the message id inside the payload,
 * and the conversation events (whose `last_message` may show it) by conversation. Both are
 * partial: the second covers only conversation.created / .updated, rare events; the first
 * adds one B-tree entry per message.new (ids are time-ordered, so it appends at the right).
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `CREATE INDEX outbox_message_events ON outbox ((payload #>> '{data,id}'))
     WHERE type IN ('message.new', 'message.updated')`,
  );
  await knex.raw(
    `CREATE INDEX outbox_conversation_events ON outbox (conversation_id)
     WHERE type IN ('conversation.created', 'conversation.updated')`,
  );
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.raw("DROP INDEX IF EXISTS outbox_conversation_events");
  await knex.raw("DROP INDEX IF EXISTS outbox_message_events");
};
