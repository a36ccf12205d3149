/**
 * Where a V8 CPU profile (`--cpu-prof`, or `npm run load -- --cpu-prof`) spent its time:
 * self time by package (node_modules/<name>, our own directories, node internals, GC) and
 * the top functions, as percentages of the samples. A sampled heap profile
 * (`.heapprofile`, `LOAD_HEAP_PROFILE=1 npm run load -- --cpu-prof`) is summarised the same
 * way by bytes allocated: what the garbage collector then has to clear.
 *
 *   npx tsx scripts/cpu-profile-summary.ts <file.cpuprofile|file.heapprofile> [--top 30]
 *       [--package NAME]
 *
 * `--package` lists the functions of one package (or our directory, e.g. `lib/realtime`).
 */
import fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface HeapNode {
  callFrame: ProfileNode["callFrame"];
  selfSize: number;
  children: HeapNode[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] ? args[index + 1] : fallback;
};
const TOP = Number(option("top", "30"));
const PACKAGE = option("package", "");

/** The package a frame belongs to: an npm package, one of our directories, or a V8 bucket. */
function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "(gc)";
    if (functionName === "(idle)" || functionName === "(program)") return functionName;
    return "(native)";
  }
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith("node:")) return "(node)";
  const own = /\/(lib|sockets|routes|config|test)\/(.*)$/.exec(url);
  if (own) {
    const dirs = own[2].split("/");
    return dirs.length > 1 ? `${own[1]}/${dirs[0]}` : own[1];
  }
  return url;
}

/** Self cost per call frame: CPU microseconds, or bytes allocated for a heap profile. */
function selfCosts(file: string): { frame: ProfileNode["callFrame"]; cost: number }[] {
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Profile & { head?: HeapNode };
  if (parsed.head) {
    const costs: { frame: ProfileNode["callFrame"]; cost: number }[] = [];
    const walk = (node: HeapNode) => {
      costs.push({ frame: node.callFrame, cost: node.selfSize });
      node.children.forEach(walk);
    };
    walk(parsed.head);
    return costs;
  }
  const byId = new Map(parsed.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  parsed.samples.forEach((id, i) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (parsed.timeDeltas[i] ?? 0));
  });
  return [...selfTime].map(([id, cost]) => ({ frame: byId.get(id)!.callFrame, cost }));
}

function main(): void {
  const file = args.find((arg) => /\.(cpu|heap)profile$/.test(arg));
  if (!file)
    throw new Error("usage: cpu-profile-summary <file.cpuprofile> [--top N] [--package P]");
  const heap = file.endsWith(".heapprofile");
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const { frame, cost } of selfCosts(file)) {
    const { functionName, url, lineNumber } = frame;
    const pkg = packageOf(url, functionName);
    if (pkg === "(idle)") continue;
    total += cost;
    packages.set(pkg, (packages.get(pkg) ?? 0) + cost);
    if (PACKAGE && pkg !== PACKAGE) continue;
    const name = `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + cost);
  }
  const percent = (cost: number) => `${((cost / total) * 100).toFixed(1).padStart(5)}%`;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  const what = heap
    ? `${(total / 1048576).toFixed(0)} MB sampled allocations`
    : `${(total / 1000).toFixed(0)} ms of CPU samples (idle excluded)`;
  console.log(`${file}: ${what}\n`);
  console.log(`self ${heap ? "allocation" : "time"} by package`);
  for (const [name, cost] of sorted(packages)) console.log(`${percent(cost)}  ${name}`);
  console.log(
    `\nself ${heap ? "allocation" : "time"} by function${PACKAGE ? ` in ${PACKAGE}` : ""}`,
  );
  for (const [name, cost] of sorted(functions)) console.log(`${percent(cost)}  ${name}`);
}

main();
