import Redis from "ioredis";
import { connect } from "nats";

/**
 * Removing what a test run or a load run left on the shared Redis and NATS: the machine's
 * services live for the whole session, and runs that leave their keys and streams behind
 * make every later run slower (thousands of presence keys, JetStream streams of old runs).
 */

/** Deletes a JetStream stream (missing is fine). */
export async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** Deletes every key under `prefix` (SCAN + UNLINK, so Redis never blocks on it). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const pattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
    for await (const keys of redis.scanStream({ match: pattern, count: 1000 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
