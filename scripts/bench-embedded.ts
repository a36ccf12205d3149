/**
 * Compares embedded PostgreSQL access paths on this machine: PGlite's own API versus PGlite
 * served by pglite-socket to the ordinary `pg` driver through knex (what the service uses).
 * `npx tsx scripts/bench-embedded.ts`
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import knexFactory from "knex";
import { startEmbeddedPostgres } from "../lib/store/embedded-postgres";

const N = 2000;

async function timed(label: string, work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`${label}: ${ms.toFixed(0)} ms (${((N / ms) * 1000).toFixed(0)} tx/s)`);
  return ms;
}

async function main(): Promise<void> {
  let started = Date.now();
  const direct = await PGlite.create("memory://", { extensions: { pg_trgm } });
  console.log(`PGlite.create: ${Date.now() - started} ms`);
  await direct.exec("CREATE TABLE t (id bigserial PRIMARY KEY, v text)");
  const directMs = await timed(`direct API, ${N} insert transactions`, async () => {
    for (let i = 0; i < N; i++) {
      await direct.transaction(async (tx) => {
        await tx.query("INSERT INTO t (v) VALUES ($1)", [`v${i}`]);
      });
    }
  });
  const directCount = (await direct.query<{ count: unknown }>("SELECT count(*) FROM t")).rows[0]
    .count;
  await direct.close();

  started = Date.now();
  const embedded = await startEmbeddedPostgres("memory://", 12);
  console.log(`PGlite + socket start: ${Date.now() - started} ms`);
  const knex = knexFactory({ client: "pg", connection: embedded.url, pool: { min: 0, max: 10 } });
  await knex.raw("CREATE TABLE t (id bigserial PRIMARY KEY, v text)");
  const socketMs = await timed(
    `pglite-socket + pg + knex, ${N} insert transactions (10 concurrent)`,
    async () => {
      for (let i = 0; i < N; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            knex.transaction((trx) => trx("t").insert({ v: `v${i + j}` })),
          ),
        );
      }
    },
  );
  const socketCount = (await knex("t").count("* as count"))[0].count;
  console.log(`count(*) type: direct=${typeof directCount}, pg driver=${typeof socketCount}`);
  console.log(`socket path costs ${(socketMs / directMs).toFixed(2)}x the direct API`);
  await knex.destroy();
  await embedded.stop();
}

void main();
