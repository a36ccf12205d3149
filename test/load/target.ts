import crypto from "node:crypto";
import pg from "pg";
import { deleteRedisPrefix, deleteStream } from "../support/service-cleanup";
import { spawnServerChild, ServerChild } from "./child-process";
import type { CpuRoles } from "./cpu-meter";
import { startOwnServices } from "./own-services";

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

/** What the generator drives: the service (spawned or at a URL) or a bare baseline server. */
export interface Target {
  name: string;
  kind: "service" | "bare-io" | "bare-ws";
  /** One base URL per node; clients are spread over them round-robin. */
  urls: string[];
  /** Mint tokens with this secret (users provisioned on first sight); null: register users. */
  jwtSecret: string | null;
  /** Server memory summed over the nodes, when it can be known. */
  memory(): Promise<MemorySample | null>;
  /** The first spawned node, for SQL baselines and corpus seeding (null for --url). */
  node: ServerChild | null;
  /** CPU profiles of the measured phases (spawned service nodes with --cpu-prof). */
  profiler?: { start(): Promise<void>; stop(): Promise<string[]> };
  describe: string;
  /** Settles the database after the setup (vacuum and statistics), before measuring. */
  settle?(): Promise<void>;
  /**
   * Cluster bus messages the nodes received so far (summed); when absent, read from each
   * URL's /metrics (which, behind a primary, would be one worker's).
   */
  busReceived?(): Promise<number | null>;
  /** The processes whose CPU a phase is charged with (spawned targets; the generator's are added). */
  cpuRoles?(): Omit<CpuRoles, "generator">;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  nodes: number;
  /** Worker processes per node (`server.workers`); 1: the node serves itself. */
  workers?: number;
  /** Extra environment for the service (DATABASE_URL, REDIS_URL, NATS_URL, ...). */
  env: Record<string, string | undefined>;
  /** Write a V8 CPU profile of each node's measured phases into this directory. */
  cpuProfDir?: string;
  /**
   * Run on a fresh database created on DATABASE_URL's server (dropped afterwards), and
   * unique Redis / NATS prefixes, so runs never see each other's data.
   */
  fresh?: boolean;
  /** Start a PostgreSQL cluster, Redis and NATS of the run's own (see own-services.ts). */
  ownServices?: boolean;
}

