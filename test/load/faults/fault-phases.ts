import type { Driver } from "../driver";
import type { Monitor } from "../monitor";
import type { LoadOptions } from "../options";
import { sleep } from "../random";
import { adminQuery, FaultCluster } from "./fault-cluster";
import { unpublishedCondition } from "./outbox-state";
import type { FaultStep } from "./fault-steps";
import type { FaultWindow } from "./fault-summary";
import { checkProbes, holdProbes } from "./presence-probe";

export interface FaultRun {
  driver: Driver;
  monitor: Monitor;
  cluster: FaultCluster;
  options: LoadOptions;
  steps: FaultStep[];
  /** user id → client index (probes are named by user). */
  indexOf: Map<string, number>;
  /** A token for the REST presence reads. */
  observer: string;
  log(text: string): void;
}

/** Sends to every group, the rate split evenly over them. */
async function startSending(run: FaultRun): Promise<void> {
  const groups = Math.max(1, run.options.generatorWorkers);
  await run.driver.each("startSending", run.options.rate / groups);
}

/**
 * Runs a node fault: holds the node's probes, injects, starts the node again while
 * presence is watched (probes offline within the bound, online after their release).
 */
async function nodeFault(
  run: FaultRun,
  step: FaultStep,
  window: FaultWindow,
  onRestored: () => void,
): Promise<void> {
  const url = run.cluster.urls[step.node!];
  const probes = await holdProbes(run.driver, url, run.options.probeEvery, run.indexOf);
  window.probeClients = probes.clientIndices;
  window.injectedAt = Date.now();
  await step.inject(run.cluster);
  const restored = step.restore(run.cluster).then(() => {
    window.restoredAt = Date.now();
    onRestored();
  });
  window.presence = await checkProbes({
    driver: run.driver,
    probes,
    injectedAt: window.injectedAt,
    boundS: step.presenceBoundS!,
    url: run.cluster.urls[1 - step.node!],
    token: run.observer,
  });
  await restored;
}

/** How long the relay's catch-up is watched after a fault (past a 30 s relay lease). */
const RELAY_WATCH_MS = 90_000;

/**
 * Seconds from `since` until the relay has published every event that occurred before it
 * (JetStream caught up); null if that takes longer than `timeoutMs`.
 */
async function relayCatchUp(run: FaultRun, since: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const unpublished = await unpublishedCondition(run.cluster.databaseUrl);
  while (Date.now() < deadline) {
    const [{ n }] = await adminQuery<{ n: number }>(
      run.cluster.databaseUrl,
      `SELECT count(*)::int AS n FROM outbox
        WHERE ${unpublished} AND occurred_at <= to_timestamp($1 / 1000.0)`,
      [since],
    ).catch(() => [{ n: -1 }]);
    if (n === 0) return Math.round((Date.now() - since) / 10) / 100;
    await sleep(100);
  }
  return null;
}

/**
 * Phase 0 is a steady baseline; phase k (1…) starts when fault k is injected and lasts
 * until the next one, `--recover` seconds after the fault's part is back; the last phase
 * is the recovery after the last fault. Sending never stops in between.
 */
export async function faultPhases(run: FaultRun): Promise<FaultWindow[]> {
  const { driver, monitor, options, log } = run;
  const windows: FaultWindow[] = [];
  const catchUps: Promise<void>[] = [];
  await driver.each("setPhase", 0);
  await startSending(run);
  monitor.label = "baseline";
  await sleep(Math.max(1, options.recoverS / 2) * 1000);
  for (const [index, step] of run.steps.entries()) {
    const phase = index + 1;
    await driver.each("setPhase", phase);
    monitor.label = `fault ${phase}`;
    const window: FaultWindow = {
      phase,
      name: step.name,
      injectedAt: Date.now(),
      restoredAt: 0,
      endAt: 0,
    };
    windows.push(window);
    log(`fault ${phase}: ${step.name}`);
    // Watched from the moment the part is back, beside everything else (it may take a lease).
    const watchRelay = () =>
      catchUps.push(
        relayCatchUp(run, window.restoredAt, RELAY_WATCH_MS).then((seconds) => {
          window.relayCaughtUpS = seconds;
        }),
      );
    if (step.node !== undefined) await nodeFault(run, step, window, watchRelay);
    else {
      await step.inject(run.cluster);
      await step.restore(run.cluster);
      window.restoredAt = Date.now();
      watchRelay();
    }
    log(
      `fault ${phase}: back after ${((window.restoredAt - window.injectedAt) / 1000).toFixed(1)} s`,
    );
    await sleep(options.recoverS * 1000);
    window.endAt = Date.now();
  }
  await driver.each("stopSending");
  await Promise.all(catchUps);
  return windows;
}
