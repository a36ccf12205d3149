/**
 * Search benchmark: seeds N messages (default 1,000,000) into a fresh PostgreSQL
 * database with set-based SQL, then times 100 searches through the SearchService and
 * prints p50/p95/p99; writes reports/search-bench.json and reports/search-bench.md.
 *
 *   npm run bench:search -- --messages 200000 [--searches 100] [--keep]
 *   (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../../config/load-config";
import { createApp } from "../../lib/app";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const MESSAGES = Number(option("messages", "1000000"));
const SEARCHES = Number(option("searches", "100"));
const KEEP = args.includes("--keep");
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const USERS = 1000;
const CONVERSATIONS = 2000;
const MEMBERS_PER_CONVERSATION = 5;
/** A "power user" in this many conversations (a tenth of all messages). */
const POWER_CONVERSATIONS = 200;

const WORDS = (
  "deploy deployment deployed release build pipeline server database migration index query " +
  "latency cache redis postgres kafka nats queue worker cluster node pod container docker " +
  "kubernetes helm chart config secret token auth login logout user account password email " +
  "invoice payment refund order customer ticket support bug fix patch hotfix review merge " +
  "branch commit test flaky green red alert pager incident outage rollback canary metrics " +
  "dashboard grafana prometheus logs trace span error warning timeout retry backoff limit " +
  "meeting standup sprint planning roadmap design spec draft doc wiki notes lunch coffee " +
  "tomorrow today yesterday monday friday weekend morning afternoon please thanks sorry " +
  "great awesome ok sure maybe later soon now quick question answer idea plan update status " +
  "the a to of and in on for with is it this that we you they can will should need"
).split(" ");
const CJK =
  "部署 数据库 服务器 发布 测试 错误 修复 会议 明天 今天 版本 用户 デプロイ テスト 障害 会議 明日 리뷰 배포".split(
    " ",
  );
const RARE = ["zanzibar", "quokka", "xylophone", "marzipan", "fjord"];

interface Measured {
  kind: string;
  q: string;
  ms: number;
  hits: number;
}

const sqlArray = (items: string[]) => `(ARRAY[${items.map((w) => `'${w}'`).join(",")}]::text[])`;

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // the finally block may drop the database under it
  await client.connect();
  const step = async (label: string, sql: string) => {
    const started = Date.now();
    await client.query(sql);
    console.log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await client.query("SET maintenance_work_mem = '512MB'");
  await step(
    "users",
    `INSERT INTO users (id, username, display_name)
     SELECT md5('u' || i)::uuid, 'bench_' || i, 'Bench User ' || i FROM generate_series(0, ${USERS - 1}) i`,
  );
  await step(
    "conversations",
    `INSERT INTO conversations (id, type, name, description, created_by)
     SELECT md5('c' || c)::uuid, 'group', 'Team ' || c, 'Bench conversation ' || c, md5('u' || (c % ${USERS}))::uuid
     FROM generate_series(0, ${CONVERSATIONS - 1}) c`,
  );
  await step(
    "members",
    `INSERT INTO conversation_members (conversation_id, user_id, role)
     SELECT md5('c' || c)::uuid, md5('u' || ((c * 7 + k * 131) % ${USERS}))::uuid,
            CASE WHEN k = 0 THEN 'owner' ELSE 'member' END
     FROM generate_series(0, ${CONVERSATIONS - 1}) c, generate_series(0, ${MEMBERS_PER_CONVERSATION - 1}) k
     ON CONFLICT DO NOTHING;
     INSERT INTO users (id, username, display_name) VALUES (md5('power')::uuid, 'bench_power', 'Power User');
     INSERT INTO conversation_members (conversation_id, user_id)
     SELECT md5('c' || c)::uuid, md5('power')::uuid FROM generate_series(0, ${POWER_CONVERSATIONS - 1}) c`,
  );
  // Indexes are built once after the bulk insert (much faster than maintaining them per row).
  await client.query("DROP INDEX messages_search_vector; DROP INDEX messages_content_trgm");
  const words = sqlArray(WORDS);
  const cjk = sqlArray(CJK);
  const rare = sqlArray(RARE);
  const batch = 250_000;
  for (let from = 0; from < MESSAGES; from += batch) {
    const to = Math.min(MESSAGES, from + batch) - 1;
    await step(
      `messages ${from}..${to}`,
      `INSERT INTO messages (id, conversation_id, sender_id, seq, content, created_at)
       SELECT md5('m' || i)::uuid, md5('c' || (i % ${CONVERSATIONS}))::uuid,
              md5('u' || (((i % ${CONVERSATIONS}) * 7 + (i % ${MEMBERS_PER_CONVERSATION}) * 131) % ${USERS}))::uuid,
              i / ${CONVERSATIONS} + 1,
              CASE WHEN i % 10 = 0 THEN
                array_to_string(ARRAY(SELECT ${cjk}[1 + floor(random() * ${CJK.length})::int]
                                      FROM generate_series(1, 3 + (i % 5)) g WHERE g > -i), '')
              ELSE
                array_to_string(ARRAY(SELECT ${words}[1 + floor(random() * ${WORDS.length})::int]
                                      FROM generate_series(1, 5 + (i % 15)) g WHERE g > -i), ' ')
                || CASE WHEN i % 997 = 0 THEN ' ' || ${rare}[1 + (i % ${RARE.length})] ELSE '' END
              END,
              now() - ((${MESSAGES} - i) * interval '1 second')
       FROM generate_series(${from}, ${to}) i`,
    );
  }
  await step(
    "last_seq",
    `UPDATE conversations c SET last_seq = s.max_seq
     FROM (SELECT conversation_id, max(seq) AS max_seq FROM messages GROUP BY conversation_id) s
     WHERE s.conversation_id = c.id`,
  );
  await step(
    "GIN tsvector index",
    "CREATE INDEX messages_search_vector ON messages USING gin (search_vector)",
  );
  await step(
    "GIN trigram index",
    "CREATE INDEX messages_content_trgm ON messages USING gin (content gin_trgm_ops)",
  );
  await step("analyze", "ANALYZE");
  await client.end();
}

