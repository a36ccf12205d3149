import crypto from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "../../lib/store/embedded-postgres";
import { Backend, runId } from "./backends";

const PG_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A database of one's own, for tests that must see the whole outbox or prune it. */
export interface PrivateDatabase {
  url: string;
  drop(): Promise<void>;
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh database on the backend's kind of PostgreSQL: a new PostgreSQL database on the
 * services backend, a new in-memory PGlite on the embedded one. Several apps may share it.
 */
export async function privateDatabase(backend: Backend): Promise<PrivateDatabase> {
  if (backend.name === "embedded") {
    const embedded = await startEmbeddedPostgres("memory://", 20);
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const name = `msgtest_${runId}_${crypto.randomBytes(3).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
