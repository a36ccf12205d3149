import { nullable, object, pageOf, ref, time, uuid } from "./components";

const strings = { type: "array", items: { type: "string" } };

const API_KEY = {
  id: uuid,
  name: { type: "string" },
  prefix: { type: "string", description: "The key's first characters" },
  scopes: strings,
  conversation_ids: nullable({ type: "array", items: uuid }),
  bot_user_id: nullable(uuid),
  created_by: object({ user_id: nullable(uuid), api_key_id: nullable(uuid) }),
  created_at: time,
  last_used_at: nullable(time),
  revoked_at: nullable(time),
};

const SUBSCRIPTION = {
  id: uuid,
  kind: { enum: ["events", "command"] },
  url: { type: "string" },
  description: nullable({ type: "string" }),
  event_types: strings,
  conversation_ids: nullable({ type: "array", items: uuid }),
  user_id: nullable(uuid),
  command: nullable({ type: "string" }),
  owner_key_id: nullable(uuid),
  created_by_user_id: nullable(uuid),
  enabled: { type: "boolean" },
  disabled_at: nullable(time),
  disabled_reason: nullable({ type: "string" }),
  cursor: { type: "string", description: "The newest event handled (a sync cursor)" },
  attempts: { type: "integer", description: "Failed tries of the next event so far" },
  next_attempt_at: time,
  last_error: nullable({ type: "string" }),
  consecutive_failures: { type: "integer", description: "Dead letters in a row" },
  created_at: time,
  updated_at: time,
};

const DEAD_LETTER = object({
  id: uuid,
  subscription_id: uuid,
  event_id: uuid,
  event_type: { type: "string" },
  cursor: { type: "string" },
  body: { type: "string", description: "The JSON body as it was sent" },
  attempts: { type: "integer" },
  last_error: nullable({ type: "string" }),
  created_at: time,
  replayed_at: nullable(time),
});

/** Component schemas of the integration objects (docs/integrations.md). */
export const INTEGRATION_SCHEMAS = {
  AdminUser: object({
    id: uuid,
    username: { type: "string" },
    display_name: { type: "string" },
    created_at: time,
    kind: { enum: ["user", "bot"] },
    is_admin: { type: "boolean" },
    admin_by_config: { type: "boolean" },
    suspended_at: nullable(time),
    suspended_reason: nullable({ type: "string" }),
    owner_key_id: nullable(uuid),
  }),
  AuditRecord: object({
    id: uuid,
    actor: object({ user_id: nullable(uuid), api_key_id: nullable(uuid) }),
    action: { type: "string", description: "e.g. user.suspend, api_key.create, webhook.disable" },
    target_type: nullable({ type: "string" }),
    target_id: nullable({ type: "string" }),
    details: { type: "object" },
    created_at: time,
  }),
  Usage: { type: "object", additionalProperties: { type: "number" } },
  ApiKey: object(API_KEY),
  CreatedApiKey: object({
    api_key: ref("ApiKey"),
    key: { type: "string", description: "mk_…: shown this once" },
  }),
  Subscription: object(SUBSCRIPTION),
  CreatedSubscription: object({
    ...SUBSCRIPTION,
    secret: { type: "string", description: "whsec_…: shown this once" },
  }),
  DeadLetter: DEAD_LETTER,
  ReplayOutcome: object({
    delivered: { type: "boolean" },
    status: nullable({ type: "integer" }),
    error: nullable({ type: "string" }),
    dead_letter: ref("DeadLetter"),
  }),
  AdminUserPage: pageOf("AdminUser"),
  AuditRecordPage: pageOf("AuditRecord"),
  ApiKeyPage: pageOf("ApiKey"),
  SubscriptionPage: pageOf("Subscription"),
  DeadLetterPage: pageOf("DeadLetter"),
};
