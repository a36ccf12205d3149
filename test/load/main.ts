import os from "node:os";
import { HELP, LoadOptions, parseOptions } from "./options";
import { writeReport, LoadReport } from "./report/write-report";
import { runConnections, connectionsSeconds } from "./scenarios/connections";
import { faultsSeconds, runFaults } from "./scenarios/faults";
import { runMixed, mixedSeconds } from "./scenarios/mixed";
import { runSearch, searchSeconds } from "./scenarios/search";
import { runThroughput, throughputSeconds } from "./scenarios/throughput";
import { spawnService, Target, urlTarget } from "./target";
import type { TargetResult } from "./results";

/**
 * How much slower than a quiet machine this one is now: the budget grows with the load
 * average per core (up to 3×), since the cores are shared with everything else.
 */
export function loadFactor(): number {
  return Math.min(3, Math.max(1, os.loadavg()[0] / os.cpus().length));
}

/**
 * Setup budget: node start (embedded PGlite takes tens of seconds to initialise on a busy
 * machine), users and conversations over REST, then the connection ramp.
 */
export function setupSeconds(options: LoadOptions): number {
  const start = options.spawn ? (options.env.DATABASE_URL ? 60 : 120) * options.nodes : 0;
  return (
    start + 20 + options.connections / 50 + options.connections / Math.max(1, options.rampPerSec)
  );
}

function scenarioSeconds(options: LoadOptions): number {
  switch (options.scenario) {
    case "connections":
      return connectionsSeconds(options);
    case "search":
      return searchSeconds(options);
    case "mixed":
      return mixedSeconds(options);
    case "faults":
      return faultsSeconds(options);
    default:
      return throughputSeconds(options);
  }
}

export function runScenario(target: Target, options: LoadOptions): Promise<TargetResult> {
  switch (options.scenario) {
    case "connections":
      return runConnections(target, options);
    case "search":
      return runSearch(target, options);
    case "mixed":
      return runMixed(target, options);
    default:
      return runThroughput(target, options);
  }
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 1073741824),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    /** The cores are shared with whatever else runs: the 1-minute load average at the end. */
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

/**
 * Fails the run loudly if it overruns the duration announced at the start, so a
 * promised duration is a promise.
 */
export function watchdog(seconds: number): NodeJS.Timeout {
  if (process.env.LOAD_NO_WATCHDOG === "1") return setTimeout(() => undefined, 0);
  const timer = setTimeout(() => {
    console.error(`\nload: exceeded the announced ${seconds} s, aborting`);
    process.exit(3);
  }, seconds * 1000);
  timer.unref();
  return timer;
}

async function main(): Promise<void> {
  let options: LoadOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  const budget = Math.ceil((setupSeconds(options) + scenarioSeconds(options)) * loadFactor());
  console.error(`load: scenario ${options.scenario}, expected to finish within ${budget} s`);
  const timer = watchdog(budget);
  const started = new Date();
  // The faults scenario brings its own PostgreSQL, Redis, NATS and nodes.
  const target =
    options.scenario === "faults"
      ? null
      : options.spawn
        ? await spawnService({
            nodes: options.nodes,
            workers: options.workers,
            env: {
              ...options.env,
              ...(options.jwtSecret ? { JWT_SECRET: options.jwtSecret } : {}),
            },
            cpuProfDir: options.cpuProf ? `${options.outDir}/profiles` : undefined,
            fresh: options.freshDb,
            ownServices: options.ownServices,
          })
        : urlTarget(options.urls, options.jwtSecret);
  let result: TargetResult;
  try {
    result = target ? await runScenario(target, options) : await runFaults(options);
  } finally {
    await target?.stop();
  }
  const report: LoadReport = {
    tool: "npm run load",
    command: `npm run load -- ${process.argv.slice(2).join(" ")}`.trim(),
    scenario: options.scenario,
    startedAt: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    machine: machine(),
    options,
    targets: [result],
    ratios: null,
    notes: [],
  };
  const files = writeReport(
    report,
    options.outDir,
    options.name ??
      `${options.scenario}-${started.toISOString().slice(0, 16).replace(/[:T]/g, "")}`,
  );
  console.error(`load: done in ${report.durationS} s; report: ${files.join(", ")}`);
  clearTimeout(timer);
  process.exit(0);
}

if (require.main === module) {
  main().catch((error) => {
    console.error("load failed:", error);
    process.exit(1);
  });
}
