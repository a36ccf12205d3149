/**
 * Search benchmark: seeds N messages (test/bench/search-corpus.ts), then times searches
 * through the SearchService (ranked, hydrated, highlighted), each followed by a bare
 * primary-key SELECT as a baseline under the same load, and writes reports/<report>.md/.json.
 *
 *   npm run bench:search -- --messages 1000000 [--searches 300] [--explain]
 *       PostgreSQL (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres):
 *       a throwaway database, dropped at the end unless --keep; --database NAME seeds NAME
 *       once and reuses it on later runs (kept).
 *   npm run bench:search -- --embedded --messages 100000
 *       embedded PGlite in memory, the service's default database.
 *   --no-vacuum: seed without the VACUUM that autovacuum would do on PostgreSQL (PGlite has
 *   no autovacuum, so a live embedded database looks like this).
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { loadConfig } from "../../config/load-config";
import { App, createApp } from "../../lib/app";
import { startEmbeddedPostgres } from "../../lib/store/embedded-postgres";
import { measureInsertCost } from "./insert-cost";
import * as corpus from "./search-corpus";
import { LoadSample, Measured, buildReport, writeReport } from "./search-report";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const EMBEDDED = args.includes("--embedded");
const MESSAGES = Number(option("messages", EMBEDDED ? "100000" : "1000000"));
const SEARCHES = Number(option("searches", "300"));
const DATABASE = option("database", "");
const KEEP = args.includes("--keep") || DATABASE !== "";
const EXPLAIN = args.includes("--explain");
const VACUUM = !args.includes("--no-vacuum");
const REPORT = option("report", EMBEDDED ? "search-bench-embedded" : "search-bench");
const ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PAGE = "20";

/** A database to run on: its URL and how to let go of it. */
interface Target {
  url: string;
  label: string;
  release(): Promise<void>;
}

async function postgresTarget(): Promise<Target> {
  const name = DATABASE || `search_bench_${crypto.randomBytes(4).toString("hex")}`;
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad --database ${name}`);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: "PostgreSQL",
    async release() {
      if (!KEEP) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      else console.log(`kept database ${name}`);
      await admin.end();
    },
  };
}

async function embeddedTarget(): Promise<Target> {
  const db = await startEmbeddedPostgres("memory://", 20);
  return { url: db.url, label: "embedded PGlite (in memory)", release: () => db.stop() };
}

async function startApp(url: string, storage: string): Promise<App> {
  const config = loadConfig({
    env: {},
    file: null,
    overrides: {
      database: { url },
      logging: { level: "error" },
      auth: { jwt_secret: "bench-secret-0123456789abcdef" },
      storage: { path: storage },
    },
  });
  return createApp(config); // runs the migrations
}

/** Samples the 1-minute load average every second until stopped. */
function sampleLoad(): { stop(): LoadSample } {
  const samples = [os.loadavg()[0]];
  const timer = setInterval(() => samples.push(os.loadavg()[0]), 1000);
  const r = (value: number) => +value.toFixed(2);
  return {
    stop() {
      clearInterval(timer);
      samples.push(os.loadavg()[0]);
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      return { min: r(Math.min(...samples)), mean: r(mean), max: r(Math.max(...samples)) };
    },
  };
}

const elapsedMs = async (run: () => Promise<unknown>): Promise<number> => {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

async function measure(app: App, planned: corpus.PlannedSearch[]): Promise<Measured[]> {
  const search = (s: corpus.PlannedSearch) =>
    app.services.search.searchMessages(s.caller, { q: s.q, limit: PAGE });
  for (const s of planned.slice(0, 5)) await search(s); // warm the pool and the plan cache
  const results: Measured[] = [];
  for (const s of planned) {
    let hits = 0;
    const ms = await elapsedMs(async () => {
      hits = (await search(s)).data.length;
    });
    const id = corpus.messageId(crypto.randomInt(MESSAGES));
    const baselineMs = await elapsedMs(() =>
      app.database.knex("messages").where({ id }).first("id", "content"),
    );
    results.push({ kind: s.kind, q: s.q, power: s.power, ms, hits, baselineMs });
  }
  return results;
}

/** A plan line with its conversation-id array literals shortened to a count. */
const compactIds = (line: string) =>
  line.replace(/'\{([0-9a-f-]{36},?)+\}'/g, (ids) => `'{${ids.split(",").length} ids}'`);

/** EXPLAIN (ANALYZE, BUFFERS) of the first search of each kind, as the service sends it. */
async function explainPlans(app: App, url: string, planned: corpus.PlannedSearch[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const seen = new Set<string>();
  const sections = ["# Search plans", "", "EXPLAIN (ANALYZE, BUFFERS) of the hit query.", ""];
  try {
    for (const s of planned) {
      const kind = s.power ? `${s.kind} (power user)` : s.kind;
      if (seen.has(kind)) continue;
      seen.add(kind);
      let captured: { sql: string; bindings: unknown[] } | undefined;
      const listen = (query: { sql: string; bindings: unknown[] }) => {
        if (!captured && query.sql.includes("octet_length")) captured = query;
      };
      app.database.knex.on("query", listen);
      await app.services.search.searchMessages(s.caller, { q: s.q, limit: PAGE });
      app.database.knex.off("query", listen);
      if (!captured) continue;
      const plan = await client.query(
        `EXPLAIN (ANALYZE, BUFFERS) ${captured.sql}`,
        captured.bindings,
      );
      const lines = plan.rows.map((r: Record<string, string>) => compactIds(r["QUERY PLAN"]));
      sections.push(`## ${kind}: \`${s.q}\``, "", "```", ...lines, "```", "");
    }
  } finally {
    await client.end();
  }
  return sections.join("\n");
}

