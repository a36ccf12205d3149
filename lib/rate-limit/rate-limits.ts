import type Redis from "ioredis";
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import type { Config } from "../../config/load-config";
import { AppError } from "../errors";
import type { Logger } from "../logger";
import { createRedisClient, redisConfigured, redisReady } from "../redis/redis-client";

/** What is limited, each with its own budget from `config.rate_limits`. */
export type LimitKind =
  | "ip"
  | "rest"
  | "auth"
  | "api_key"
  | "login"
  | "upload"
  | "message"
  | "frame"
  | "connection"
  | "report"
  | "mention_all";

/** The outcome of one consume: enough to set `X-RateLimit-*` and `Retry-After`. */
export interface LimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (at least 1 when refused). */
  resetSeconds: number;
  /** Points consumed in the window, this one included (a flood goes far above `limit`). */
  consumed: number;
}

interface Budget {
  points: number;
  seconds: number;
  /** Shared through Redis by all nodes; false for per-connection budgets (node-local). */
  shared: boolean;
}

function budgets(limits: Config["rate_limits"]): Record<LimitKind, Budget> {
  return {
    ip: { points: limits.ip_per_minute, seconds: 60, shared: true },
    rest: { points: limits.rest_per_minute, seconds: 60, shared: true },
    auth: { points: limits.auth_per_15m, seconds: 900, shared: true },
    api_key: { points: limits.api_key_per_minute, seconds: 60, shared: true },
    login: { points: limits.logins_per_15m, seconds: 900, shared: true },
    upload: { points: limits.uploads_per_minute, seconds: 60, shared: true },
    message: { points: limits.messages_per_10s, seconds: 10, shared: true },
    frame: { points: limits.frames_per_10s, seconds: 10, shared: false },
    connection: { points: limits.connections_per_minute, seconds: 60, shared: true },
    report: { points: limits.reports_per_hour, seconds: 3600, shared: true },
    mention_all: { points: limits.mention_all_per_hour, seconds: 3600, shared: true },
  };
}

/** A realtime connection that keeps sending past this many times its budget is closed. */
const FLOOD_FACTOR = 2;

/**
 * Every rate limit of the service, one rule in one place for all transports. With Redis the
 * counters are shared by every node (keys under `<redis.key_prefix>rl:`); without it they
 * live in this process. When Redis is unreachable each node keeps limiting on its own
 * (an in-memory insurance limiter) and a warning is logged: requests are never refused
 * because Redis is down, and never left wholly unlimited either.
 */
export class RateLimits {
  private readonly limiters = new Map<LimitKind, RateLimiterAbstract>();
  private lastWarning = 0;

  constructor(
    config: Pick<Config, "rate_limits" | "redis">,
    private readonly logger: Logger,
    redis?: Redis,
  ) {
    for (const [kind, budget] of Object.entries(budgets(config.rate_limits))) {
      const options = { points: budget.points, duration: budget.seconds, keyPrefix: kind };
      const memory = new RateLimiterMemory(options);
      this.limiters.set(
        kind as LimitKind,
        redis && budget.shared
          ? new RateLimiterRedis({
              ...options,
              storeClient: redis,
              keyPrefix: `${config.redis.key_prefix}rl:${kind}`,
              rejectIfRedisNotReady: true,
              insuranceLimiter: memory,
            })
          : memory,
      );
    }
  }

  /** Counts one event against `key`'s budget; never throws (a failing store allows it). */
  async consume(kind: LimitKind, key: string, points = 1): Promise<LimitState> {
    const limiter = this.limiters.get(kind)!;
    try {
      return toState(limiter.points, await limiter.consume(key, points), true);
    } catch (error) {
      if (error instanceof RateLimiterRes) return toState(limiter.points, error, false);
      this.warn(kind, error);
      return {
        allowed: true,
        limit: limiter.points,
        remaining: limiter.points,
        resetSeconds: 0,
        consumed: 0,
      };
    }
  }

  /**
   * Like `consume`, but a refusal throws `rate_limited` with `retryAfter` (seconds), which
   * every transport maps to its error (429 + Retry-After on REST).
   */
  async enforce(kind: LimitKind, key: string): Promise<LimitState> {
    const state = await this.consume(kind, key);
    if (!state.allowed) throw rateLimited(kind, state);
    return state;
  }

  /** Message sends per user, on every transport; throws `rate_limited`. */
  consumeMessage(userId: string): Promise<LimitState> {
    return this.enforce("message", userId);
  }

  /** A message with `@all` by a group's owner or admin; throws `rate_limited`. */
  consumeMentionAll(userId: string): Promise<LimitState> {
    return this.enforce("mention_all", userId);
  }

  /**
   * One realtime frame on a connection: "ok", "limited" (answer `rate_limited`) or "close"
   * when the connection keeps flooding far past its budget (close with 1008).
   */
  async consumeFrame(connectionId: string): Promise<"ok" | "limited" | "close"> {
    const state = await this.consume("frame", connectionId);
    if (state.allowed) return "ok";
    return state.consumed > state.limit * FLOOD_FACTOR ? "close" : "limited";
  }

  /** Forgets a key's count (e.g. a successful login clears its failed attempts). */
  async reset(kind: LimitKind, key: string): Promise<void> {
    await this.limiters
      .get(kind)!
      .delete(key)
      .catch((error: unknown) => this.warn(kind, error));
  }

  /** Log at most one warning per 10 s while the store fails. */
  private warn(kind: LimitKind, error: unknown): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn("rate limit store failing: allowing the request", {
      kind,
      error: (error as Error)?.message ?? String(error),
    });
  }
}

function toState(limit: number, res: RateLimiterRes, allowed: boolean): LimitState {
  return {
    allowed,
    limit,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(allowed ? 0 : 1, Math.ceil(res.msBeforeNext / 1000)),
    consumed: res.consumedPoints,
  };
}

/** The contract's `rate_limited` error for a refused state. */
export function rateLimited(kind: LimitKind, state: LimitState): AppError {
  return new AppError("rate_limited", `too many requests (${kind}), retry later`, {
    retryAfter: Math.max(1, state.resetSeconds),
  });
}

/**
 * Builds the node's RateLimits: Redis-backed (its own client, no offline queue, so a lost
 * Redis fails over to the memory insurance at once) when Redis is configured, else memory.
 * Rejects when Redis is configured but unreachable at start.
 */
export async function createRateLimits(
  config: Pick<Config, "rate_limits" | "redis">,
  logger: Logger,
): Promise<{ rateLimits: RateLimits; redis?: Redis; close(): void }> {
  if (!redisConfigured(config)) {
    return { rateLimits: new RateLimits(config, logger), close: () => undefined };
  }
  // Auto-pipelining: the counts of every send in one event-loop turn go in one write
  // (a syscall per command was a tenth of a busy node's CPU).
  const redis = createRedisClient(config, logger, "rate-limits", {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
  });
  await redisReady(redis).catch((error: Error) => {
    redis.disconnect();
    throw error;
  });
  return {
    rateLimits: new RateLimits(config, logger, redis),
    redis,
    close: () => redis.disconnect(),
  };
}
