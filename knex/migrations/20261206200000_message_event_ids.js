/**
 * A message's `message.new` event now has the message's id as its own id, so deleting or
 * editing the message finds that event by the outbox's primary key. The expression index
 * on the message id inside every message event's payload goes: it was one more index
 * entry, and one more expression evaluated, per message sent. Edits (`message.updated`)
 * are found by conversation through a partial index that covers only rare event types.
 *
 * Existing `message.new` rows take their message's id. One that was published to JetStream
 * but not yet marked (a crash in between) would be published again under the new id, and
 * reach consumers twice: upgrade with the relay caught up (messaging_outbox_backlog 0).
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `UPDATE outbox SET id = (payload #>> '{data,id}')::uuid
     WHERE type = 'message.new' AND id <> (payload #>> '{data,id}')::uuid`,
  );
  await knex.raw("DROP INDEX IF EXISTS outbox_message_events");
  await knex.raw("DROP INDEX IF EXISTS outbox_conversation_events");
  await knex.raw(
    `CREATE INDEX outbox_conversation_changes ON outbox (conversation_id)
     WHERE type IN ('message.updated', 'conversation.created', 'conversation.updated')`,
  );
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.raw("DROP INDEX IF EXISTS outbox_conversation_changes");
  await knex.raw(
    `CREATE INDEX outbox_message_events ON outbox ((payload #>> '{data,id}'))
     WHERE type IN ('message.new', 'message.updated')`,
  );
  await knex.raw(
    `CREATE INDEX outbox_conversation_events ON outbox (conversation_id)
     WHERE type IN ('conversation.created', 'conversation.updated')`,
  );
};
