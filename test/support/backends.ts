import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres, EmbeddedPostgres } from "../../lib/store/embedded-postgres";
import { deleteRedisPrefix, deleteStream } from "./service-cleanup";

/**
 * Where integration suites run: the embedded defaults (PGlite, in-process adapters) and the
 * real services on this machine (PostgreSQL, Redis, NATS JetStream). Every suite that
 * loops over `backends()` runs once per backend.
 */
export interface Backend {
  name: "embedded" | "services";
  /** Config overrides for an app on this backend (one database per test process). */
  overrides(): Promise<Record<string, unknown>>;
  /** The real services, or null on the embedded backend. */
  redisUrl: string | null;
  natsUrl: string | null;
}

const PG_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";

/** A random suffix so parallel runs never share databases, keys, streams or subjects. */
export const runId = crypto.randomBytes(4).toString("hex");

let embedded: Promise<EmbeddedPostgres> | undefined;
let postgresDatabase: Promise<string> | undefined;
const cleanups: (() => Promise<void>)[] = [];

/** One PGlite for the whole test process: starting one costs seconds. */
export function sharedEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  return (embedded ??= startEmbeddedPostgres("memory://", 1000).then((db) => {
    cleanups.push(() => db.stop());
    return db;
  }));
}

async function createPostgresDatabase(): Promise<string> {
  const name = `msgtest_${runId}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The test process's own PostgreSQL database, created on first use and dropped at exit. */
export function testPostgresUrl(): Promise<string> {
  return (postgresDatabase ??= createPostgresDatabase());
}

const embeddedBackend: Backend = {
  name: "embedded",
  redisUrl: null,
  natsUrl: null,
  async overrides() {
    return { database: { url: (await sharedEmbeddedPostgres()).url } };
  },
};

let servicesLitterRegistered = false;

/** At exit, the run's Redis keys and JetStream stream go with its database. */
function removeServicesLitterAtExit(): void {
  if (servicesLitterRegistered) return;
  servicesLitterRegistered = true;
  cleanups.push(async () => {
    await deleteRedisPrefix(TEST_REDIS_URL, `msgtest:${runId}:`).catch(() => undefined);
    await deleteStream(TEST_NATS_URL, `MSGTEST_${runId}`).catch(() => undefined);
  });
}

const servicesBackend: Backend = {
  name: "services",
  redisUrl: TEST_REDIS_URL,
  natsUrl: TEST_NATS_URL,
  async overrides() {
    removeServicesLitterAtExit();
    return {
      database: { url: await testPostgresUrl() },
      redis: { url: TEST_REDIS_URL, key_prefix: `msgtest:${runId}:` },
      nats: { url: TEST_NATS_URL, stream: `MSGTEST_${runId}`, subject_prefix: `msgtest_${runId}` },
    };
  },
};

/**
 * Probed once, synchronously (suites are defined synchronously): a child process tries a TCP
 * connection to each service.
 */
function probeServices(): boolean {
  const targets = [
    [PG_ADMIN_URL, 5432],
    [TEST_REDIS_URL, 6379],
    [TEST_NATS_URL, 4222],
  ].map(([url, fallback]) => {
    const parsed = new URL(String(url));
    return {
      name: parsed.protocol.replace(":", ""),
      host: parsed.hostname,
      port: Number(parsed.port || fallback),
    };
  });
  const script = `
    const net = require("node:net");
    const targets = ${JSON.stringify(targets)};
    Promise.all(targets.map((t) => new Promise((resolve) => {
      const s = net.connect({ host: t.host, port: t.port });
      s.setTimeout(1500);
      s.once("connect", () => { s.destroy(); resolve(null); });
      s.once("error", () => resolve(t.name));
      s.once("timeout", () => { s.destroy(); resolve(t.name); });
    }))).then((down) => { process.stdout.write(down.filter(Boolean).join(",")); });`;
  const down = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim();
  if (down === "") return true;
  const message = `services unreachable: ${down}`;
  if (process.env.CI === "true") throw new Error(`${message} (required under CI=true)`);
  console.warn(`\n!!! ${message}: the "services" suites are NOT run, only the embedded ones !!!\n`);
  return false;
}

let servicesUp: boolean | undefined;

/** The backends to run integration suites on: embedded always, real services when up. */
export function backends(): Backend[] {
  servicesUp ??= probeServices();
  return servicesUp ? [embeddedBackend, servicesBackend] : [embeddedBackend];
}

export async function cleanupBackends(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
}
