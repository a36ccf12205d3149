import fs from "node:fs";
import path from "node:path";
import type { LatencySummary } from "../histogram";
import type { LoadOptions } from "../options";
import type { PhaseResult, TargetResult } from "../results";
import type { ServerLatency } from "../server-latency";
import { faultSection } from "./fault-section";
import { renderHtml } from "./html-report";
import { targetsSection } from "./targets";

/** Ratios the bench reports: the service against the bare baselines of the same run. */
export interface Ratios {
  /** service max rate within the p99 bound / bare Socket.IO's (step-up runs). */
  maxRateVsBareIo: number | null;
  maxRateVsBareWs: number | null;
  /** service receive p99 / bare p99 at the same fixed rate. */
  p99VsBareIo: number | null;
  p99VsBareWs: number | null;
  /** service persisted messages/s / bare batched INSERT rows/s. */
  persistedVsBareInsert: number | null;
  /** service node CPU per message / the bare server's, at the highest rate both ran. */
  cpuPerMessageVsBareIo?: number | null;
  cpuPerMessageVsBareWs?: number | null;
}

export interface LoadReport {
  tool: string;
  command: string;
  scenario: string;
  startedAt: string;
  durationS: number;
  machine: Record<string, unknown>;
  options: LoadOptions;
  targets: TargetResult[];
  ratios: Ratios | null;
  bareInsert?: {
    rows: number;
    seconds: number;
    rowsPerSec: number;
    batchSize: number;
    concurrency: number;
  } | null;
  notes: string[];
}

const n = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits });
const lat = (s: LatencySummary) => `${s.p50} / ${s.p95} / ${s.p99} / ${s.p999}`;

function phaseRows(target: TargetResult): string[] {
  return target.phases.map(
    (p: PhaseResult) =>
      `| ${target.name} | ${p.label} | ${n(p.sentPerSec)} | ${n(p.persistedPerSec)} | ${n(p.deliveriesPerSec)} | ` +
      `${lat(p.ack)} | ${lat(p.receive)} | ${p.lost} | ${p.duplicates} | ${p.reordered} | ${p.errors + p.skipped} |`,
  );
}

const ms = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(3));
const CPU_ROLES = ["server", "postgres", "redis", "nats", "generator"] as const;

/** CPU per persisted message of every measured process, per phase, for targets that were spawned. */
function cpuRows(target: TargetResult): string[] {
  return target.phases
    .filter((p) => p.cpu)
    .map((p) => {
      const cpu = p.cpu!;
      const serverCores = ((cpu.ms.server ?? 0) / 1000 / cpu.seconds).toFixed(2);
      const perRole = CPU_ROLES.map((role) => ms(cpu.perMessageMs[role]));
      return `| ${target.name} | ${p.label} | ${serverCores} | ${perRole.join(" | ")} | ${ms(cpu.perDeliveryMs.server)} |`;
    });
}

