import Joi from "joi";
import type { ConfigKey } from "./schema";

const duration = Joi.alternatives(
  Joi.number().integer().min(0),
  Joi.string().pattern(/^\d+(ms|s|m|h|d)$/),
);

/** Issue #19's rate limit, spread beside the other `rate_limits.*` keys (one YAML section). */
export const SAFETY_RATE_LIMIT_KEYS: ConfigKey[] = [
  {
    path: "rate_limits.reports_per_hour",
    env: "RATE_LIMIT_REPORTS",
    schema: Joi.number().integer().min(1).default(20),
    description: "Reports of messages per user per hour",
  },
];

/**
 * The keys of issue #19: sessions, blocks, account deletion and export, and retention
 * (docs/privacy.md). Spread at the end of CONFIG_KEYS.
 */
export const SAFETY_KEYS: ConfigKey[] = [
  {
    path: "sessions.access_token_expiry",
    env: "ACCESS_TOKEN_EXPIRY",
    schema: duration.default("15m"),
    description:
      "Lifetime of the token a login that asked for a refresh token gets (other logins keep auth.token_expiry)",
    duration: true,
  },
  {
    path: "sessions.refresh_token_expiry",
    env: "REFRESH_TOKEN_EXPIRY",
    schema: duration.default("30d"),
    description: "Lifetime of a refresh token (each use returns a new one)",
    duration: true,
  },
  {
    path: "blocks.history",
    env: "BLOCKED_HISTORY",
    schema: Joi.string().valid("collapse", "hide").default("collapse"),
    description:
      "How history shows a blocked person's messages to the blocker: collapse (marked sender_blocked, content kept) or hide (content and attachments left out too)",
  },
  {
    path: "accounts.deleted_messages",
    env: "DELETED_ACCOUNT_MESSAGES",
    schema: Joi.string().valid("erase", "keep").default("erase"),
    description:
      "A deleted account's messages: erase (tombstones everywhere) or keep (their text stays, shown from 'Deleted user')",
  },
  {
    path: "accounts.export_expiry",
    env: "EXPORT_EXPIRY",
    schema: duration.default("24h"),
    description: "How long a data export's archive and its download link last",
    duration: true,
  },
  {
    path: "accounts.job_poll_interval",
    env: "ACCOUNT_JOB_POLL_INTERVAL",
    schema: duration.default("2s"),
    description:
      "How often each node looks for account jobs (erasure, export) to run; its own new jobs start at once",
    duration: true,
  },
  {
    path: "accounts.batch_size",
    env: "ACCOUNT_JOB_BATCH",
    schema: Joi.number().integer().min(1).max(10000).default(200),
    description: "Rows an erasure or export handles per step (one short transaction each)",
  },
  {
    path: "retention.messages",
    env: "RETENTION_MESSAGES",
    schema: duration.default(0),
    description:
      "Messages (and their files and events) older than this are purged; 0 keeps them. A conversation may set a shorter period",
    duration: true,
  },
  {
    path: "retention.interval",
    env: "RETENTION_INTERVAL",
    schema: duration.default("1h"),
    description: "How often retention runs (one node at a time)",
    duration: true,
  },
  {
    path: "retention.batch_size",
    env: "RETENTION_BATCH",
    schema: Joi.number().integer().min(1).max(10000).default(500),
    description: "Messages purged per transaction",
  },
  {
    path: "retention.batch_pause",
    env: "RETENTION_BATCH_PAUSE",
    schema: duration.default("100ms"),
    description: "Pause between two purge batches, so live traffic keeps the database",
    duration: true,
  },
];