/** Seeds the corpus unless the database already holds it; the seconds it took. */
async function ensureSeeded(target: Target): Promise<number> {
  if (await corpus.isSeeded(target.url, MESSAGES)) {
    console.log(`reusing the seeded corpus of ${MESSAGES.toLocaleString("en")} messages`);
    return 0;
  }
  console.log(`seeding ${MESSAGES.toLocaleString("en")} messages (${target.label})`);
  const started = Date.now();
  await corpus.seedCorpus(target.url, MESSAGES, VACUUM);
  return Math.round((Date.now() - started) / 1000);
}

async function run(target: Target, app: App): Promise<void> {
  const seedSeconds = await ensureSeeded(target);
  const planned = corpus.workload(SEARCHES);
  const load = sampleLoad();
  const results = await measure(app, planned);
  const loadSample = load.stop();
  const plans = EXPLAIN ? await explainPlans(app, target.url, planned) : undefined;
  const insertCost = await measureInsertCost(target.url, MESSAGES);
  const machine = `${os.cpus().length} CPU, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const summary = {
    database: target.label,
    messages: MESSAGES,
    searches: results.length,
    page_size: Number(PAGE),
    power_conversations: corpus.POWER_CONVERSATIONS,
    cpus: os.cpus().length,
    machine,
    seed_seconds: seedSeconds,
    vacuumed: VACUUM ? "yes" : "no",
    at: new Date().toISOString(),
  };
  const report = buildReport(summary, results, loadSample, insertCost);
  console.log({ ...summary, load: loadSample, ratio: report.ratio });
  console.table({
    typical: report.typical,
    power: report.power,
    all: report.all,
    baseline: report.baseline,
  });
  console.table(report.kinds);
  console.log("insert cost, before and after the search-index migration:", insertCost);
  const flags = `${EMBEDDED ? " --embedded" : ""} --messages ${MESSAGES} --searches ${SEARCHES}`;
  await writeReport(REPORT, report, {
    intro:
      `${MESSAGES.toLocaleString("en")} messages on ${target.label}: ${corpus.CORPUS_DESCRIPTION}. ` +
      `${results.length} searches through SearchService (page of ${PAGE}: ranked, hydrated, ` +
      `highlighted), one after another; ${machine}.`,
    command: `npm run bench:search --${flags}${EXPLAIN ? " --explain" : ""}`,
    plans,
  });
}

async function main(): Promise<void> {
  const target = EMBEDDED ? await embeddedTarget() : await postgresTarget();
  const storage = await fs.mkdtemp(path.join(os.tmpdir(), "search-bench-"));
  let app: App | undefined;
  try {
    app = await startApp(target.url, storage);
    await run(target, app);
  } finally {
    await app?.stop();
    await fs.rm(storage, { recursive: true, force: true });
    await target.release();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