/** Creates `load_<tag>` next to the given database; returns its URL and a dropper. */
async function freshDatabase(
  url: string,
  tag: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `load_${tag}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return {
    url: fresh.toString(),
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Rate limits are per user / per IP; a load run is thousands of users on a few IPs. */
export const LOAD_RATE_LIMITS = {
  RATE_LIMIT_REST: "1000000",
  RATE_LIMIT_IP: "1000000",
  RATE_LIMIT_MESSAGES: "1000000",
  RATE_LIMIT_FRAMES: "1000000",
  RATE_LIMIT_CONNECTIONS: "1000000",
  RATE_LIMIT_AUTH: "1000000",
  PASSWORD_HASH_PER_ADDRESS: "1000",
  PASSWORD_HASH_QUEUE: "1000",
};

/** Starts one or two service nodes as child processes (the real createApp()). */
export async function spawnService(options: SpawnOptions): Promise<Target> {
  const workers = options.workers ?? 1;
  if ((options.nodes > 1 || workers > 1) && !options.env.DATABASE_URL && !options.ownServices) {
    throw new Error(
      "--nodes 2 and --workers 2 need DATABASE_URL (and REDIS_URL): embedded PGlite is one process",
    );
  }
  const own = options.ownServices ? await startOwnServices() : null;
  if (own) options = { ...options, env: { ...options.env, ...own.env }, fresh: false };
  const jwtSecret = options.env.JWT_SECRET ?? crypto.randomBytes(24).toString("hex");
  const tag = crypto.randomBytes(3).toString("hex");
  const database =
    options.fresh && options.env.DATABASE_URL
      ? await freshDatabase(options.env.DATABASE_URL, tag)
      : null;
  const isolation = options.fresh
    ? {
        REDIS_KEY_PREFIX: `load:${tag}:`,
        NATS_STREAM: `LOAD_${tag}`,
        NATS_SUBJECT_PREFIX: `load_${tag}`,
      }
    : {};
  const env: Record<string, string | undefined> = {
    HTTP_PORT: "0",
    HTTP_HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    DATABASE_PATH: "memory://",
    CONFIG_FILE: "",
    // No load balancer polls these nodes: stop at once, without the readiness drain.
    SHUTDOWN_DRAIN_DELAY: "0",
    ...LOAD_RATE_LIMITS,
    ...isolation,
    ...options.env,
    ...(database ? { DATABASE_URL: database.url } : {}),
    JWT_SECRET: jwtSecret,
    WORKERS: String(workers),
  };
  const nodes: ServerChild[] = [];
  try {
    // One after the other: migrations run once, the second node finds them done.
    for (let i = 0; i < options.nodes; i++) {
      nodes.push(await spawnServerChild("service-node.ts", env, [], 120_000));
    }
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    await database?.drop().catch(() => undefined);
    await own?.stop();
    throw error;
  }
  const backing = [
    env.DATABASE_URL ? `PostgreSQL${own ? " (its own cluster)" : ""}` : "embedded PGlite",
    env.REDIS_URL ? "Redis" : null,
    env.NATS_URL ? "NATS" : null,
  ].filter(Boolean);
  return {
    name: `service${options.nodes > 1 ? ` x${options.nodes}` : ""}${workers > 1 ? ` (${workers} workers each)` : ""}`,
    kind: "service",
    urls: nodes.map((node) => node.url),
    jwtSecret,
    node: nodes[0],
    memory: () => sumMemory(nodes),
    profiler: options.cpuProfDir ? phaseProfiler(nodes, options.cpuProfDir, tag) : undefined,
    describe: `${options.nodes} spawned node(s)${workers > 1 ? ` of ${workers} worker processes` : ""} on ${backing.join(" + ")}`,
    busReceived:
      workers > 1
        ? async () =>
            (await Promise.all(nodes.map((node) => node.call<number>("busReceived")))).reduce(
              (a, b) => a + b,
              0,
            )
        : undefined,
    cpuRoles: () => serviceCpuRoles(nodes, env, own?.postgresCluster),
    settle: () => nodes[0].call<void>("settleDatabase"),
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
      await database?.drop().catch(() => undefined);
      if (options.fresh) await dropIsolation(env, tag);
      await own?.stop();
    },
  };
}

/** The nodes, and the PostgreSQL database, Redis and NATS they were given. */
function serviceCpuRoles(
  nodes: ServerChild[],
  env: Record<string, string | undefined>,
  postgresCluster?: string,
): Omit<CpuRoles, "generator"> {
  const port = (url: string | undefined, fallback: number) =>
    url ? Number(new URL(url).port || fallback) : undefined;
  const redis = port(env.REDIS_URL, 6379);
  const nats = port(env.NATS_URL?.split(",")[0], 4222);
  return {
    server: nodes.map((node) => node.pid),
    postgres: postgresCluster
      ? { cluster: postgresCluster }
      : env.DATABASE_URL
        ? { database: decodeURIComponent(new URL(env.DATABASE_URL).pathname.slice(1)) }
        : undefined,
    redis: redis ? { port: redis } : undefined,
    nats: nats ? { port: nats } : undefined,
  };
}

/** A fresh run's Redis keys and JetStream stream, removed once its nodes are gone. */
async function dropIsolation(env: Record<string, string | undefined>, tag: string) {
  if (env.REDIS_URL) {
    await deleteRedisPrefix(env.REDIS_URL, `load:${tag}:`).catch(() => undefined);
  }
  if (env.NATS_URL) await deleteStream(env.NATS_URL, `LOAD_${tag}`).catch(() => undefined);
}

function phaseProfiler(nodes: ServerChild[], dir: string, tag: string): Target["profiler"] {
  return {
    start: async () => void (await Promise.all(nodes.map((node) => node.call("startProfile")))),
    stop: async () =>
      (
        await Promise.all(
          nodes.map((node) =>
            node.call<string | null>("stopProfile", { dir, name: `service-${tag}` }),
          ),
        )
      ).filter((file): file is string => file !== null),
  };
}

async function sumMemory(nodes: ServerChild[]): Promise<MemorySample> {
  const samples = await Promise.all(nodes.map((node) => node.call<MemorySample>("memory")));
  return samples.reduce((a, b) => ({ rss: a.rss + b.rss, heapUsed: a.heapUsed + b.heapUsed }));
}

/** Starts a bare baseline server (Socket.IO or raw ws) as a child process. */
export async function spawnBare(kind: "bare-io" | "bare-ws"): Promise<Target> {
  const entry = kind === "bare-io" ? "baselines/bare-io-server.ts" : "baselines/bare-ws-server.ts";
  const node = await spawnServerChild(entry, {});
  return {
    name: kind === "bare-io" ? "bare Socket.IO" : "bare ws",
    kind,
    urls: [node.url],
    jwtSecret: null,
    node,
    memory: () => node.call<MemorySample>("memory"),
    describe: `${kind === "bare-io" ? "minimal Socket.IO" : "minimal ws"} broadcast server, no auth, no persistence`,
    cpuRoles: () => ({ server: [node.pid] }),
    stop: () => node.stop(),
  };
}

/** A deployment reached by URL; memory comes from its Prometheus /metrics when exposed. */
export function urlTarget(urls: string[], jwtSecret: string | null): Target {
  return {
    name: "service",
    kind: "service",
    urls: urls.map((url) => url.replace(/\/+$/, "")),
    jwtSecret,
    node: null,
    memory: () => metricsMemory(urls),
    describe: `deployment at ${urls.join(", ")}`,
    stop: async () => undefined,
  };
}

async function metricsMemory(urls: string[]): Promise<MemorySample | null> {
  let rss = 0;
  let heapUsed = 0;
  for (const url of urls) {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return null;
    const text = await response.text();
    const read = (name: string) =>
      Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, "m").exec(text)?.[1] ?? NaN);
    rss += read("process_resident_memory_bytes");
    heapUsed += read("nodejs_heap_size_used_bytes");
  }
  return Number.isFinite(rss) ? { rss, heapUsed: Number.isFinite(heapUsed) ? heapUsed : 0 } : null;
}
