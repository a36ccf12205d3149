/**
 * Mocha runs without `exit: true`, so anything a test or the service leaves open keeps the
 * run from ending. If the process is still alive a while after the last teardown, this says
 * what holds it; with WHY_RUNNING=1 also where each handle was opened (why-is-node-running,
 * which must hook in before the handles exist, so it loads with this module).
 */
const why: Promise<((logger?: Pick<Console, "error">) => void) | undefined> =
  process.env.WHY_RUNNING === "1"
    ? import("why-is-node-running").then((module) => module.default)
    : Promise.resolve(undefined);
why.catch(() => undefined);

/**
 * Reports what is still open `ms` after the teardown; `failAfterMs` later the run fails
 * rather than hangs (a leak is a bug to fix, and CI should say so, not time out).
 */
export function reportOpenHandlesAfter(ms: number, failAfterMs = 60_000): void {
  setTimeout(() => {
    console.error("Still running after the tests:", process.getActiveResourcesInfo().join(", "));
    void why.then((print) => print?.(console));
    setTimeout(() => {
      console.error("The test run did not end by itself: failing it (see the handles above).");
      process.exit(1);
    }, failAfterMs).unref();
  }, ms).unref();
}
