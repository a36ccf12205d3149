import { loadConfig } from "../../config/load-config";
import { createApp } from "../../lib/app";
import { serveParent } from "./child-process";
import { PhaseProfiler } from "./phase-profiler";
import { bareInsert, BareInsertOptions, seedCorpus, SeedCorpusOptions } from "./sql-tools";

/**
 * One service node for `--spawn`: the real createApp() from the environment (DATABASE_URL,
 * REDIS_URL, NATS_URL, ... or the embedded defaults), on a free loopback port. It also runs
 * the bare-insert baseline and the search corpus seeding next to the database it uses.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const url = await app.start();
  const knex = app.database.knex;
  const profiler = new PhaseProfiler();
  serveParent(
    url,
    {
      bareInsert: (args) => bareInsert(knex, args as BareInsertOptions),
      seedCorpus: (args) => seedCorpus(knex, args as SeedCorpusOptions),
      databaseKind: () => app.database.kind,
      // After the setup's bulk inserts: what autovacuum would otherwise do during the
      // first measured phase (PostgreSQL; PGlite has no autovacuum).
      settleDatabase: async () => {
        if (app.database.kind === "postgres") await knex.raw("VACUUM ANALYZE");
      },
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

main().catch((error) => {
  console.error("service node failed to start:", error);
  process.exit(1);
});
