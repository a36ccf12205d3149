/**
 * The capacity model's inputs for docs/scaling.md, measured on this machine:
 * - Redis: plain PUBLISH to one subscriber, and the cluster bus's route script (one batch
 *   routed to the nodes of its audience), per second;
 * - PostgreSQL: transactions per second that take the event log's one numbering lock
 *   (`SELECT … FOR UPDATE` on the state row, then an UPDATE of it), from 8 connections.
 *
 * REDIS_URL (redis://127.0.0.1:6379) and DATABASE_URL (a server to make a scratch table
 * on) pick the servers. `npx tsx test/bench/cluster-bus-bench.ts`
 */
import { Redis } from "ioredis";
import pg from "pg";
import { newId } from "../../lib/ids";
import { ROUTE_SCRIPT } from "../../lib/realtime/route-scripts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const EVENT_JSON = JSON.stringify({
  id: newId(),
  position: 1,
  type: "message.new",
  conversationId: newId(),
  audience: [newId(), newId()],
  frame: { type: "message.new", data: { id: newId(), content: "x".repeat(200) } },
  occurredAt: new Date().toISOString(),
});

async function perSecond(total: number, inFlight: number, one: (i: number) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) await one(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return Math.round(total / ((performance.now() - started) / 1000));
}

async function redisPublish(): Promise<number> {
  const publisher = new Redis(REDIS_URL);
  const subscriber = new Redis(REDIS_URL);
  const channel = `bench:${newId()}`;
  let received = 0;
  subscriber.on("message", () => void (received += 1));
  await subscriber.subscribe(channel);
  const rate = await perSecond(20_000, 64, () => publisher.publish(channel, EVENT_JSON));
  while (received < 20_000) await new Promise((resolve) => setTimeout(resolve, 10));
  await Promise.all([publisher.quit(), subscriber.quit()]);
  return rate;
}

/** Route scripts per second: batches of `size` events, audience 2 of 2000 users on 4 nodes. */
async function routeScript(
  size: number,
  inFlight: number,
): Promise<{ batches: number; published: number }> {
  const redis = new Redis(REDIS_URL);
  const subscriber = new Redis(REDIS_URL);
  const prefix = `bench:${newId().slice(-8)}:`;
  redis.defineCommand("route", { numberOfKeys: 0, lua: ROUTE_SCRIPT });
  const scripted = redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const route = (...args: unknown[]) => scripted.route(...args);
  const users = Array.from({ length: 2000 }, (_, i) => `u${i}`);
  const nodes = ["n0", "n1", "n2", "n3"];
  const pipeline = redis.pipeline();
  users.forEach((user, i) => pipeline.sadd(`${prefix}u:${user}`, nodes[i % nodes.length]));
  await pipeline.exec();
  let published = 0;
  subscriber.on("message", () => void (published += 1));
  await subscriber.subscribe(...nodes.map((node) => `${prefix}n:${node}`));
  const total = size === 1 ? 20_000 : 2_000;
  // Positions in call order: pipelined on one connection, each batch follows the last.
  const rate = await perSecond(total, inFlight, (i) => {
    const items: string[] = [];
    for (let e = 0; e < size; e += 1) {
      const a = users[(i * 7 + e * 13) % users.length];
      const b = users[(i * 11 + e * 17 + 1) % users.length];
      items.push(`${a},${b}`, EVENT_JSON);
    }
    return route(prefix, "batch", i * size + 1, (i + 1) * size, size, ...items);
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await Promise.all([redis.quit(), subscriber.quit()]);
  return { batches: rate, published: Math.round((published / total) * rate) };
}

async function numberingLock(): Promise<number> {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 8 });
  const table = `bench_log_state_${newId().slice(-8).replace(/-/g, "")}`;
  await pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, last_position bigint)`);
  await pool.query(`INSERT INTO ${table} VALUES (1, 0)`);
  try {
    return await perSecond(5_000, 8, () =>
      pool.query(
        `SELECT 1 FROM ${table} WHERE id = 1 FOR UPDATE; ` +
          `UPDATE ${table} SET last_position = last_position + 1 WHERE id = 1`,
      ),
    );
  } finally {
    await pool.query(`DROP TABLE ${table}`);
    await pool.end();
  }
}

async function main(): Promise<void> {
  const results = {
    redisPublishPerSec: await redisPublish(),
    routeScriptOneEvent: await routeScript(1, 1),
    routeScriptOneEventPipelined: await routeScript(1, 16),
    routeScriptTwentyEvents: await routeScript(20, 1),
    routeScriptTwentyEventsPipelined: await routeScript(20, 16),
    numberingLockTransactionsPerSec: await numberingLock(),
  };
  console.log(JSON.stringify(results, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
