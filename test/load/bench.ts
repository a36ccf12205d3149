import { HELP, LoadOptions, parseOptions } from "./options";
import { loadFactor, machine, runScenario, setupSeconds, watchdog } from "./main";
import { LoadReport, Ratios, writeReport } from "./report/write-report";
import type { TargetResult } from "./results";
import { throughputSeconds } from "./scenarios/throughput";
import { spawnBare, spawnService, Target } from "./target";
import { messageContents } from "./setup";

/**
 * `npm run bench`: the same workload against a bare ws broadcast server, a bare Socket.IO
 * broadcast server and the service, plus a bare batched INSERT into the service's
 * `messages` table, in one run on one machine; the report gives the ratios.
 * `--targets ws,io,service,insert` picks a subset.
 */
const BENCH_HELP = `npm run bench -- [--targets ws,io,service,insert] [load options]
Defaults: --connections 2000 --rate 1000 --duration 15 (each target), insert for 5 s.

${HELP}`;

type BenchTarget = "ws" | "io" | "service" | "insert";

function splitArgs(argv: string[]): { targets: BenchTarget[]; rest: string[] } {
  const index = argv.indexOf("--targets");
  if (index === -1) return { targets: ["ws", "io", "service", "insert"], rest: argv };
  const targets = argv[index + 1].split(",") as BenchTarget[];
  return { targets, rest: [...argv.slice(0, index), ...argv.slice(index + 2)] };
}

function withBenchDefaults(rest: string[]): string[] {
  const defaults: [string, string][] = [["--duration", "15"]];
  return [...defaults.filter(([flag]) => !rest.includes(flag)).flat(), ...rest];
}

function best(result: TargetResult | undefined): number | null {
  if (!result || result.phases.length === 0) return null;
  return Math.max(...result.phases.map((p) => p.persistedPerSec));
}

function lastP99(result: TargetResult | undefined): number | null {
  return result?.phases.at(-1)?.receive.p99 ?? null;
}

/** Service node CPU per message over the bare server's, at the highest rate both measured. */
function cpuRatio(
  service: TargetResult | undefined,
  bare: TargetResult | undefined,
): number | null {
  if (!service || !bare) return null;
  const bareAt = new Map(bare.phases.map((p) => [p.targetRate, p.cpu?.perMessageMs.server]));
  const common = service.phases
    .filter((p) => p.cpu?.perMessageMs.server && bareAt.get(p.targetRate))
    .at(-1);
  if (!common) return null;
  return common.cpu!.perMessageMs.server! / bareAt.get(common.targetRate)!;
}

function ratios(
  results: Map<BenchTarget, TargetResult>,
  insertRate: number | null,
  options: LoadOptions,
): Ratios {
  const service = results.get("service");
  const maxRate = (r: TargetResult | undefined) =>
    (r?.extra?.maxRateWithinBound as number | null) ?? null;
  const divide = (a: number | null, b: number | null) => (a !== null && b ? a / b : null);
  return {
    cpuPerMessageVsBareIo: cpuRatio(service, results.get("io")),
    cpuPerMessageVsBareWs: cpuRatio(service, results.get("ws")),
    maxRateVsBareIo: options.step ? divide(maxRate(service), maxRate(results.get("io"))) : null,
    maxRateVsBareWs: options.step ? divide(maxRate(service), maxRate(results.get("ws"))) : null,
    p99VsBareIo: options.step ? null : divide(lastP99(service), lastP99(results.get("io"))),
    p99VsBareWs: options.step ? null : divide(lastP99(service), lastP99(results.get("ws"))),
    persistedVsBareInsert: divide(best(service), insertRate),
  };
}

async function runOne(
  kind: BenchTarget,
  options: LoadOptions,
): Promise<{ result: TargetResult; insert: LoadReport["bareInsert"] }> {
  const target: Target =
    kind === "service"
      ? await spawnService({
          nodes: options.nodes,
          workers: options.workers,
          env: options.env,
          cpuProfDir: options.cpuProf ? `${options.outDir}/profiles` : undefined,
          fresh: options.freshDb,
          ownServices: options.ownServices,
        })
      : await spawnBare(kind === "io" ? "bare-io" : "bare-ws");
  try {
    const result = await runScenario(target, options);
    let insert: LoadReport["bareInsert"] = null;
    if (kind === "service" && target.node) {
      process.stderr.write(`[bench] bare batched INSERT into messages for 5 s\n`);
      const kindOfDatabase = await target.node.call<string>("databaseKind");
      // A failed baseline must not cost the measurements already taken.
      insert = await target.node
        .call<LoadReport["bareInsert"]>("bareInsert", {
          durationMs: 5000,
          batchSize: 100,
          concurrency: kindOfDatabase === "postgres" ? 4 : 1,
          contents: messageContents(500, 7),
        })
        .catch((error: Error) => {
          process.stderr.write(`[bench] bare insert failed: ${error.message.slice(-200)}\n`);
          return null;
        });
    }
    return { result, insert };
  } finally {
    await target.stop();
  }
}

async function main(): Promise<void> {
  const { targets, rest } = splitArgs(process.argv.slice(2));
  if (rest.includes("--help")) {
    console.log(BENCH_HELP);
    process.exit(0);
  }
  const options = parseOptions(withBenchDefaults(rest));
  if (options.scenario !== "throughput") throw new Error("bench runs the throughput scenario");
  const runs = targets.filter((t) => t !== "insert");
  const perTarget = setupSeconds(options) + throughputSeconds(options);
  const budget = Math.ceil(
    (runs.length * perTarget + (targets.includes("insert") ? 15 : 0)) * loadFactor(),
  );
  console.error(
    `bench: ${runs.join(", ")}${targets.includes("insert") ? " + bare insert" : ""}; expected to finish within ${budget} s`,
  );
  const timer = watchdog(budget);
  const started = new Date();
  const results = new Map<BenchTarget, TargetResult>();
  let bareInsert: LoadReport["bareInsert"] = null;
  const failures: string[] = [];
  for (const kind of runs) {
    try {
      const { result, insert } = await runOne(kind, options);
      results.set(kind, result);
      if (insert && targets.includes("insert")) bareInsert = insert;
    } catch (error) {
      failures.push(`${kind}: ${(error as Error).message.slice(0, 300)}`);
      process.stderr.write(`[bench] ${kind} failed: ${(error as Error).message.slice(0, 300)}\n`);
    }
  }
  const report: LoadReport = {
    tool: "npm run bench",
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    scenario: options.step ? "bench (step-up)" : "bench (fixed rate)",
    startedAt: started.toISOString(),
    durationS: Math.round((Date.now() - started.getTime()) / 1000),
    machine: machine(),
    options,
    targets: [...results.values()],
    ratios: ratios(results, bareInsert?.rowsPerSec ?? null, options),
    bareInsert,
    notes: [
      "Every target ran in its own child process; the generator ran in its own worker process(es), all on the same cores.",
      "Spawned service nodes run with rate limits raised (a load run is thousands of users on a few loopback addresses).",
      ...failures.map((failure) => `FAILED ${failure}`),
    ],
  };
  const name = options.name ?? `bench-${started.toISOString().slice(0, 16).replace(/[:T]/g, "")}`;
  const files = writeReport(report, options.outDir, name);
  console.error(`bench: done in ${report.durationS} s; report: ${files.join(", ")}`);
  clearTimeout(timer);
  process.exit(0);
}

main().catch((error) => {
  console.error("bench failed:", error);
  process.exit(1);
});
