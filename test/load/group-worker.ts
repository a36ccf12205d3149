import { parentPort, workerData } from "node:worker_threads";
import { ClientGroup } from "./client-group";
import type { GroupPlan } from "./types";

/** Worker-thread entry: hosts one ClientGroup and answers the driver's calls. */
const group = new ClientGroup(workerData as GroupPlan);

type Method = "connect" | "runPhase" | "snapshot" | "totals" | "phases" | "final" | "close";

parentPort!.on(
  "message",
  async ({ id, method, args }: { id: number; method: Method; args: unknown[] }) => {
    try {
      const fn = group[method] as (...a: unknown[]) => unknown;
      const result = await fn.apply(group, args);
      parentPort!.postMessage({ id, result });
    } catch (error) {
      parentPort!.postMessage({ id, error: (error as Error).stack ?? String(error) });
    }
  },
);