function workload(): { kind: string; q: string; caller: string }[] {
  const pick = <T>(list: T[]) => list[crypto.randomInt(list.length)];
  const user = () =>
    crypto
      .createHash("md5")
      .update(`u${crypto.randomInt(USERS)}`)
      .digest("hex");
  const power = crypto.createHash("md5").update("power").digest("hex");
  const asUuid = (hex: string) =>
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const kinds: [string, () => string][] = [
    ["word", () => pick(WORDS.slice(0, 120))],
    ["prefix", () => pick(WORDS.slice(0, 120)).slice(0, 4)],
    ["two words", () => `${pick(WORDS)} ${pick(WORDS)}`],
    ["phrase", () => `"${pick(WORDS)} ${pick(WORDS)}"`],
    ["or + exclusion", () => `${pick(WORDS)} or ${pick(WORDS)} -${pick(WORDS)}`],
    ["rare word", () => pick(RARE)],
    ["cjk substring", () => pick(CJK)],
  ];
  return Array.from({ length: SEARCHES }, (_, i) => {
    const [kind, make] = kinds[i % kinds.length];
    const powerUser = i % 10 === 9;
    return {
      kind: powerUser ? `${kind} (power user)` : kind,
      q: make(),
      caller: asUuid(powerUser ? power : user()),
    };
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main(): Promise<void> {
  const name = `search_bench_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  console.log(`database ${name}; seeding ${MESSAGES.toLocaleString("en")} messages`);
  const storage = await fs.mkdtemp(path.join(os.tmpdir(), "search-bench-"));
  const config = loadConfig({
    env: {},
    file: null,
    overrides: {
      database: { url: url.toString() },
      logging: { level: "error" },
      auth: { jwt_secret: "bench-secret-0123456789abcdef" },
      storage: { path: storage },
    },
  });
  const app = await createApp(config); // runs the migrations
  const seedStarted = Date.now();
  try {
    await seed(url.toString());
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const queries = workload();
    for (const { q, caller } of queries.slice(0, 5)) {
      await app.services.search.searchMessages(caller, { q, limit: "20" });
    }
    const results: Measured[] = [];
    for (const { kind, q, caller } of queries) {
      const started = process.hrtime.bigint();
      const page = await app.services.search.searchMessages(caller, { q, limit: "20" });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      results.push({ kind, q, ms, hits: page.data.length });
    }
    const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
    const summary = {
      messages: MESSAGES,
      users: USERS + 1,
      conversations: CONVERSATIONS,
      searches: results.length,
      page_size: 20,
      seed_seconds: Math.round(seedSeconds),
      p50_ms: +percentile(sorted, 50).toFixed(1),
      p95_ms: +percentile(sorted, 95).toFixed(1),
      p99_ms: +percentile(sorted, 99).toFixed(1),
      max_ms: +sorted[sorted.length - 1].toFixed(1),
      machine: `${os.cpus().length} CPU, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`,
      at: new Date().toISOString(),
    };
    const byKind = new Map<string, number[]>();
    for (const r of results) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r.ms]);
    const kinds = [...byKind].map(([kind, times]) => {
      const s = times.sort((a, b) => a - b);
      return {
        kind,
        n: s.length,
        p50_ms: +percentile(s, 50).toFixed(1),
        max_ms: +s[s.length - 1].toFixed(1),
      };
    });
    console.log(summary);
    console.table(kinds);
    await fs.mkdir("reports", { recursive: true });
    await fs.writeFile(
      "reports/search-bench.json",
      `${JSON.stringify({ summary, kinds, results }, null, 2)}\n`,
    );
    await fs.writeFile(
      "reports/search-bench.md",
      [
        "# Search benchmark",
        "",
        `${MESSAGES.toLocaleString("en")} messages in ${CONVERSATIONS} conversations (${MEMBERS_PER_CONVERSATION} members each, 10% CJK text), ` +
          `${results.length} searches through SearchService (page of 20, ranked, hydrated, highlighted), PostgreSQL; ${summary.machine}.`,
        "",
        "| p50 | p95 | p99 | max |",
        "|---|---|---|---|",
        `| ${summary.p50_ms} ms | ${summary.p95_ms} ms | ${summary.p99_ms} ms | ${summary.max_ms} ms |`,
        "",
        "| query kind | n | p50 | max |",
        "|---|---|---|---|",
        ...kinds.map((k) => `| ${k.kind} | ${k.n} | ${k.p50_ms} ms | ${k.max_ms} ms |`),
        "",
        `Seeding took ${summary.seed_seconds} s. Measured ${summary.at}. Regenerate: \`npm run bench:search -- --messages ${MESSAGES}\`.`,
        "",
      ].join("\n"),
    );
  } finally {
    await app.stop();
    await fs.rm(storage, { recursive: true, force: true });
    if (!KEEP) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    else console.log(`kept database ${name}`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
