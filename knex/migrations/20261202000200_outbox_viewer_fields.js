/**
 * Per-recipient fields of an event (`{user_id: {field: value}}`, e.g. each member's own
 * unread_count in conversation.updated), merged into `payload.data` for that recipient
 * only. NULL for events whose frame is the same for everyone (most of them).
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable("outbox", (t) => {
    t.jsonb("viewer_fields");
  });
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable("outbox", (t) => {
    t.dropColumn("viewer_fields");
  });
};
