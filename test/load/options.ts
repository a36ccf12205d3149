import { parseArgs } from "node:util";
import type { ConversationKind, Transport } from "./types";

export type Scenario = "connections" | "throughput" | "search" | "mixed" | "faults";

/** Everything a run can be told; `npm run load -- --help` prints this. */
export interface LoadOptions {
  scenario: Scenario;
  urls: string[];
  spawn: boolean;
  nodes: number;
  env: Record<string, string>;
  jwtSecret: string | null;
  connections: number;
  transport: Transport | "mix";
  rate: number;
  step: { start: number; increment: number; max: number } | null;
  stepDurationS: number;
  p99BoundMs: number;
  durationS: number;
  warmupS: number;
  holdS: number;
  rampPerSec: number;
  mix: Record<ConversationKind, number>;
  groups10?: number;
  groups20?: number;
  groups200?: number;
  /** Service worker processes per spawned node (`server.workers`). */
  workers: number;
  /** Load-generator worker processes (0: the main thread). */
  generatorWorkers: number;
  addresses: number;
  corpus: number;
  searchRate: number;
  historyRate: number;
  cpuProf: boolean;
  freshDb: boolean;
  /** Start a PostgreSQL cluster, Redis and NATS of the run's own for the spawned nodes. */
  ownServices: boolean;
  outDir: string;
  name: string | null;
  quiet: boolean;
  /** faults: seconds between a fault's part being back and the next fault. */
  recoverS: number;
  /** faults: seconds Redis, NATS and PostgreSQL stay down. */
  outageS: number;
  /** faults: every n-th client of a failing node is a presence probe. */
  probeEvery: number;
  /** faults: a send unanswered this long counts as hung (and is resent). */
  ackBoundS: number;
}

export const HELP = `Load generator for the messaging service (see README "Performance").

  npm run load -- [--scenario connections|throughput|search|mixed|faults] [target] [workload]

Target:  --spawn (default when no --url) start the service as child process(es) from the
           environment (DATABASE_URL, REDIS_URL, NATS_URL, else embedded defaults)
         --nodes 2          two spawned nodes (needs DATABASE_URL and REDIS_URL)
         --workers N        worker processes per spawned node (server.workers; above 1
                            needs DATABASE_URL and REDIS_URL, or --own-services)
         --env KEY=VALUE    extra environment for spawned nodes (repeatable)
         --url http://host:9097[,http://host2:9097]   an existing deployment
         --jwt-secret S     mint tokens (users provisioned on first sight); without it
                            users register over REST (slow)
         --cpu-prof         spawned nodes write V8 CPU profiles of the measured phases
                            (not the setup) to <out>/profiles/
         --fresh-db         a throwaway database on DATABASE_URL's server, unique Redis
                            and NATS prefixes (dropped at the end)
         --own-services     the spawned nodes get a PostgreSQL cluster (initdb), a
                            redis-server and a nats-server of the run's own, so the CPU
                            meter counts every process of each and nothing else
Workload: --connections N (2000)  --transport mix|io|ws (mix)  --ramp N conns/s (1000)
         --rate N msg/s (1000)  --duration S (20)  --warmup S (3)
         --step START,INC,MAX  --step-duration S (8)  --p99-bound MS (100)
         --mix direct=0.85,g20=0.13,g200=0.02 (kinds: direct g10 g20 g200)
         --groups10 N  --groups20 N  --groups200 N
         --hold S (connections scenario, 15)  --corpus N (search, 20000)
         --search-rate N/s (20)  --history-rate N/s (20)
Faults:  --scenario faults starts its own PostgreSQL (initdb), Redis, NATS and two nodes,
           sends at --rate from reconnecting clients and injects: SIGKILL of a node, Redis,
           NATS and PostgreSQL restarts, SIGTERM of a node; then audits every delivery
         --recover S (10)  --outage S (3)  --probe-every N (10)  --ack-bound S (10)
         --env PRESENCE_TTL=15s  (the nodes' presence timings; defaults 60s / 5s)
Generator: --generator-workers N (1; 0 = main thread)  --addresses N (source IPs 127.0.0.2.., 32)
Output:  --out DIR (reports)  --name NAME  --quiet`;

