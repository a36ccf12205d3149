import { SUBSCRIBABLE_TYPES } from "../domain/webhooks/webhook-schemas";
import { SCOPES } from "../domain/integrations/principal";
import { Operation, errors, ok, page, ref, uuidList } from "./operation-helpers";

const ADMIN = "Service admins (token) or API keys with the `admin` scope; others get 403.";
const WEBHOOKS =
  "Service admins and keys with the `admin` scope reach every subscription; a key with the `webhooks` scope only its own (others: 404).";
const BOT =
  "An API key with the `read` or `write` scope; requests made with the key act as its bot.";
const subscriptionBody = (required: string[]) => ({
  type: "object",
  required,
  properties: {
    url: { type: "string", format: "uri", maxLength: 2000 },
    event_types: {
      type: "array",
      items: { enum: SUBSCRIBABLE_TYPES },
      description: "Wire types of docs/events.md; `*` is every one",
    },
    conversation_ids: { ...uuidList, description: "Only these conversations' events" },
    user_id: {
      type: "string",
      format: "uuid",
      description: "Only events this user receives (a key: its own bot)",
    },
    description: { type: "string", maxLength: 200 },
    ...(required.length ? {} : { enabled: { type: "boolean" } }),
  },
});

/** The admin, API key, webhook and bot routes (docs/integrations.md). */
export const INTEGRATION_OPERATIONS: Record<string, Record<string, Operation>> = {
  "/api/v1/admin/users": {
    get: {
      summary: "Every user and bot, by username",
      description: ADMIN,
      parameters: [
        { name: "q", in: "query", schema: { type: "string" } },
        { name: "kind", in: "query", schema: { enum: ["user", "bot"] } },
        { name: "suspended", in: "query", schema: { type: "boolean" } },
        ...page,
      ],
      responses: { ...ok(200, "Users", ref("AdminUserPage")), ...errors(400, 403) },
    },
  },
  "/api/v1/admin/users/{id}": {
    get: {
      summary: "A user as admins see it",
      description: ADMIN,
      responses: { ...ok(200, "User", ref("AdminUser")), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/admin/users/{id}/suspend": {
    post: {
      summary: "Suspend: tokens refused, open connections closed, on every node",
      description: `${ADMIN} Suspending again changes nothing; an admin cannot suspend themselves.`,
      body: { type: "object", properties: { reason: { type: "string", maxLength: 500 } } },
      responses: { ...ok(200, "Suspended", ref("AdminUser")), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/admin/users/{id}/restore": {
    post: {
      summary: "Lift a suspension",
      description: ADMIN,
      responses: { ...ok(200, "Restored", ref("AdminUser")), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/admin/users/{id}/admin": {
    put: {
      summary: "Grant the service-admin role",
      description: `${ADMIN} Bots cannot be admins.`,
      responses: { ...ok(200, "Granted", ref("AdminUser")), ...errors(400, 403, 404) },
    },
    delete: {
      summary: "Revoke a granted service-admin role",
      description: `${ADMIN} A role given by admin.users cannot be revoked here (403).`,
      responses: { ...ok(200, "Revoked", ref("AdminUser")), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/admin/messages/{id}": {
    delete: {
      summary: "Delete any message (tombstone, message.deleted to its members)",
      description: `${ADMIN} Deleting again answers 204.`,
      responses: { ...ok(204, "Deleted"), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/admin/usage": {
    get: {
      summary: "Counts: users, bots, conversations, messages, files, keys, webhooks",
      description: ADMIN,
      responses: { ...ok(200, "Usage", ref("Usage")), ...errors(403) },
    },
  },
  "/api/v1/admin/audit-log": {
    get: {
      summary: "Admin actions, newest first",
      description: ADMIN,
      parameters: [
        { name: "action", in: "query", schema: { type: "string" } },
        { name: "actor_user_id", in: "query", schema: { type: "string", format: "uuid" } },
        { name: "actor_key_id", in: "query", schema: { type: "string", format: "uuid" } },
        { name: "target_id", in: "query", schema: { type: "string" } },
        ...page,
      ],
      responses: { ...ok(200, "Entries", ref("AuditRecordPage")), ...errors(400, 403) },
    },
  },
  "/api/v1/admin/api-keys": {
    post: {
      summary: "Create an API key (the key is in this answer only)",
      description: `${ADMIN} Stored as a hash; use it as \`Authorization: Bearer mk_…\`.`,
      body: {
        type: "object",
        required: ["name", "scopes"],
        properties: {
          name: { type: "string", maxLength: 100 },
          scopes: { type: "array", items: { enum: [...SCOPES] }, minItems: 1 },
          conversation_ids: { ...uuidList, maxItems: 100 },
        },
      },
      responses: { ...ok(201, "Created", ref("CreatedApiKey")), ...errors(400, 403) },
    },
    get: {
      summary: "API keys, newest first",
      description: ADMIN,
      parameters: page,
      responses: { ...ok(200, "Keys", ref("ApiKeyPage")), ...errors(400, 403) },
    },
  },
  "/api/v1/admin/api-keys/{id}": {
    get: {
      summary: "An API key",
      description: ADMIN,
      responses: { ...ok(200, "Key", ref("ApiKey")), ...errors(400, 403, 404) },
    },
    delete: {
      summary: "Revoke at once (its bot's connections are closed)",
      description: `${ADMIN} Revoking again answers 204.`,
      responses: { ...ok(204, "Revoked"), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/webhooks": {
    post: {
      summary: "Subscribe an endpoint (the signing secret is in this answer only)",
      description: `${WEBHOOKS} Deliveries start with the events after this moment.`,
      body: subscriptionBody(["url", "event_types"]),
      responses: { ...ok(201, "Created", ref("CreatedSubscription")), ...errors(400, 403) },
    },
    get: {
      summary: "Subscriptions",
      description: WEBHOOKS,
      parameters: page,
      responses: { ...ok(200, "Subscriptions", ref("SubscriptionPage")), ...errors(400, 403) },
    },
  },
  "/api/v1/webhooks/{id}": {
    get: {
      summary: "A subscription, with its cursor, pending retries and failure count",
      description: WEBHOOKS,
      responses: { ...ok(200, "Subscription", ref("Subscription")), ...errors(400, 403, 404) },
    },
    put: {
      summary: "Change a subscription; `enabled: true` re-enables a disabled one",
      description: WEBHOOKS,
      body: subscriptionBody([]),
      responses: { ...ok(200, "Updated", ref("Subscription")), ...errors(400, 403, 404) },
    },
    delete: {
      summary: "Unsubscribe",
      description: WEBHOOKS,
      responses: { ...ok(204, "Deleted"), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/webhooks/{id}/dead-letters": {
    get: {
      summary: "Events that failed every try, oldest first",
      description: WEBHOOKS,
      parameters: [{ name: "pending", in: "query", schema: { type: "boolean" } }, ...page],
      responses: { ...ok(200, "Dead letters", ref("DeadLetterPage")), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/webhooks/{id}/dead-letters/{letterId}/replay": {
    post: {
      summary: "Send a dead letter again, now",
      description: `${WEBHOOKS} Same body and webhook-id, signed anew; works on a disabled endpoint too.`,
      responses: { ...ok(200, "Outcome", ref("ReplayOutcome")), ...errors(400, 403, 404) },
    },
  },
  "/api/v1/bots": {
    post: {
      summary: "Create the calling key's bot (one per key)",
      description: BOT,
      body: {
        type: "object",
        required: ["username"],
        properties: {
          username: { type: "string", pattern: "^[a-z0-9_.-]{3,32}$" },
          display_name: { type: "string", maxLength: 64 },
        },
      },
      responses: { ...ok(201, "Created", ref("User")), ...errors(400, 403, 409) },
    },
  },
  "/api/v1/bots/me": {
    get: {
      summary: "The calling key's bot",
      description: BOT,
      responses: { ...ok(200, "Bot", ref("User")), ...errors(403, 404) },
    },
  },
  "/api/v1/bots/me/commands": {
    get: {
      summary: "The bot's slash commands",
      description: BOT,
      responses: { ...ok(200, "Commands", ref("SubscriptionPage")), ...errors(403, 404) },
    },
  },
  "/api/v1/bots/me/commands/{name}": {
    put: {
      summary: "Register `/name` (201 with its signing secret) or change its URL (200)",
      description: `${BOT} Names are unique across the service (another bot's: 409).`,
      body: {
        type: "object",
        required: ["url"],
        properties: {
          url: { type: "string", format: "uri" },
          description: { type: "string", maxLength: 200 },
        },
      },
      responses: {
        ...ok(201, "Registered", ref("CreatedSubscription")),
        ...ok(200, "Changed", ref("Subscription")),
        ...errors(400, 403, 404, 409),
      },
    },
    delete: {
      summary: "Unregister a command",
      description: BOT,
      responses: { ...ok(204, "Deleted"), ...errors(400, 403, 404) },
    },
  },
};
