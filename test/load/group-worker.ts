import { ClientGroup } from "./client-group";
import type { GroupPlan } from "./types";

/** Worker-process entry: hosts one ClientGroup and answers the driver's calls over IPC. */
type Method =
  "init" | "connect" | "runPhase" | "snapshot" | "totals" | "phases" | "final" | "close";

let group: ClientGroup | undefined;

process.on(
  "message",
  async ({ id, method, args }: { id: number; method: Method; args: unknown[] }) => {
    try {
      let result: unknown;
      if (method === "init") group = new ClientGroup(args[0] as GroupPlan);
      else {
        const fn = group![method] as (...a: unknown[]) => unknown;
        result = await fn.apply(group, args);
      }
      process.send!({ id, result });
    } catch (error) {
      process.send!({ id, error: (error as Error).stack ?? String(error) });
    }
  },
);
// The driver going away ends the worker too.
process.on("disconnect", () => process.exit(0));
