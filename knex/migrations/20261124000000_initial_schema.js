/**
 * The whole first schema: the seed's tables plus what the contract needs (gapless seq,
 * read pointers, idempotency keys, search vectors, the outbox / event log).
 * Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm");

  await knex.schema.createTable("users", (t) => {
    t.uuid("id").primary();
    t.text("username").notNullable();
    t.text("display_name").notNullable();
    t.text("password_hash");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("CREATE UNIQUE INDEX users_username_key ON users (lower(username))");
  await knex.raw("CREATE INDEX users_username_prefix ON users (lower(username) text_pattern_ops)");
  await knex.raw(
    "CREATE INDEX users_display_name_prefix ON users (lower(display_name) text_pattern_ops)",
  );

  await knex.schema.createTable("conversations", (t) => {
    t.uuid("id").primary();
    t.text("type").notNullable();
    t.text("name");
    t.text("description");
    t.jsonb("metadata").notNullable().defaultTo("{}");
    t.uuid("created_by").references("users.id");
    // "<smaller user id>:<larger user id>" for direct conversations: one per pair.
    t.text("direct_key").unique();
    t.bigInteger("last_seq").notNullable().defaultTo(0);
    t.timestamp("last_activity_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    "ALTER TABLE conversations ADD CONSTRAINT conversations_type_check CHECK (type IN ('direct', 'group'))",
  );
  await knex.raw(
    "CREATE INDEX conversations_search ON conversations USING gin ((coalesce(name, '') || ' ' || coalesce(description, '')) gin_trgm_ops)",
  );

  await knex.schema.createTable("conversation_members", (t) => {
    t.uuid("conversation_id").notNullable().references("conversations.id").onDelete("CASCADE");
    t.uuid("user_id").notNullable().references("users.id");
    t.text("role").notNullable().defaultTo("member");
    t.timestamp("joined_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger("last_read_seq").notNullable().defaultTo(0);
    t.timestamp("last_read_at", { useTz: true });
    t.primary(["conversation_id", "user_id"]);
    t.index(["user_id"], "conversation_members_by_user");
  });
  await knex.raw(
    "ALTER TABLE conversation_members ADD CONSTRAINT conversation_members_role_check CHECK (role IN ('owner', 'admin', 'member'))",
  );

  await knex.schema.createTable("files", (t) => {
    t.uuid("id").primary();
    t.uuid("uploader_id").notNullable().references("users.id");
    t.text("filename").notNullable();
    t.text("content_type").notNullable();
    t.bigInteger("size").notNullable();
    t.text("sha256").notNullable();
    t.text("storage_key").notNullable();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["uploader_id"], "files_by_uploader");
  });

  await knex.schema.createTable("messages", (t) => {
    t.uuid("id").primary();
    t.uuid("conversation_id").notNullable().references("conversations.id").onDelete("CASCADE");
    t.uuid("sender_id").notNullable().references("users.id");
    t.bigInteger("seq").notNullable();
    t.text("content");
    t.jsonb("metadata").notNullable().defaultTo("{}");
    t.uuid("parent_id").references("messages.id");
    t.integer("reply_count").notNullable().defaultTo(0);
    t.text("client_msg_id");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("edited_at", { useTz: true });
    t.timestamp("deleted_at", { useTz: true });
    t.unique(["conversation_id", "seq"], { indexName: "messages_conversation_seq_key" });
    t.unique(["sender_id", "client_msg_id"], { indexName: "messages_sender_client_msg_id_key" });
    t.index(["parent_id", "seq"], "messages_by_parent");
  });
  await knex.raw(
    "ALTER TABLE messages ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(content, ''))) STORED",
  );
  await knex.raw("CREATE INDEX messages_search_vector ON messages USING gin (search_vector)");
  await knex.raw("CREATE INDEX messages_content_trgm ON messages USING gin (content gin_trgm_ops)");

  await knex.schema.createTable("message_edits", (t) => {
    t.bigIncrements("id").primary();
    t.uuid("message_id").notNullable().references("messages.id").onDelete("CASCADE");
    t.text("content").notNullable();
    t.timestamp("edited_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["message_id", "id"], "message_edits_by_message");
  });

  await knex.schema.createTable("message_attachments", (t) => {
    t.uuid("message_id").notNullable().references("messages.id").onDelete("CASCADE");
    t.uuid("file_id").notNullable().references("files.id").onDelete("CASCADE");
    t.integer("position").notNullable().defaultTo(0);
    t.primary(["message_id", "file_id"]);
    t.index(["file_id"], "message_attachments_by_file");
  });

  await knex.schema.createTable("message_reactions", (t) => {
    t.uuid("message_id").notNullable().references("messages.id").onDelete("CASCADE");
    t.uuid("user_id").notNullable().references("users.id");
    t.text("emoji").notNullable();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["message_id", "user_id", "emoji"]);
  });

  await knex.schema.createTable("message_read_receipts", (t) => {
    t.uuid("message_id").notNullable().references("messages.id").onDelete("CASCADE");
    t.uuid("user_id").notNullable().references("users.id");
    t.uuid("conversation_id").notNullable();
    t.bigInteger("seq").notNullable();
    t.timestamp("read_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["message_id", "user_id"]);
  });

  // The transactional outbox, which is also the sync log. A row is written in the same
  // transaction as its change with position NULL; the sequencer numbers committed rows in
  // commit order, so a reader following `position` never skips a late commit.
  await knex.schema.createTable("outbox", (t) => {
    t.bigIncrements("insert_order").primary();
    t.uuid("id").notNullable().unique();
    t.bigInteger("position").unique();
    t.text("type").notNullable();
    t.text("subject").notNullable();
    t.uuid("conversation_id");
    t.specificType("audience", "uuid[]").notNullable().defaultTo("{}");
    t.jsonb("payload").notNullable();
    t.timestamp("occurred_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("published_at", { useTz: true });
  });
  await knex.raw("CREATE INDEX outbox_unsequenced ON outbox (insert_order) WHERE position IS NULL");
  await knex.raw(
    "CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL AND position IS NOT NULL",
  );
  await knex.raw("CREATE INDEX outbox_audience ON outbox USING gin (audience)");

  await knex.schema.createTable("event_log_state", (t) => {
    t.integer("id").primary();
    t.bigInteger("last_position").notNullable().defaultTo(0);
    t.bigInteger("pruned_through").notNullable().defaultTo(0);
  });
  await knex("event_log_state").insert({ id: 1, last_position: 0, pruned_through: 0 });
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    "event_log_state",
    "outbox",
    "message_read_receipts",
    "message_reactions",
    "message_attachments",
    "message_edits",
    "messages",
    "files",
    "conversation_members",
    "conversations",
    "users",
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};