function cpuSection(targets: TargetResult[]): string[] {
  const rows = targets.flatMap(cpuRows);
  if (rows.length === 0) return [];
  return [
    "## CPU per message",
    "",
    "CPU time (utime + stime from `/proc/<pid>/stat`) of each process over each measured phase and its drain, per persisted message (the bare servers ack on receipt).",
    "*server* is the service node(s) or the bare server; *postgres* its database's backends and the server's WAL writer, checkpointer and background writer. Steadier than latency on a shared machine: steer by it.",
    "",
    "| target | rate | server cores | server ms/msg | postgres ms/msg | redis ms/msg | nats ms/msg | generator ms/msg | server ms/delivery |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ];
}

/** The Markdown report: the numbers a person quotes, with the command and the machine. */
export function renderMarkdown(report: LoadReport): string {
  const lines = [
    `# Load report: ${report.scenario} (${report.startedAt})`,
    "",
    `- Command: \`${report.command}\``,
    `- Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, Node ${report.machine.node}, ${report.machine.platform} — service, databases and generator share these cores (load average ${report.machine.loadAverage} at the end)`,
    `- Took ${report.durationS} s`,
    ...report.targets.map((t) => `- **${t.name}**: ${t.describe}`),
    "",
  ];
  const withPhases = report.targets.filter((t) => t.phases.length > 0);
  if (withPhases.length > 0) {
    lines.push(
      "## Throughput and latency",
      "",
      "Latencies in ms as p50 / p95 / p99 / p99.9, measured from each message's *intended* send time (open loop).",
      "Persisted/s counts acknowledged sends (the service acks after the commit); deliveries/s counts `message.new` received by other members.",
      "",
      "| target | rate | sent/s | persisted/s | deliveries/s | send→ack | send→receive | lost | dup | reordered | errors |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
      ...withPhases.flatMap(phaseRows),
      "",
    );
  }
  lines.push(...cpuSection(report.targets));
  if (report.ratios) lines.push(...targetsSection(report));
  lines.push(...faultSection(report.targets));
  lines.push(
    "## Connections",
    "",
    "| target | connected | failed | connect p50 / p99 ms | dropped | server RSS before → after | per connection |",
    "|---|---|---|---|---|---|---|",
  );
  for (const t of report.targets) {
    const memory = t.memory ? `${t.memory.beforeMb} → ${t.memory.afterMb} MB` : "n/a";
    const per = t.memory ? `${t.memory.perConnectionKb} KB` : "n/a";
    lines.push(
      `| ${t.name} | ${t.connect.connected}/${t.connect.attempted} | ${t.connect.failed} | ${t.connect.latency.p50} / ${t.connect.latency.p99} | ${t.dropped} | ${memory} | ${per} |`,
    );
  }
  lines.push("");
  for (const t of report.targets) {
    const extra = t.extra ?? {};
    if (extra.maxRateWithinBound !== undefined && report.options.step) {
      lines.push(
        `- ${t.name}: highest step with receive p99 ≤ ${extra.p99BoundMs} ms (no loss, no errors): **${extra.maxRateWithinBound as number}** msg/s`,
      );
    }
    for (const key of ["search", "history"] as const) {
      const rest = extra[key] as
        { requests: number; errors: number; latency: LatencySummary; avgItems: number } | undefined;
      if (rest) {
        lines.push(
          `- ${t.name} ${key}: ${rest.requests} requests, ${rest.errors} errors, p50 ${rest.latency.p50} / p95 ${rest.latency.p95} / p99 ${rest.latency.p99} ms, ${n(rest.avgItems, 1)} items per response`,
        );
      }
    }
    const server = extra.serverLatency as Record<string, ServerLatency> | null | undefined;
    if (server?.fanout?.count) {
      const stage = (name: string, label: string) => {
        const s = server[name];
        if (!s?.count) return null;
        const mean = s.meanMs === null || s.meanMs === undefined ? "" : `mean ${s.meanMs}, `;
        return `${label} ${mean}p50 ≤ ${s.p50UpToMs} / p99 ≤ ${s.p99UpToMs} ms`;
      };
      const stages = [
        stage("admission", "admission"),
        stage("queue", "queue"),
        stage("store", "store"),
        stage("fanout", "stored → fanned out"),
      ].filter(Boolean);
      lines.push(
        `- ${t.name} own timings (its /metrics histograms, bucket bounds): ${stages.join("; ")}`,
      );
    }
    const corpus = extra.corpus as { rows: number; seconds: number; via: string } | undefined;
    if (corpus)
      lines.push(
        `- ${t.name} corpus: ${n(corpus.rows)} messages seeded in ${n(corpus.seconds, 1)} s via ${corpus.via}`,
      );
    if (Object.keys(t.errorCodes).length)
      lines.push(`- ${t.name} error codes: ${JSON.stringify(t.errorCodes)}`);
    if (Object.keys(t.connect.failures).length)
      lines.push(`- ${t.name} connect failures: ${JSON.stringify(t.connect.failures)}`);
  }
  if (report.bareInsert) {
    const b = report.bareInsert;
    lines.push(
      `- bare batched INSERT into \`messages\` (${b.batchSize} rows per statement, ${b.concurrency} lane(s)): **${n(b.rowsPerSec)} rows/s**`,
    );
  }
  if (report.ratios) {
    const r = report.ratios;
    const rows: [string, number | null][] = [
      ["service max rate within the p99 bound / bare Socket.IO's", r.maxRateVsBareIo],
      ["service max rate within the p99 bound / bare ws's", r.maxRateVsBareWs],
      ["service receive p99 / bare Socket.IO receive p99 (same rate)", r.p99VsBareIo],
      ["service receive p99 / bare ws receive p99 (same rate)", r.p99VsBareWs],
      ["service persisted msg/s / bare batched INSERT rows/s", r.persistedVsBareInsert],
      [
        "service node CPU per message / bare Socket.IO's (highest common rate)",
        r.cpuPerMessageVsBareIo ?? null,
      ],
      [
        "service node CPU per message / bare ws's (highest common rate)",
        r.cpuPerMessageVsBareWs ?? null,
      ],
    ];
    const known = rows.filter(([, value]) => value !== null);
    if (known.length) {
      lines.push("", "## Ratios (same run)", "", "| ratio | value |", "|---|---|");
      for (const [label, value] of known) lines.push(`| ${label} | ${n(value!, 2)} |`);
    }
  }
  if (report.notes.length)
    lines.push("", "## Notes", "", ...report.notes.map((note) => `- ${note}`));
  return `${lines.join("\n")}\n`;
}

/** Writes `<name>.json`, `<name>.md` and `<name>.html` into `dir`; returns the paths. */
export function writeReport(report: LoadReport, dir: string, name: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    json: path.join(dir, `${name}.json`),
    md: path.join(dir, `${name}.md`),
    html: path.join(dir, `${name}.html`),
  };
  fs.writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(files.md, renderMarkdown(report));
  fs.writeFileSync(files.html, renderHtml(report, renderMarkdown(report)));
  return Object.values(files);
}
