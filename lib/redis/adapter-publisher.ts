import type { Redis } from "ioredis";
import type { Logger } from "../logger";

const WARN_EVERY_MS = 10_000;

/**
 * The Redis client as the Socket.IO Redis adapter should see it. The adapter publishes
 * without waiting for the answer; while Redis is away ioredis rejects those publishes once
 * its retries are spent, and an unhandled rejection ends the process (every node at once,
 * on a Redis restart). This view handles them: a failure is logged (at most every 10 s) and
 * the batch it carried is healed from the event log by the receiving nodes' ordered stream.
 */
export function adapterPublisher(redis: Redis, logger: Logger): Redis {
  let lastWarning = 0;
  const onFailure = (error: Error) => {
    if (Date.now() - lastWarning < WARN_EVERY_MS) return;
    lastWarning = Date.now();
    logger.warn("cross-node publish failed (Redis unavailable); nodes heal from the event log", {
      error: error.message,
    });
  };
  return new Proxy(redis, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (property !== "publish" && property !== "spublish") return value.bind(target);
      return (...args: unknown[]) => {
        const sent = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        sent.catch(onFailure);
        return sent;
      };
    },
  });
}
