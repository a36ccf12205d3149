import path from "node:path";
import { Worker } from "node:worker_threads";
import { ClientGroup } from "./client-group";
import type {
  ConnectResult,
  GroupFinal,
  GroupPlan,
  IntervalSnapshot,
  PhaseStats,
  Totals,
} from "./types";

type Method = "connect" | "runPhase" | "snapshot" | "totals" | "phases" | "final" | "close";

/** A ClientGroup reached either directly (in this thread) or through a worker thread. */
interface GroupHandle {
  call<T>(method: Method, ...args: unknown[]): Promise<T>;
  terminate(): Promise<void>;
}

function inThread(plan: GroupPlan): GroupHandle {
  const group = new ClientGroup(plan);
  return {
    call: async <T>(method: Method, ...args: unknown[]) =>
      (await (group[method] as (...a: unknown[]) => unknown).apply(group, args)) as T,
    terminate: async () => undefined,
  };
}

function inWorker(plan: GroupPlan): GroupHandle {
  // Workers do not inherit tsx's loader: register it, then load the TypeScript entry.
  const entry = path.join(__dirname, "group-worker.ts");
  const loader = require.resolve("tsx/cjs");
  const worker = new Worker(
    `require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`,
    {
      eval: true,
      workerData: plan,
    },
  );
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  worker.on("message", ({ id, result, error }) => {
    const entry = waiting.get(id);
    waiting.delete(id);
    if (error) entry?.reject(new Error(error));
    else entry?.resolve(result);
  });
  worker.on("error", (error) => {
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  });
  return {
    call: <T>(method: Method, ...args: unknown[]) =>
      new Promise<T>((resolve, reject) => {
        const id = ++nextId;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, method, args });
      }),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Drives every client group together: one per worker thread, or one in this thread when
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

  connect(ratePerSecond: number, timeoutMs: number): Promise<ConnectResult[]> {
    return this.all("connect", ratePerSecond / this.groups.length, timeoutMs);
  }

  /** Every group starts at the same intended instant, a little ahead so none starts late. */
  async runPhase(phase: number, rate: number, durationMs: number): Promise<void> {
    const startAt = Date.now() + 100;
    await this.all("runPhase", phase, rate / this.groups.length, startAt, durationMs);
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
