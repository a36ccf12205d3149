import Redis, { RedisOptions } from "ioredis";
import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";

/** Whether Redis is configured at all (`redis.url` or `redis.host`). */
export function redisConfigured(config: Pick<Config, "redis">): boolean {
  return Boolean(config.redis.url || config.redis.host);
}

/**
 * An ioredis client for `config.redis`. It reconnects forever with a capped back-off; state
 * changes are logged once each (not every retry). `options` override the defaults, e.g.
 * `enableOfflineQueue: false` for callers that must fail fast while Redis is away.
 */
export function createRedisClient(
  config: Pick<Config, "redis">,
  logger: Logger,
  name: string,
  options: RedisOptions = {},
): Redis {
  const base: RedisOptions = {
    db: config.redis.db,
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    connectionName: name,
    ...options,
  };
  const client = config.redis.url
    ? new Redis(config.redis.url, base)
    : new Redis({ ...base, host: config.redis.host, port: config.redis.port });
  let healthy = true;
  client.on("error", (error: Error) => {
    if (!healthy) return;
    healthy = false;
    logger.warn(`redis (${name}) unavailable`, { error: error.message });
  });
  client.on("ready", () => {
    if (healthy) return;
    healthy = true;
    logger.info(`redis (${name}) connected again`);
  });
  return client;
}

/**
 * Resolves once the client is ready; rejects with the first connection error, or when
 * Redis has not answered within `timeoutMs`, so a node configured for Redis refuses to
 * start without it rather than run half-wired.
 */
export function redisReady(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.off("ready", onReady);
      client.off("error", onError);
      if (error) reject(new Error(`redis unreachable: ${error.message}`));
      else resolve();
    };
    const onReady = () => settle();
    const onError = (error: Error) => settle(error);
    const timer = setTimeout(() => settle(new Error("no answer in time")), timeoutMs);
    client.once("ready", onReady);
    client.once("error", onError);
  });
}
