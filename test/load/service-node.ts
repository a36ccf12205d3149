import cluster from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { Config, loadConfig } from "../../config/load-config";
import { createApp } from "../../lib/app";
import { createLogger } from "../../lib/logger";
import { openDatabase } from "../../lib/store/database";
import { startPrimary } from "../../lib/workers/primary";
import { startWorkerNode, WORKER_LISTEN } from "../../lib/workers/worker";
import { serveParent } from "./child-process";
import { PhaseProfiler } from "./phase-profiler";
import { bareInsert, BareInsertOptions, seedCorpus, SeedCorpusOptions } from "./sql-tools";
import type { Knex } from "knex";

/**
 * One service node for `--spawn`: the real createApp() from the environment (DATABASE_URL,
 * REDIS_URL, NATS_URL, ... or the embedded defaults), on a free loopback port. It also runs
 * the bare-insert baseline and the search corpus seeding next to the database it uses.
 * With WORKERS > 1 (`--workers`) it is the real primary (lib/workers) and its workers run
 * this file too.
 */
async function main(): Promise<void> {
  if (cluster.isWorker) return serveAsWorker();
  const config = loadConfig();
  if (config.server.workers > 1) return serveAsPrimary(config);
  const app = await createApp(config);
  const url = await app.start();
  const knex = app.database.knex;
  const profiler = new PhaseProfiler();
  serveParent(
    url,
    {
      ...databaseTools(knex, app.database.kind),
      startProfile: () => profiler.start(),
      stopProfile: (args) => profiler.stop(args as { dir: string; name: string }),
    },
    () => app.stop(),
  );
  // The graceful path, as in production (lib/main.ts): drain, then exit 0.
  process.once("SIGTERM", () => {
    void app.stop().finally(() => process.exit(0));
  });
}

function databaseTools(knex: Knex, kind: string) {
  return {
    bareInsert: (args: unknown) => bareInsert(knex, args as BareInsertOptions),
    seedCorpus: (args: unknown) => seedCorpus(knex, args as SeedCorpusOptions),
    databaseKind: () => kind,
    // After the setup's bulk inserts: what autovacuum would otherwise do during the
    // first measured phase (PostgreSQL; PGlite has no autovacuum).
    settleDatabase: async () => {
      if (kind === "postgres") await knex.raw("VACUUM ANALYZE");
    },
  };
}

/** A worker as in production (its metrics registry answers the primary's aggregation). */
async function serveAsWorker(): Promise<void> {
  const config = loadConfig({ overrides: WORKER_LISTEN });
  const app = await startWorkerNode(config, createLogger(config.logging));
  const stop = () => void app.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("disconnect", stop);
}

/**
 * The primary, plus a pool of its own for the SQL baselines; bus counts and memory are the
 * workers' summed (prom-client's cluster aggregation). No CPU profiles in this mode.
 */
async function serveAsPrimary(config: Config): Promise<void> {
  const logger = createLogger(config.logging).child({ role: "primary" });
  const primary = await startPrimary(config, logger);
  const database = await openDatabase(config, logger);
  const aggregator = new AggregatorRegistry();
  const read = async (name: string) => {
    const text = await aggregator.clusterMetrics();
    return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, "m").exec(text)?.[1] ?? 0);
  };
  serveParent(
    primary.url,
    {
      ...databaseTools(database.knex, database.kind),
      busReceived: () => read("messaging_cluster_bus_messages_received_total"),
      memory: async () => ({
        rss: process.memoryUsage().rss + (await read("process_resident_memory_bytes")),
        heapUsed: process.memoryUsage().heapUsed + (await read("nodejs_heap_size_used_bytes")),
      }),
      startProfile: () => undefined,
      stopProfile: () => null,
    },
    async () => {
      await primary.stop("SIGTERM");
      await database.close();
    },
  );
  process.once("SIGTERM", () => {
    void primary.stop("SIGTERM").then((code) => process.exit(code));
  });
}

main().catch((error) => {
  console.error("service node failed to start:", error);
  process.exit(1);
});
