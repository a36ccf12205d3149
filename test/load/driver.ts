import { fork } from "node:child_process";
import path from "node:path";
import { ClientGroup } from "./client-group";
import { FaultClientGroup } from "./faults/fault-client-group";
import type {
  ConnectResult,
  GroupFinal,
  GroupPlan,
  IntervalSnapshot,
  PhaseStats,
  Totals,
} from "./types";

type Method = "connect" | "runPhase" | "snapshot" | "totals" | "phases" | "final" | "close";

/** A ClientGroup reached either directly (in this thread) or in a worker process. */
interface GroupHandle {
  call<T>(method: Method, ...args: unknown[]): Promise<T>;
  terminate(): Promise<void>;
  /** The worker process, or null when the group runs in this thread. */
  pid: number | null;
}

/** The group a plan asks for: the faults scenario's reconnecting clients, or plain ones. */
export function createGroup(plan: GroupPlan): ClientGroup | FaultClientGroup {
  return plan.faults ? new FaultClientGroup(plan) : new ClientGroup(plan);
}

function inThread(plan: GroupPlan): GroupHandle {
  const group = createGroup(plan) as unknown as Record<string, (...a: unknown[]) => unknown>;
  return {
    call: async <T>(method: Method, ...args: unknown[]) => (await group[method](...args)) as T,
    terminate: async () => undefined,
    pid: null,
  };
}

/**
 * A group in its own Node process: its own core share, heap and file-descriptor limit, so
 * tens of thousands of client sockets fit however low `ulimit -n` is per process.
 */
function inWorker(plan: GroupPlan): GroupHandle {
  const child = fork(path.join(__dirname, "group-worker.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  child.on("message", ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
    const entry = waiting.get(id);
    waiting.delete(id);
    if (error) entry?.reject(new Error(error));
    else entry?.resolve(result);
  });
  child.once("exit", (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`load worker exited (${code})`));
    waiting.clear();
  });
  const call = <T>(method: Method | "init", ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, method, args });
    });
  void call("init", plan);
  return {
    call,
    pid: child.pid ?? null,
    terminate: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
    },
  };
}

/**
 * Drives every client group together: one per worker process, or one in this thread when
 * `workers` is 0 (what the smoke test uses). Rates are split evenly across groups.
 */
export class Driver {
  private constructor(private readonly groups: GroupHandle[]) {}

  static create(plans: GroupPlan[], workers: boolean): Driver {
    return new Driver(plans.map((plan) => (workers ? inWorker(plan) : inThread(plan))));
  }

  private all<T>(method: Method, ...args: unknown[]): Promise<T[]> {
    return Promise.all(this.groups.map((group) => group.call<T>(method, ...args)));
  }

  /** Calls a method of the faults scenario's groups (FaultClientGroup) on every group. */
  each<T>(method: keyof FaultClientGroup, ...args: unknown[]): Promise<T[]> {
    return this.all<T>(method as Method, ...args);
  }

  connect(ratePerSecond: number, timeoutMs: number): Promise<ConnectResult[]> {
    return this.all("connect", ratePerSecond / this.groups.length, timeoutMs);
  }

  /** Every group starts at the same intended instant, a little ahead so none starts late. */
  async runPhase(phase: number, rate: number, durationMs: number): Promise<void> {
    const startAt = Date.now() + 100;
    await this.all("runPhase", phase, rate / this.groups.length, startAt, durationMs);
  }

  /** The generator's worker processes (none when the groups run in this thread). */
  async pids(): Promise<number[]> {
    return this.groups.map((group) => group.pid).filter((pid): pid is number => pid !== null);
  }

  snapshot(): Promise<IntervalSnapshot[]> {
    return this.all("snapshot");
  }

  /** Every group's running totals, leaving the interval counters to the monitor's samples. */
  async totals(): Promise<Totals> {
    const all = await this.all<Totals>("totals");
    const sum = (key: keyof Totals) => all.reduce((n, t) => n + t[key], 0);
    return {
      open: sum("open"),
      dropped: sum("dropped"),
      totalExpected: sum("totalExpected"),
      totalDelivered: sum("totalDelivered"),
      pending: sum("pending"),
    };
  }

  phases(): Promise<PhaseStats[][]> {
    return this.all("phases");
  }

  final(): Promise<GroupFinal[]> {
    return this.all("final");
  }

  async close(): Promise<void> {
    await this.all("close").catch(() => undefined);
    await Promise.all(this.groups.map((group) => group.terminate()));
  }
}
