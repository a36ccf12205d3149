import pg from "pg";
import { PrivateNatsServer } from "../support/nats-server";
import { PrivatePostgres } from "../support/private-postgres";
import { startPrivateRedis } from "../support/private-redis";

/** A PostgreSQL cluster, Redis and NATS started for one run, and how to reach and stop them. */
export interface OwnServices {
  env: { DATABASE_URL: string; REDIS_URL: string; NATS_URL: string };
  /** The cluster's `cluster_name`, which the CPU meter finds its processes by. */
  postgresCluster: string;
  stop(): Promise<void>;
}

/**
 * Starts servers of the run's own (`--own-services`): a cluster from initdb with a
 * `messaging` database, a redis-server and a nats-server with JetStream, on free ports. Their
 * processes serve this run and nothing else, so their CPU is the run's exactly; on the
 * machine's shared servers the WAL writer and checkpointer also work for everyone else.
 */
export async function startOwnServices(): Promise<OwnServices> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const postgres = await PrivatePostgres.create();
    stops.push(() => postgres.destroy());
    const admin = new pg.Client({ connectionString: postgres.url() });
    await admin.connect();
    await admin.query("CREATE DATABASE messaging").finally(() => admin.end());
    const redis = await startPrivateRedis();
    stops.push(() => redis.stop());
    const nats = await PrivateNatsServer.start();
    stops.push(() => nats.destroy());
    return {
      env: { DATABASE_URL: postgres.url("messaging"), REDIS_URL: redis.url, NATS_URL: nats.url },
      postgresCluster: postgres.clusterName,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
