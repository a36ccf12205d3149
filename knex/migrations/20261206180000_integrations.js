/**
 * Integrations: service admins and suspension on users, bots (users of kind `bot` owned
 * by an API key), hashed scoped API keys, the admin audit log, and webhook subscriptions
 * that follow the event log with their own cursor (never the relay's claim columns), with
 * their dead letters. Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable("api_keys", (t) => {
    t.uuid("id").primary();
    t.text("name").notNullable();
    // The first characters of the key, shown in listings so a key can be recognised.
    t.text("prefix").notNullable();
    // sha256 of the whole key: keys are 256 random bits, so a fast hash is enough.
    t.text("secret_hash").notNullable().unique();
    t.specificType("scopes", "text[]").notNullable();
    t.specificType("conversation_ids", "uuid[]");
    t.uuid("created_by_user_id");
    t.uuid("created_by_key_id");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("last_used_at", { useTz: true });
    t.timestamp("revoked_at", { useTz: true });
  });

  await knex.schema.alterTable("users", (t) => {
    t.text("kind").notNullable().defaultTo("user");
    t.boolean("is_admin").notNullable().defaultTo(false);
    t.timestamp("suspended_at", { useTz: true });
    t.text("suspended_reason");
    t.uuid("owner_key_id").references("api_keys.id");
  });
  await knex.raw(
    "ALTER TABLE users ADD CONSTRAINT users_kind_check CHECK (kind IN ('user', 'bot'))",
  );
  await knex.raw(
    "CREATE UNIQUE INDEX users_owner_key ON users (owner_key_id) WHERE owner_key_id IS NOT NULL",
  );
  await knex.raw("CREATE INDEX users_suspended ON users (id) WHERE suspended_at IS NOT NULL");

  await knex.schema.createTable("audit_log", (t) => {
    t.uuid("id").primary();
    t.uuid("actor_user_id");
    t.uuid("actor_key_id");
    t.text("action").notNullable();
    t.text("target_type");
    t.text("target_id");
    t.jsonb("details").notNullable().defaultTo("{}");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable("webhook_subscriptions", (t) => {
    t.uuid("id").primary();
    // `events`: the log filtered by type, conversation and audience; `command`: a bot's
    // slash command, answered by the endpoint's response.
    t.text("kind").notNullable().defaultTo("events");
    t.text("url").notNullable();
    t.text("secret").notNullable();
    t.text("description");
    t.specificType("event_types", "text[]").notNullable();
    t.specificType("conversation_ids", "uuid[]");
    // Only events this user is in the audience of (a bot's own events; a command's bot).
    t.uuid("user_id").references("users.id").onDelete("CASCADE");
    t.text("command");
    t.uuid("owner_key_id").references("api_keys.id");
    t.uuid("created_by_user_id");
    t.boolean("enabled").notNullable().defaultTo(true);
    t.timestamp("disabled_at", { useTz: true });
    t.text("disabled_reason");
    // The newest log position handled (delivered, dead-lettered or filtered out).
    t.bigInteger("cursor").notNullable();
    // Failed tries of the event after `cursor`, and when the next one is due.
    t.integer("attempts").notNullable().defaultTo(0);
    t.timestamp("next_attempt_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text("last_error");
    // Dead letters in a row; reaching webhooks.disable_after disables the endpoint.
    t.integer("consecutive_failures").notNullable().defaultTo(0);
    t.text("lease_owner");
    t.timestamp("lease_expires_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    "ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_kind_check CHECK (kind IN ('events', 'command'))",
  );
  await knex.raw(
    "CREATE UNIQUE INDEX webhook_command_name ON webhook_subscriptions (command) WHERE kind = 'command'",
  );
  await knex.raw(
    "CREATE INDEX webhook_due ON webhook_subscriptions (next_attempt_at) WHERE enabled",
  );

  await knex.schema.createTable("webhook_dead_letters", (t) => {
    t.uuid("id").primary();
    t.uuid("subscription_id")
      .notNullable()
      .references("webhook_subscriptions.id")
      .onDelete("CASCADE");
    t.uuid("event_id").notNullable();
    t.bigInteger("position").notNullable();
    t.text("event_type").notNullable();
    // The body as it was sent: the log may prune the event before anyone replays it.
    t.text("body").notNullable();
    t.integer("attempts").notNullable();
    t.text("last_error");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("replayed_at", { useTz: true });
    t.index(["subscription_id", "position"], "webhook_dead_letters_by_subscription");
  });
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable("webhook_dead_letters");
  await knex.schema.dropTable("webhook_subscriptions");
  await knex.schema.dropTable("audit_log");
  await knex.raw("DROP INDEX IF EXISTS users_suspended");
  await knex.raw("DROP INDEX IF EXISTS users_owner_key");
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("owner_key_id");
    t.dropColumn("suspended_reason");
    t.dropColumn("suspended_at");
    t.dropColumn("is_admin");
    t.dropColumn("kind");
  });
  await knex.schema.dropTable("api_keys");
};
