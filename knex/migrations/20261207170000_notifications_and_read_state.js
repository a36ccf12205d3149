/**
 * Mentions, notification levels and read state beyond one pointer (issue 17):
 * - messages.mentions: the members a message names, resolved at send time; a partial GIN
 *   index serves `mentions=me` search (most messages mention nobody and cost no entry).
 * - conversation_members: the member's notification level (null: the configured default
 *   for the conversation's type), a mute end, and the delivered pointer (seq a client
 *   acknowledged receiving; reading implies it).
 * - thread_reads: a member's read pointer per thread (root message).
 * - users.read_receipts: false hides the user's reads from others.
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw("ALTER TABLE messages ADD COLUMN mentions uuid[] NOT NULL DEFAULT '{}'");
  await knex.raw(
    "CREATE INDEX messages_by_mention ON messages USING gin (mentions) WHERE mentions <> '{}'",
  );
  await knex.schema.alterTable("conversation_members", (t) => {
    t.text("notification_level").nullable();
    t.timestamp("muted_until", { useTz: true }).nullable();
    t.bigInteger("delivered_seq").notNullable().defaultTo(0);
    t.timestamp("delivered_at", { useTz: true }).nullable();
  });
  await knex.raw(
    "ALTER TABLE conversation_members ADD CONSTRAINT conversation_members_level_check CHECK (notification_level IN ('all', 'mentions', 'none'))",
  );
  await knex.schema.createTable("thread_reads", (t) => {
    t.uuid("root_id").notNullable().references("messages.id").onDelete("CASCADE");
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.uuid("conversation_id").notNullable();
    t.bigInteger("last_read_seq").notNullable();
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["root_id", "user_id"]);
    t.index(["user_id", "conversation_id"], "thread_reads_by_member");
  });
  await knex.schema.alterTable("users", (t) => {
    t.boolean("read_receipts").notNullable().defaultTo(true);
  });
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable("users", (t) => t.dropColumn("read_receipts"));
  await knex.schema.dropTable("thread_reads");
  await knex.raw(
    "ALTER TABLE conversation_members DROP CONSTRAINT conversation_members_level_check",
  );
  await knex.schema.alterTable("conversation_members", (t) => {
    t.dropColumn("notification_level");
    t.dropColumn("muted_until");
    t.dropColumn("delivered_seq");
    t.dropColumn("delivered_at");
  });
  await knex.raw("DROP INDEX IF EXISTS messages_by_mention");
  await knex.raw("ALTER TABLE messages DROP COLUMN mentions");
};
