import Joi from "joi";
import type { ConfigKey } from "./schema";

const duration = Joi.alternatives(
  Joi.number().integer().min(0),
  Joi.string().pattern(/^\d+(ms|s|m|h|d)$/),
);
const optionalString = Joi.string().allow("").empty("");

/**
 * The keys of issue #18's integrations: service admins, API keys, webhooks and message
 * moderation. Spread at the end of CONFIG_KEYS; `rate_limits.api_key_per_minute` comes first
 * so that config.example.yaml keeps one `rate_limits:` section.
 */
export const INTEGRATION_KEYS: ConfigKey[] = [
  {
    path: "rate_limits.api_key_per_minute",
    env: "RATE_LIMIT_API_KEY",
    schema: Joi.number().integer().min(1).default(6000),
    description: "REST requests per API key per minute (instead of the per-user budget)",
  },
  {
    path: "admin.users",
    env: "ADMIN_USERS",
    schema: Joi.array().items(Joi.string()).single().default([]),
    description:
      "Usernames that are service admins (more can be granted by an admin over the admin API)",
  },
  {
    path: "webhooks.timeout",
    env: "WEBHOOK_TIMEOUT",
    schema: duration.default("5s"),
    description: "How long one webhook delivery may take before it counts as failed",
    duration: true,
  },
  {
    path: "webhooks.max_attempts",
    env: "WEBHOOK_MAX_ATTEMPTS",
    schema: Joi.number().integer().min(1).max(100).default(10),
    description: "Tries of one event (the first included) before it becomes a dead letter",
  },
  {
    path: "webhooks.retry_base",
    env: "WEBHOOK_RETRY_BASE",
    schema: duration.default("2s"),
    description: "Wait before the first retry; doubled after every further failure",
    duration: true,
  },
  {
    path: "webhooks.retry_max",
    env: "WEBHOOK_RETRY_MAX",
    schema: duration.default("1h"),
    description: "Longest wait between two retries",
    duration: true,
  },
  {
    path: "webhooks.disable_after",
    env: "WEBHOOK_DISABLE_AFTER",
    schema: Joi.number().integer().min(1).default(5),
    description: "Dead letters in a row after which an endpoint is disabled",
  },
  {
    path: "webhooks.poll_interval",
    env: "WEBHOOK_POLL_INTERVAL",
    schema: duration.default("1s"),
    description:
      "How often each node looks for due deliveries (events of other nodes, retries); its own events wake it at once",
    duration: true,
  },
  {
    path: "webhooks.lease",
    env: "WEBHOOK_LEASE",
    schema: duration.default("30s"),
    description:
      "How long a node holds a subscription it delivers to; a crashed node's subscriptions are taken over after it",
    duration: true,
  },
  {
    path: "webhooks.concurrency",
    env: "WEBHOOK_CONCURRENCY",
    schema: Joi.number().integer().min(1).max(256).default(16),
    description: "Subscriptions one node delivers to at the same time (each one in order)",
  },
  {
    path: "webhooks.secret_key",
    env: "WEBHOOK_SECRET_KEY",
    schema: optionalString,
    description:
      "Encrypts webhook signing secrets at rest (AES-256-GCM, key derived from this string); unset: derived from auth.jwt_secret. Changing it makes stored secrets unreadable",
  },
  {
    path: "moderation.url",
    env: "MODERATION_URL",
    schema: optionalString.uri({ scheme: ["http", "https"] }),
    description:
      "Pre-send moderation hook: POSTed every new or edited message before it is stored; answers allow, reject or replace",
  },
  {
    path: "moderation.secret",
    env: "MODERATION_SECRET",
    schema: optionalString.min(16),
    description: "Signs the moderation hook's requests like webhooks (whsec_… or any string)",
  },
  {
    path: "moderation.timeout",
    env: "MODERATION_TIMEOUT",
    schema: duration.default("500ms"),
    description: "How long the hook may take; after it the failure policy applies",
    duration: true,
  },
  {
    path: "moderation.on_failure",
    env: "MODERATION_ON_FAILURE",
    schema: Joi.string().valid("open", "closed").default("open"),
    description:
      "When the hook fails or times out: open sends the message unchanged, closed refuses it (503 unavailable)",
  },
  {
    path: "moderation.word_list",
    env: "MODERATION_WORD_LIST",
    schema: Joi.array().items(Joi.string().min(1).max(100)).single().default([]),
    description: "Built-in filter: words (whole, any case) that a message may not contain",
  },
  {
    path: "moderation.word_list_action",
    env: "MODERATION_WORD_LIST_ACTION",
    schema: Joi.string().valid("reject", "mask").default("reject"),
    description: "What the word list does with a match: reject the message, or mask the word (***)",
  },
];
