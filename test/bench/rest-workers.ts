/**
 * REST sends through `npm start` with WORKERS=N (default 1) on this machine's PostgreSQL and
 * Redis: a fresh database, one conversation, 1,500 POST /messages from 10 concurrent
 * keep-alive clients. Prints throughput and latency; run it for 1 and 2 and compare:
 *   npx tsx test/bench/rest-workers.ts 1 && npx tsx test/bench/rest-workers.ts 2
 */
import pg from "pg";
import { spawnService } from "../support/service-process";

const ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const REQUESTS = 1500;
const CONCURRENCY = 10;

const workers = process.argv[2] ?? "1";
const database = `restbench_${workers}_${Date.now()}`;

function startService(port: number) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return spawnService({
    WORKERS: workers,
    DATABASE_URL: url.toString(),
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_KEY_PREFIX: `restbench:${database}:`,
    HTTP_PORT: String(port),
    HTTP_HOST: "127.0.0.1",
    JWT_SECRET: "restbench-secret-0123456789abcdef",
    PASSWORD_COST: "10",
    SHUTDOWN_DRAIN_DELAY: "0",
    RATE_LIMIT_REST: "1000000",
    RATE_LIMIT_IP: "1000000",
    RATE_LIMIT_MESSAGES: "1000000",
    LOG_LEVEL: "warn",
  });
}

async function post(url: string, body: unknown, token?: string): Promise<Record<string, any>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as Record<string, any>;
}

async function until(ready: () => Promise<boolean>): Promise<void> {
  while (!(await ready().catch(() => false))) await new Promise((r) => setTimeout(r, 200));
}

async function main(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const port = 18000 + Number(workers);
  const service = startService(port);
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(async () => (await fetch(`${base}/healthz`)).ok);
    const register = (name: string) =>
      post(`${base}/api/v1/auth/register`, {
        username: `${name}${Date.now()}`,
        password: "correct horse battery",
      });
    const [alice, bob] = [await register("alice"), await register("bob")];
    const token = alice.token as string;
    const conversation = await post(
      `${base}/api/v1/conversations`,
      { type: "direct", member_ids: [bob.user.id] },
      token,
    );
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const client = async () => {
      while (next < REQUESTS) {
        const content = `message ${next++}`;
        const sentAt = performance.now();
        await post(`${base}/api/v1/conversations/${conversation.id}/messages`, { content }, token);
        latencies.push(performance.now() - sentAt);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => Number(latencies[Math.floor(latencies.length * q)].toFixed(1));
    console.log(
      JSON.stringify({
        workers,
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        per_second: Math.round(REQUESTS / seconds),
        p50_ms: at(0.5),
        p99_ms: at(0.99),
      }),
    );
  } finally {
    service.child.kill("SIGTERM");
    await service.exited;
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
