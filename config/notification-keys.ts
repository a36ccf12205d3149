import Joi from "joi";
import type { ConfigKey } from "./schema";

const level = Joi.string().valid("all", "mentions", "none");

/** Issue #17's rate limit, spread beside the other `rate_limits.*` keys (one YAML section). */
export const NOTIFICATION_RATE_LIMIT_KEYS: ConfigKey[] = [
  {
    path: "rate_limits.mention_all_per_hour",
    env: "RATE_LIMIT_MENTION_ALL",
    schema: Joi.number().integer().min(1).default(10),
    description:
      "Messages with @all a group owner or admin may send per hour (past it 429 rate_limited)",
  },
];

/** Issue #17's keys: the notification level a member has until they choose one. */
export const NOTIFICATION_KEYS: ConfigKey[] = [
  {
    path: "notifications.direct_level",
    env: "NOTIFICATION_LEVEL_DIRECT",
    schema: level.default("all"),
    description: "Default notification level in direct conversations: all, mentions or none",
  },
  {
    path: "notifications.group_level",
    env: "NOTIFICATION_LEVEL_GROUP",
    schema: level.default("mentions"),
    description: "Default notification level in groups: all, mentions or none",
  },
];
