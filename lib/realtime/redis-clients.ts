import { Redis } from "ioredis";
import type { Config } from "../../config/load-config";

/** Whether Redis is configured (else the node runs single-node, in-process). */
export const redisConfigured = (config: Config): boolean =>
  Boolean(config.redis.url || config.redis.host);

/**
 * A Redis client from `redis.*`, connected: rejects when Redis cannot be reached in
 * `timeoutMs` (a node must not start half-wired). Reconnects on its own afterwards.
 */
export async function connectRedis(config: Config, timeoutMs = 5000): Promise<Redis> {
  const { url, host, port, db } = config.redis;
  const options = { db, maxRetriesPerRequest: 3, lazyConnect: true };
  const client = url ? new Redis(url, options) : new Redis({ host, port, ...options });
  client.on("error", () => undefined); // reported through health and failing commands
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error("Redis did not answer in time")), timeoutMs);
      }),
    ]);
    return client;
  } catch (error) {
    client.disconnect();
    throw new Error(`cannot connect to Redis: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
