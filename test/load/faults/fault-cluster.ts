import crypto from "node:crypto";
import knexFactory from "knex";
import pg from "pg";
import { migrationsDirectory } from "../../../lib/paths";
import { PrivateNatsServer } from "../../support/nats-server";
import { PrivatePostgres } from "../../support/private-postgres";
import { freePort, PrivateRedis, startPrivateRedis } from "../../support/private-redis";
import { ServerChild, spawnServerChild } from "../child-process";
import { LOAD_RATE_LIMITS, MemorySample, Target } from "../target";

/** The database the nodes use on the private cluster. */
const DATABASE = "messaging";

/**
 * What the faults scenario runs on, all of it its own: a PostgreSQL cluster (initdb in a
 * temporary folder, a free port), a redis-server and a nats-server with JetStream, and two
 * service nodes on fixed ports, so a node started again is found where it was. Every part
 * can be stopped and started again; nothing touches the machine's shared services.
 */
export class FaultCluster {
  readonly nodes: (ServerChild | null)[];
  readonly jwtSecret = crypto.randomBytes(24).toString("hex");

  private constructor(
    readonly postgres: PrivatePostgres,
    public redis: PrivateRedis,
    readonly nats: PrivateNatsServer,
    private readonly ports: number[],
    private readonly extraEnv: Record<string, string>,
  ) {
    this.nodes = ports.map(() => null);
  }

  static async start(nodes: number, env: Record<string, string>): Promise<FaultCluster> {
    const postgres = await PrivatePostgres.create();
    const stopAll: (() => Promise<void>)[] = [() => postgres.destroy()];
    try {
      await adminQuery(postgres.url(), `CREATE DATABASE ${DATABASE}`);
      const redis = await startPrivateRedis();
      stopAll.push(() => redis.stop());
      const nats = await PrivateNatsServer.start();
      stopAll.push(() => nats.destroy());
      const ports = await Promise.all(Array.from({ length: nodes }, () => freePort()));
      const cluster = new FaultCluster(postgres, redis, nats, ports, env);
      stopAll.push(() => cluster.stopNodes());
      // Migrated first, so the nodes find nothing to do and can start side by side.
      await migrate(cluster.databaseUrl);
      await Promise.all(ports.map((_, index) => cluster.startNode(index)));
      return cluster;
    } catch (error) {
      for (const stop of stopAll.reverse()) await stop().catch(() => undefined);
      throw error;
    }
  }

  get databaseUrl(): string {
    return this.postgres.url(DATABASE);
  }

  get urls(): string[] {
    return this.ports.map((port) => `http://127.0.0.1:${port}`);
  }

  private env(index: number): Record<string, string> {
    return {
      HTTP_PORT: String(this.ports[index]),
      HTTP_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      CONFIG_FILE: "",
      SHUTDOWN_DRAIN_DELAY: "0",
      ...LOAD_RATE_LIMITS,
      ...this.extraEnv,
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redis.url,
      NATS_URL: this.nats.url,
      JWT_SECRET: this.jwtSecret,
    };
  }

  async startNode(index: number): Promise<void> {
    this.nodes[index] = await spawnServerChild("service-node.ts", this.env(index), [], 120_000);
  }

  /** Signals a node (SIGKILL: a crash; SIGTERM: the graceful drain) and waits for its exit. */
  async stopNode(index: number, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
    const node = this.nodes[index];
    this.nodes[index] = null;
    await node?.kill(signal);
  }

  /** Redis down for `downMs`, then back on its port, empty (it keeps nothing on disk). */
  async restartRedis(downMs: number): Promise<void> {
    await this.redis.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.redis = await startPrivateRedis(this.redis.port);
  }

  /** NATS down for `downMs` (a clean stop), then back with its JetStream store. */
  async restartNats(downMs: number): Promise<void> {
    await this.nats.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.nats.start();
  }

  /** PostgreSQL shut down fast (sessions cut, transactions rolled back), then started. */
  async restartPostgres(downMs: number): Promise<void> {
    await this.postgres.stop("fast");
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.postgres.start();
  }

  /** What the load tool's monitor and setup see: the nodes' URLs, minted tokens, memory. */
  target(): Target {
    return {
      name: `service x${this.ports.length}`,
      kind: "service",
      urls: this.urls,
      jwtSecret: this.jwtSecret,
      node: null,
      memory: () => this.memory(),
      describe: `${this.ports.length} spawned nodes on a private PostgreSQL + Redis + NATS JetStream`,
      stop: () => this.stop(),
    };
  }

  private async memory(): Promise<MemorySample | null> {
    const live = this.nodes.filter((node): node is ServerChild => node !== null);
    const samples = await Promise.all(
      live.map((node) => node.call<MemorySample>("memory").catch(() => null)),
    );
    const known = samples.filter((sample): sample is MemorySample => sample !== null);
    if (known.length === 0) return null;
    return known.reduce((a, b) => ({ rss: a.rss + b.rss, heapUsed: a.heapUsed + b.heapUsed }));
  }

  /** Stops every node still running. */
  async stopNodes(): Promise<void> {
    await Promise.all(this.nodes.flatMap((node) => (node ? [node.stop()] : [])));
  }

  async stop(): Promise<void> {
    await this.stopNodes();
    await this.nats.destroy().catch(() => undefined);
    await this.redis.stop().catch(() => undefined);
    await this.postgres.destroy().catch(() => undefined);
  }
}

async function migrate(url: string): Promise<void> {
  const knex = knexFactory({ client: "pg", connection: url });
  try {
    await knex.migrate.latest({ directory: migrationsDirectory(), loadExtensions: [".js"] });
  } finally {
    await knex.destroy();
  }
}

/** One statement on the cluster, outside any pool. */
export async function adminQuery<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  // The scenario restarts PostgreSQL: a connection it cuts fails the query, nothing more.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}
