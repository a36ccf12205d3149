/**
 * Send throughput and latency over REST: N parallel senders in one conversation (the
 * worst case for the per-conversation seq lock), then one sender alone.
 * `npx tsx scripts/bench-messages.ts [senders=20] [per_sender=50]` with DATABASE_URL set
 * (PostgreSQL) or unset (embedded PGlite, in memory).
 */
import { loadConfig } from "../config/load-config";
import { createApp } from "../lib/app";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(url: string, token: string | null, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const senders = Number(process.argv[2] ?? 20);
  const perSender = Number(process.argv[3] ?? 50);
  const config = loadConfig({
    env: process.env,
    file: null,
    overrides: {
      server: { http_port: 0, host: "127.0.0.1" },
      logging: { level: "error" },
      database: { path: "memory://" },
      auth: {
        jwt_secret: "bench-secret-0123456789abcdef",
        password_cost: 10,
        hash_queue: 1000,
        hash_per_address: 1000,
      },
      rate_limits: {
        rest_per_minute: 1_000_000,
        messages_per_10s: 1_000_000,
        auth_per_15m: 1_000_000,
      },
    },
  });
  const app = await createApp(config);
  const base = (await app.start()) + "/api/v1";
  try {
    const users = await Promise.all(
      Array.from({ length: senders }, (_, i) =>
        json(`${base}/auth/register`, null, {
          username: `bench${Date.now().toString(36)}${i}`,
          password: "bench password",
        }),
      ),
    );
    const conversation = await json(`${base}/conversations`, users[0].token, {
      type: "group",
      name: "bench",
      member_ids: users.slice(1).map((u: { user: { id: string } }) => u.user.id),
    });
    const path = `${base}/conversations/${conversation.id}/messages`;
    const run = async (tokens: string[], count: number) => {
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        tokens.map(async (token, s) => {
          for (let i = 0; i < count; i++) {
            const t = performance.now();
            await json(path, token, {
              content: `bench ${s} ${i}`,
              client_msg_id: `b${s}-${i}-${count}`,
            });
            latencies.push(performance.now() - t);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      return `${latencies.length} sends in ${seconds.toFixed(1)} s = ${(latencies.length / seconds).toFixed(0)}/s; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`;
    };
    const tokens = users.map((u: { token: string }) => u.token);
    console.log(`database: ${app.database.kind}`);
    console.log(`${senders} parallel senders, one conversation: ${await run(tokens, perSender)}`);
    console.log(`1 sender: ${await run(tokens.slice(0, 1), perSender)}`);
    const history = await json(`${path}?limit=100`, tokens[0]);
    console.log(`history page of ${history.data.length}: ok`);
  } finally {
    await app.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
