/**
 * What this schema costs the insert path against the one before the search indexes
 * (knex/migrations/20261202000100_search_indexes.js): the same set-based INSERT of
 * corpus-like messages, alternating between the two, each in a transaction that is rolled
 * back. The database briefly holds the union of both index sets; each round drops, inside
 * its transaction, what the other schema lacks, so nothing but the dead rows remains.
 */
import pg from "pg";
import { messagesInsert } from "./search-corpus";

/** Added by the migration. */
const ADDED = ["messages_search_covering", "messages_search_long"];
/** Dropped by the migration, as the initial schema made it. */
const DROPPED = {
  name: "messages_content_trgm",
  create:
    "CREATE INDEX IF NOT EXISTS messages_content_trgm ON messages USING gin (content gin_trgm_ops)",
};

export interface InsertCost {
  rows: number;
  rounds: number;
  before_rows_per_sec: number;
  after_rows_per_sec: number;
  before_wal_bytes_per_row: number;
  after_wal_bytes_per_row: number;
}

interface Run {
  ms: number;
  walBytes: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function timedInsert(client: pg.Client, sql: string, drop: string[]): Promise<Run> {
  await client.query("BEGIN");
  try {
    for (const name of drop) await client.query(`DROP INDEX IF EXISTS ${name}`);
    const before = await client.query("SELECT pg_current_wal_insert_lsn() AS lsn");
    const started = process.hrtime.bigint();
    await client.query(sql);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const wal = await client.query("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) AS b", [
      before.rows[0].lsn,
    ]);
    return { ms, walBytes: Number(wal.rows[0].b) };
  } finally {
    await client.query("ROLLBACK");
  }
}

/** `rounds` × (before, after) inserts of `rows` messages after the corpus's `total`. */
export async function measureInsertCost(
  url: string,
  total: number,
  rows = 20_000,
  rounds = 5,
): Promise<InsertCost> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sql = messagesInsert(total, total + rows - 1, total + rows);
  const runs: { before: Run[]; after: Run[] } = { before: [], after: [] };
  try {
    await client.query("SET maintenance_work_mem = '256MB'");
    await client.query(DROPPED.create);
    for (let round = 0; round < rounds; round += 1) {
      runs.before.push(await timedInsert(client, sql, ADDED));
      runs.after.push(await timedInsert(client, sql, [DROPPED.name]));
    }
  } finally {
    await client.query(`DROP INDEX IF EXISTS ${DROPPED.name}`);
    // The rolled-back rows are dead tuples; vacuum them (and their index entries) away so
    // that a later run on this corpus sees it as it was, even without autovacuum.
    await client.query("VACUUM messages");
    await client.end();
  }
  const rate = (list: Run[]) => Math.round(rows / (median(list.map((r) => r.ms)) / 1000));
  const wal = (list: Run[]) => Math.round(median(list.map((r) => r.walBytes)) / rows);
  return {
    rows,
    rounds,
    before_rows_per_sec: rate(runs.before),
    after_rows_per_sec: rate(runs.after),
    before_wal_bytes_per_row: wal(runs.before),
    after_wal_bytes_per_row: wal(runs.after),
  };
}