function parseMix(text: string): Record<ConversationKind, number> {
  const mix: Record<ConversationKind, number> = { direct: 0, g10: 0, g20: 0, g200: 0 };
  for (const part of text.split(",")) {
    const [kind, share] = part.split("=");
    if (!(kind in mix)) throw new Error(`--mix: unknown kind ${kind}`);
    mix[kind as ConversationKind] = Number(share);
  }
  const total = Object.values(mix).reduce((sum, share) => sum + share, 0);
  for (const kind of Object.keys(mix) as ConversationKind[]) mix[kind] /= total;
  return mix;
}

export function parseOptions(argv: string[]): LoadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: "string", default: "throughput" },
      url: { type: "string", multiple: true },
      spawn: { type: "boolean", default: false },
      nodes: { type: "string", default: "1" },
      env: { type: "string", multiple: true },
      "jwt-secret": { type: "string" },
      connections: { type: "string", default: "2000" },
      transport: { type: "string", default: "mix" },
      rate: { type: "string", default: "1000" },
      step: { type: "string" },
      "step-duration": { type: "string", default: "8" },
      "p99-bound": { type: "string", default: "100" },
      duration: { type: "string", default: "20" },
      warmup: { type: "string", default: "3" },
      hold: { type: "string", default: "15" },
      ramp: { type: "string", default: "1000" },
      mix: { type: "string", default: "direct=0.85,g20=0.13,g200=0.02" },
      groups10: { type: "string" },
      groups20: { type: "string" },
      groups200: { type: "string" },
      workers: { type: "string", default: "1" },
      "generator-workers": { type: "string", default: "1" },
      addresses: { type: "string", default: "32" },
      corpus: { type: "string", default: "20000" },
      "search-rate": { type: "string", default: "20" },
      "history-rate": { type: "string", default: "20" },
      "cpu-prof": { type: "boolean", default: false },
      "fresh-db": { type: "boolean", default: false },
      "own-services": { type: "boolean", default: false },
      out: { type: "string", default: "reports" },
      name: { type: "string" },
      quiet: { type: "boolean", default: false },
      recover: { type: "string", default: "10" },
      outage: { type: "string", default: "3" },
      "probe-every": { type: "string", default: "10" },
      "ack-bound": { type: "string", default: "10" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const scenario = values.scenario as Scenario;
  if (!["connections", "throughput", "search", "mixed", "faults"].includes(scenario)) {
    throw new Error(`--scenario must be connections, throughput, search, mixed or faults`);
  }
  const urls = (values.url ?? []).flatMap((u) => u.split(",")).filter(Boolean);
  const step = values.step?.split(",").map(Number);
  const env = Object.fromEntries(
    (values.env ?? []).map((pair) => [
      pair.slice(0, pair.indexOf("=")),
      pair.slice(pair.indexOf("=") + 1),
    ]),
  );
  for (const key of ["DATABASE_URL", "REDIS_URL", "NATS_URL"]) {
    if (process.env[key] && env[key] === undefined) env[key] = process.env[key]!;
  }
  return {
    scenario,
    urls,
    spawn: values.spawn || urls.length === 0,
    nodes: scenario === "faults" ? 2 : Number(values.nodes),
    env,
    jwtSecret: values["jwt-secret"] ?? null,
    connections: Number(values.connections),
    transport: values.transport as LoadOptions["transport"],
    rate: Number(values.rate),
    step: step && step.length === 3 ? { start: step[0], increment: step[1], max: step[2] } : null,
    stepDurationS: Number(values["step-duration"]),
    p99BoundMs: Number(values["p99-bound"]),
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    holdS: Number(values.hold),
    rampPerSec: Number(values.ramp),
    mix: parseMix(values.mix!),
    groups10: values.groups10 === undefined ? undefined : Number(values.groups10),
    groups20: values.groups20 === undefined ? undefined : Number(values.groups20),
    groups200: values.groups200 === undefined ? undefined : Number(values.groups200),
    workers: Number(values.workers),
    generatorWorkers: Number(values["generator-workers"]),
    addresses: Number(values.addresses),
    corpus: Number(values.corpus),
    searchRate: Number(values["search-rate"]),
    historyRate: Number(values["history-rate"]),
    cpuProf: values["cpu-prof"]!,
    freshDb: values["fresh-db"]!,
    ownServices: values["own-services"]!,
    outDir: values.out!,
    name: values.name ?? null,
    quiet: values.quiet!,
    recoverS: Number(values.recover),
    outageS: Number(values.outage),
    probeEvery: Number(values["probe-every"]),
    ackBoundS: Number(values["ack-bound"]),
  };
}
