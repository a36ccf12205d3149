import Joi from "joi";
import type { ConfigKey } from "./schema";

const duration = Joi.alternatives(
  Joi.number().integer().min(0),
  Joi.string().pattern(/^\d+(ms|s|m|h|d)$/),
);
const optionalString = Joi.string().allow("").empty("");

/** The keys of issue #17's push for offline members (docs/protocol.md, "Push"). */
export const PUSH_KEYS: ConfigKey[] = [
  {
    path: "push.enabled",
    env: "PUSH_ENABLED",
    schema: Joi.boolean().default(true),
    description: "Queue and send push notifications to registered devices of offline members",
  },
  {
    path: "push.grace",
    env: "PUSH_GRACE",
    schema: duration.default("10s"),
    description:
      "How long after a message a member may still see it on a connection before it is pushed to their devices",
    duration: true,
  },
  {
    path: "push.payload",
    env: "PUSH_PAYLOAD",
    schema: Joi.string().valid("full", "ids").default("full"),
    description:
      "What a notification carries: full (sender and content) or ids (conversation and message ids only, for privacy)",
  },
  {
    path: "push.vapid.public_key",
    env: "PUSH_VAPID_PUBLIC_KEY",
    schema: optionalString,
    description:
      "VAPID public key for Web Push (base64url); unset: a pair is generated once and kept in the database",
  },
  {
    path: "push.vapid.private_key",
    env: "PUSH_VAPID_PRIVATE_KEY",
    schema: optionalString,
    description: "VAPID private key (base64url), set together with the public key",
  },
  {
    path: "push.vapid.subject",
    env: "PUSH_VAPID_SUBJECT",
    schema: Joi.string()
      .pattern(/^(mailto:|https:\/\/)/)
      .default("mailto:push@localhost"),
    description:
      "VAPID contact (mailto: or https: URL) push services may use to reach the operator",
  },
  {
    path: "push.allow_http",
    env: "PUSH_ALLOW_HTTP",
    schema: Joi.boolean().default(false),
    description:
      "Accept http:// Web Push endpoints and gateway URLs (tests, private networks); https only otherwise",
  },
  {
    path: "push.timeout",
    env: "PUSH_TIMEOUT",
    schema: duration.default("10s"),
    description: "How long one request to a push service or gateway may take",
    duration: true,
  },
  {
    path: "push.ttl",
    env: "PUSH_TTL",
    schema: duration.default("1d"),
    description: "How long a push service keeps a Web Push notification for a device that is off",
    duration: true,
  },
  {
    path: "push.max_attempts",
    env: "PUSH_MAX_ATTEMPTS",
    schema: Joi.number().integer().min(1).max(100).default(8),
    description: "Tries of one notification (the first included) before it becomes a dead letter",
  },
  {
    path: "push.retry_base",
    env: "PUSH_RETRY_BASE",
    schema: duration.default("2s"),
    description: "Wait before the first retry of a notification; doubled after every failure",
    duration: true,
  },
  {
    path: "push.retry_max",
    env: "PUSH_RETRY_MAX",
    schema: duration.default("10m"),
    description: "Longest wait between two tries of a notification",
    duration: true,
  },
  {
    path: "push.poll_interval",
    env: "PUSH_POLL_INTERVAL",
    schema: duration.default("1s"),
    description:
      "How often each node looks for messages past the grace period and for due notifications",
    duration: true,
  },
  {
    path: "push.lease",
    env: "PUSH_LEASE",
    schema: duration.default("30s"),
    description:
      "How long a node holds the planner or a notification it sends; a crashed node's are taken over after it",
    duration: true,
  },
  {
    path: "push.concurrency",
    env: "PUSH_CONCURRENCY",
    schema: Joi.number().integer().min(1).max(256).default(16),
    description: "Notifications one node sends at the same time",
  },
  {
    path: "push.retention",
    env: "PUSH_RETENTION",
    schema: duration.default("7d"),
    description: "How long sent notifications are kept (the record that stops a second send)",
    duration: true,
  },
];
