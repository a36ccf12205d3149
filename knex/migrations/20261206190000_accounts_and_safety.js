/**
 * Accounts and safety (issue #19): sessions (a per-user "tokens valid after" time and
 * rotating refresh tokens), account deletion (`deleted_at`, `erased_at` once the background
 * erasure is done), blocks and mutes between people, reports of messages for service
 * admins, background account jobs (erasure and data export), and a per-conversation
 * retention period. Runs unchanged on PostgreSQL and on embedded PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable("users", (t) => {
    // Tokens issued before this time are refused (sign out everywhere, password change).
    t.timestamp("tokens_valid_after", { useTz: true, precision: 3 });
    t.timestamp("deleted_at", { useTz: true });
    t.timestamp("erased_at", { useTz: true });
  });
  await knex.raw(
    `CREATE INDEX users_token_policy ON users (id)
     WHERE tokens_valid_after IS NOT NULL OR deleted_at IS NOT NULL`,
  );

  await knex.schema.createTable("refresh_tokens", (t) => {
    t.uuid("id").primary();
    // One login's chain of rotated tokens: a reused token revokes the whole family.
    t.uuid("family_id").notNullable();
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.text("token_hash").notNullable().unique();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("expires_at", { useTz: true }).notNullable();
    t.timestamp("used_at", { useTz: true });
    t.timestamp("revoked_at", { useTz: true });
    t.index(["user_id"], "refresh_tokens_by_user");
    t.index(["family_id"], "refresh_tokens_by_family");
  });

  await knex.schema.createTable("user_blocks", (t) => {
    t.uuid("blocker_id").notNullable().references("users.id").onDelete("CASCADE");
    t.uuid("blocked_id").notNullable().references("users.id").onDelete("CASCADE");
    // `block`: also no new direct conversation between the two; `mute`: delivery only.
    t.text("kind").notNullable().defaultTo("block");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(["blocker_id", "blocked_id"]);
    t.index(["blocked_id"], "user_blocks_by_blocked");
  });
  await knex.raw(
    "ALTER TABLE user_blocks ADD CONSTRAINT user_blocks_kind_check CHECK (kind IN ('block', 'mute'))",
  );

  await knex.schema.createTable("reports", (t) => {
    t.uuid("id").primary();
    t.uuid("reporter_id").notNullable();
    // No foreign keys: the report outlives the message (its snapshot is the evidence).
    t.uuid("message_id").notNullable();
    t.uuid("conversation_id").notNullable();
    t.uuid("sender_id").notNullable();
    t.text("reason").notNullable();
    t.text("note");
    // The message as it was when reported.
    t.jsonb("message").notNullable();
    t.text("status").notNullable().defaultTo("open");
    t.text("resolution");
    t.text("resolution_note");
    t.uuid("resolved_by_user_id");
    t.uuid("resolved_by_key_id");
    t.timestamp("resolved_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["status", "id"], "reports_by_status");
    t.index(["sender_id"], "reports_by_sender");
  });

  await knex.schema.createTable("account_jobs", (t) => {
    t.uuid("id").primary();
    // `erase`: a deleted account's data, in steps; `export`: a user's archive.
    t.text("kind").notNullable();
    t.uuid("user_id").notNullable();
    t.text("status").notNullable().defaultTo("pending");
    // Where the job is (its step and cursor), so a crashed node's job resumes there.
    t.jsonb("progress").notNullable().defaultTo("{}");
    t.jsonb("result");
    t.text("error");
    t.integer("attempts").notNullable().defaultTo(0);
    t.text("lease_owner");
    t.timestamp("lease_expires_at", { useTz: true });
    t.timestamp("run_after", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("completed_at", { useTz: true });
    // An export's archive (and its download link) is deleted after this.
    t.timestamp("expires_at", { useTz: true });
    t.index(["user_id", "kind"], "account_jobs_by_user");
  });
  await knex.raw(
    `CREATE INDEX account_jobs_due ON account_jobs (run_after)
     WHERE status IN ('pending', 'running')`,
  );

  await knex.schema.alterTable("conversations", (t) => {
    // Messages older than this many days are purged (the global period still applies).
    t.integer("retention_days");
  });
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable("conversations", (t) => t.dropColumn("retention_days"));
  await knex.schema.dropTable("account_jobs");
  await knex.schema.dropTable("reports");
  await knex.schema.dropTable("user_blocks");
  await knex.schema.dropTable("refresh_tokens");
  await knex.raw("DROP INDEX IF EXISTS users_token_policy");
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("erased_at");
    t.dropColumn("deleted_at");
    t.dropColumn("tokens_valid_after");
  });
};
