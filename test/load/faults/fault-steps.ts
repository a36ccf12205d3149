import type { FaultCluster } from "./fault-cluster";

/** One fault the scenario injects, and how the cluster gets back from it. */
export interface FaultStep {
  name: string;
  /** A node fault: the node whose clients move, and whose probes are watched for presence. */
  node?: number;
  /** The contract's bound for announcing a dead node's users offline, seconds. */
  presenceBoundS?: number;
  /** Puts the fault in place (for a server restart: down, a pause, and up again). */
  inject(cluster: FaultCluster): Promise<void>;
  /** Brings back what `inject` left down (a node is started again). */
  restore(cluster: FaultCluster): Promise<void>;
}

/**
 * The five faults, in order: a node killed, Redis, NATS and PostgreSQL restarted, a node
 * drained. `outageMs` is how long each server stays down; `ttlS` the presence ttl the
 * nodes run with (a dead node's users are offline within it; the contract says 60 s).
 */
export function faultSteps(outageMs: number, ttlS: number): FaultStep[] {
  const nothing = async () => undefined;
  return [
    {
      name: "SIGKILL node 1 (started again)",
      node: 0,
      presenceBoundS: Math.min(60, ttlS),
      inject: (cluster) => cluster.stopNode(0, "SIGKILL"),
      restore: (cluster) => cluster.startNode(0),
    },
    {
      name: `Redis restarted (down ${outageMs / 1000} s, back empty)`,
      inject: (cluster) => cluster.restartRedis(outageMs),
      restore: nothing,
    },
    {
      name: `NATS restarted (down ${outageMs / 1000} s, JetStream store kept)`,
      inject: (cluster) => cluster.restartNats(outageMs),
      restore: nothing,
    },
    {
      name: `PostgreSQL restarted (fast shutdown, down ${outageMs / 1000} s)`,
      inject: (cluster) => cluster.restartPostgres(outageMs),
      restore: nothing,
    },
    {
      name: "SIGTERM node 2 (graceful drain, started again)",
      node: 1,
      // The contract: offline within 10 s of the last connection closing.
      presenceBoundS: 10,
      inject: (cluster) => cluster.stopNode(1, "SIGTERM"),
      restore: (cluster) => cluster.startNode(1),
    },
  ];
}
