import { execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * CPU time of the processes a run measures, read from `/proc/<pid>/stat` (utime + stime),
 * so a phase's cost is what each process actually spent, whatever else shares the cores.
 * Far steadier than latency on a shared machine.
 */

/** Which processes make up each role of a run (found afresh at every reading). */
export interface CpuRoles {
  /** The measured server: service node(s) or the bare baseline (with their child processes). */
  server: number[];
  /** The load generator: the driver and its worker processes. */
  generator: number[];
  /**
   * PostgreSQL: backends of this database plus the server's own auxiliary processes (a
   * shared server's serve every database on it), or every process of a cluster of the
   * run's own, found by its `cluster_name`.
   */
  postgres?: { database: string } | { cluster: string };
  /** Servers found by executable and listening port (their command line names it). */
  redis?: { port: number };
  nats?: { port: number };
}

export type CpuRole = "server" | "generator" | "postgres" | "redis" | "nats";

/** CPU milliseconds per role at one instant, per process so exits and starts can be told. */
export type CpuReading = Partial<Record<CpuRole, Map<number, number>>>;

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of one process in ms, or null when it is gone (or /proc is not there). */
export function processCpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name may hold spaces and parentheses: fields start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 and 15 of stat(5) are utime and stime; index 0 here is field 3 (state).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / clockTicks();
}

function commandLine(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return null;
  }
}

function allPids(): number[] {
  try {
    return fs
      .readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/** PostgreSQL's shared auxiliary processes, which mostly write what the measured run changed. */
const POSTGRES_AUXILIARY = /^(walwriter|checkpointer|background writer|autovacuum launcher)/;

/**
 * PostgreSQL's processes that work for `database`: its backends ("postgres: [cluster: ]
 * user db addr state") and autovacuum workers, the auxiliary processes and the postmaster.
 * Backends of other databases (another test run on the same server) are left out.
 */
function postgresPids(database: string, pids: number[], lines: Map<number, string>): number[] {
  return pids.filter((pid) => {
    const line = lines.get(pid);
    if (!line) return false;
    if (/(^|\/)postgres -D /.test(line)) return true;
    const match = /^postgres: (?:\S+: )?(.*)$/.exec(line);
    if (!match) return false;
    const rest = match[1].trim();
    if (rest.startsWith("autovacuum worker")) return rest.endsWith(` ${database}`);
    if (POSTGRES_AUXILIARY.test(rest)) return true;
    const backend = /^\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(rest);
    return backend !== null && backend[1] === database;
  });
}

/** Every process of a cluster started with `cluster_name`: its postmaster and children. */
function clusterPids(cluster: string, pids: number[], lines: Map<number, string>): number[] {
  return pids.filter((pid) => {
    const line = lines.get(pid);
    return (
      line !== undefined &&
      (line.startsWith(`postgres: ${cluster}: `) ||
        (/(^|\/)postgres -D /.test(line) && line.includes(`cluster_name=${cluster}`)))
    );
  });
}

function serverPids(
  executable: string,
  port: number,
  pids: number[],
  lines: Map<number, string>,
): number[] {
  return pids.filter((pid) => {
    const line = lines.get(pid);
    if (!line || !line.includes(executable)) return false;
    return new RegExp(`[:\\s]${port}(\\s|$)`).test(line);
  });
}

function parentPid(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** `roots` and every process below them (a primary's workers, found afresh each reading). */
export function withDescendants(roots: number[]): number[] {
  const parents = new Map(allPids().map((pid) => [pid, parentPid(pid)]));
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (parent !== null && found.has(parent) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** Reads every role's processes now. */
export function readCpu(roles: CpuRoles): CpuReading {
  const reading: CpuReading = {};
  const byPid = (pids: number[]) => {
    const map = new Map<number, number>();
    for (const pid of pids) {
      const ms = processCpuMs(pid);
      if (ms !== null) map.set(pid, ms);
    }
    return map;
  };
  reading.server = byPid(withDescendants(roles.server));
  reading.generator = byPid(roles.generator);
  if (roles.postgres || roles.redis || roles.nats) {
    const pids = allPids();
    const lines = new Map<number, string>();
    for (const pid of pids) {
      const line = commandLine(pid);
      if (line) lines.set(pid, line);
    }
    const postgres = roles.postgres;
    if (postgres) {
      reading.postgres = byPid(
        "cluster" in postgres
          ? clusterPids(postgres.cluster, pids, lines)
          : postgresPids(postgres.database, pids, lines),
      );
    }
    if (roles.redis)
      reading.redis = byPid(serverPids("redis-server", roles.redis.port, pids, lines));
    if (roles.nats) reading.nats = byPid(serverPids("nats-server", roles.nats.port, pids, lines));
  }
  return reading;
}

/**
 * CPU ms each role spent between two readings. A process that started in between counts
 * from zero; one that exited in between is missed (pools keep their connections open).
 */
export function cpuBetween(
  before: CpuReading,
  after: CpuReading,
): Partial<Record<CpuRole, number>> {
  const spent: Partial<Record<CpuRole, number>> = {};
  for (const role of Object.keys(after) as CpuRole[]) {
    const then = before[role] ?? new Map<number, number>();
    let total = 0;
    for (const [pid, ms] of after[role]!) total += ms - (then.get(pid) ?? 0);
    spent[role] = Math.round(total);
  }
  return spent;
}

/** A phase's CPU: ms per role, and per persisted message and per delivery. */
export interface PhaseCpu {
  seconds: number;
  ms: Partial<Record<CpuRole, number>>;
  /** ms of CPU per persisted (acknowledged) message, per role. */
  perMessageMs: Partial<Record<CpuRole, number>>;
  /** ms of CPU per delivery, per role. */
  perDeliveryMs: Partial<Record<CpuRole, number>>;
}

export function phaseCpu(
  spent: Partial<Record<CpuRole, number>>,
  seconds: number,
  persisted: number,
  delivered: number,
): PhaseCpu {
  const per = (count: number) =>
    Object.fromEntries(
      Object.entries(spent).map(([role, ms]) => [
        role,
        count > 0 ? Math.round((ms / count) * 1000) / 1000 : 0,
      ]),
    ) as Partial<Record<CpuRole, number>>;
  return { seconds, ms: spent, perMessageMs: per(persisted), perDeliveryMs: per(delivered) };
}

/** CPU ms per role spent over each measured phase (from its start to its drain), by phase. */
export type PhaseCpuSpent = Map<number, { ms: Partial<Record<CpuRole, number>>; seconds: number }>;
