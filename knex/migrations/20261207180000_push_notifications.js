/**
 * Push for offline members (issue #17): the devices users register (Web Push
 * subscriptions and Matrix push-gateway pushers), the planner's cursor over the event log
 * (with the generated VAPID keys every node shares), and the durable queue of
 * notifications, one row per message and device. Runs unchanged on PostgreSQL and PGlite.
 * @param {import("knex").Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable("push_devices", (t) => {
    t.uuid("id").primary();
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE");
    // `webpush`: endpoint + keys; `gateway`: gateway_url + app_id + pushkey (+ data).
    t.text("kind").notNullable();
    t.text("endpoint");
    t.text("p256dh");
    t.text("auth");
    t.text("gateway_url");
    t.text("app_id");
    t.text("pushkey");
    t.jsonb("data").notNullable().defaultTo("{}");
    t.text("description");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["user_id", "id"], "push_devices_by_user");
  });
  await knex.raw(
    "ALTER TABLE push_devices ADD CONSTRAINT push_devices_kind_check CHECK (kind IN ('webpush', 'gateway'))",
  );
  // One browser subscription, one app install: registering it again moves it (another user
  // signed in on that device), never doubles it.
  await knex.raw(
    "CREATE UNIQUE INDEX push_devices_endpoint ON push_devices (endpoint) WHERE kind = 'webpush'",
  );
  await knex.raw(
    "CREATE UNIQUE INDEX push_devices_pushkey ON push_devices (app_id, pushkey) WHERE kind = 'gateway'",
  );

  await knex.schema.createTable("push_state", (t) => {
    t.integer("id").primary();
    // The newest log position the planner has handled: everything before it is queued.
    t.bigInteger("cursor").notNullable();
    t.text("lease_owner");
    t.timestamp("lease_expires_at", { useTz: true });
    // Generated when push.vapid keys are not configured: one pair for every node.
    t.text("vapid_public_key");
    t.text("vapid_private_key");
  });
  await knex.raw(
    "INSERT INTO push_state (id, cursor) SELECT 1, last_position FROM event_log_state WHERE id = 1",
  );

  await knex.schema.createTable("push_queue", (t) => {
    t.uuid("id").primary();
    t.uuid("device_id").notNullable().references("push_devices.id").onDelete("CASCADE");
    t.uuid("user_id").notNullable();
    t.uuid("conversation_id").notNullable();
    t.uuid("message_id").notNullable();
    t.bigInteger("position").notNullable();
    // queued → sending → sent | queued (retry) | dead; `collapsed` when a newer one replaced
    // it; `cancelled` when, before it went out, the message was deleted or read, or the
    // member left.
    t.text("state").notNullable().defaultTo("queued");
    // The notification as planned (ids, sender, counts; content only in `full` mode).
    t.jsonb("payload").notNullable();
    // Messages folded into this one while it waited.
    t.integer("collapsed_count").notNullable().defaultTo(0);
    t.integer("attempts").notNullable().defaultTo(0);
    t.timestamp("next_attempt_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text("lease_owner");
    t.timestamp("lease_expires_at", { useTz: true });
    t.text("last_error");
    t.timestamp("occurred_at", { useTz: true }).notNullable();
    t.timestamp("queued_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("sent_at", { useTz: true });
    // Never twice for one message and device.
    t.unique(["device_id", "message_id"], { indexName: "push_queue_once" });
  });
  await knex.raw(
    "ALTER TABLE push_queue ADD CONSTRAINT push_queue_state_check CHECK (state IN ('queued', 'sending', 'sent', 'dead', 'collapsed', 'cancelled'))",
  );
  // While queued, one notification per device and conversation: newer messages fold into it.
  await knex.raw(
    "CREATE UNIQUE INDEX push_queue_collapse ON push_queue (device_id, conversation_id) WHERE state = 'queued'",
  );
  await knex.raw(
    "CREATE INDEX push_queue_due ON push_queue (next_attempt_at) WHERE state IN ('queued', 'sending')",
  );
  await knex.raw("CREATE INDEX push_queue_done ON push_queue (queued_at) WHERE state = 'sent'");
};

/** @param {import("knex").Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable("push_queue");
  await knex.schema.dropTable("push_state");
  await knex.schema.dropTable("push_devices");
};
