import { Redis } from "ioredis";
import { newId } from "../../lib/ids";
import { MemoryPresenceStore } from "../../lib/presence/memory-presence-store";
import type { PresenceStore } from "../../lib/presence/presence-store";
import { RedisPresenceStore } from "../../lib/presence/redis-presence-store";
import { backends, runId } from "./backends";

const DAY = 86_400_000;

/** A presence store implementation that suites run against (memory, and Redis where it runs). */
export interface PresenceStoreImplementation {
  name: string;
  /** A fresh, empty store (its own Redis key prefix); `close` removes what it wrote. */
  create(retentionMs?: number): Promise<{ store: PresenceStore; close(): Promise<void> }>;
}

/** Every presence store this machine can run: memory always, Redis when the services run. */
export function presenceStoreImplementations(): PresenceStoreImplementation[] {
  const implementations: PresenceStoreImplementation[] = [
    {
      name: "memory",
      create: async (retentionMs = DAY) => ({
        store: new MemoryPresenceStore(retentionMs),
        close: async () => undefined,
      }),
    },
  ];
  const redisUrl = backends().find((backend) => backend.redisUrl)?.redisUrl;
  if (redisUrl) {
    implementations.push({
      name: "redis",
      create: async (retentionMs = DAY) => {
        const redis = new Redis(redisUrl);
        const prefix = `msgtest:${runId}:${newId()}:`;
        return {
          store: new RedisPresenceStore(redis, prefix, retentionMs),
          close: async () => {
            const keys = await redis.keys(`${prefix}*`);
            if (keys.length > 0) await redis.del(...keys);
            await redis.quit();
          },
        };
      },
    });
  }
  return implementations;
}
