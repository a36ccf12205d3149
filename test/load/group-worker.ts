import { createGroup } from "./driver";
import type { GroupPlan } from "./types";

/** Worker-process entry: hosts one group (createGroup) and answers the driver's calls over IPC. */

let group: Record<string, (...a: unknown[]) => unknown> | undefined;

async function answer({ id, method, args }: { id: number; method: string; args: unknown[] }) {
  try {
    let result: unknown;
    if (method === "init") group = createGroup(args[0] as GroupPlan) as unknown as typeof group;
    else result = await group![method].apply(group, args);
    process.send!({ id, result });
  } catch (error) {
    process.send!({ id, error: (error as Error).stack ?? String(error) });
  }
}

// answer settles every call with a result or its error; a send failing then (the driver
// gone) ends the worker, as the disconnect below would.
process.on("message", (message: Parameters<typeof answer>[0]) => {
  answer(message).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
// The driver going away ends the worker too.
process.on("disconnect", () => process.exit(0));
