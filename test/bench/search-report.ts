/** Percentiles and the Markdown / JSON report of the search benchmark. */
import fs from "node:fs/promises";
import path from "node:path";
import type { InsertCost } from "./insert-cost";

export interface Measured {
  kind: string;
  q: string;
  power: boolean;
  ms: number;
  hits: number;
  /** A primary-key SELECT timed right after this search: the same load, a bare query. */
  baselineMs: number;
}

export interface Stats {
  n: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

export interface LoadSample {
  min: number;
  mean: number;
  max: number;
}

export interface BenchReport {
  summary: Record<string, string | number>;
  typical: Stats;
  power: Stats;
  all: Stats;
  baseline: Stats;
  ratio: { p50: number; p95: number };
  kinds: ({ kind: string } & Stats)[];
  load: LoadSample;
  insert_cost: InsertCost;
  results: Measured[];
}

const round = (value: number) => +value.toFixed(1);

export function stats(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return {
    n: sorted.length,
    p50_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    p99_ms: round(at(0.99)),
    max_ms: round(sorted[sorted.length - 1]),
  };
}

/** The report of one run: typical callers, the power user, the baseline and their ratio. */
export function buildReport(
  summary: Record<string, string | number>,
  results: Measured[],
  load: LoadSample,
  insertCost: InsertCost,
): BenchReport {
  const typical = stats(results.filter((r) => !r.power).map((r) => r.ms));
  const baseline = stats(results.map((r) => r.baselineMs));
  const ratio = (a: number, b: number) => +(a / b).toFixed(1);
  return {
    summary,
    typical,
    power: stats(results.filter((r) => r.power).map((r) => r.ms)),
    all: stats(results.map((r) => r.ms)),
    baseline,
    ratio: {
      p50: ratio(typical.p50_ms, baseline.p50_ms),
      p95: ratio(typical.p95_ms, baseline.p95_ms),
    },
    kinds: byKind(results),
    load,
    insert_cost: insertCost,
    results,
  };
}

/** Groups by query kind, the power user's searches as their own kinds. */
export function byKind(results: Measured[]): ({ kind: string } & Stats)[] {
  const groups = new Map<string, number[]>();
  for (const r of results) {
    const kind = r.power ? `${r.kind} (power user)` : r.kind;
    groups.set(kind, [...(groups.get(kind) ?? []), r.ms]);
  }
  return [...groups].map(([kind, times]) => ({ kind, ...stats(times) }));
}

const row = (label: string, s: Stats) =>
  `| ${label} | ${s.n} | ${s.p50_ms} ms | ${s.p95_ms} ms | ${s.p99_ms} ms | ${s.max_ms} ms |`;

function insertCostText(cost: InsertCost): string {
  const change = (a: number, b: number) => `${a >= b ? "+" : ""}${Math.round((a / b - 1) * 100)}%`;
  return (
    `Insert cost against the schema before the search-index migration (which adds ` +
    `messages_search_covering and messages_search_long and drops messages_content_trgm): ` +
    `${cost.rows.toLocaleString("en")} corpus-like rows in one INSERT, median of ${cost.rounds} ` +
    `alternating rounds, rolled back: ${cost.after_rows_per_sec.toLocaleString("en")} rows/s ` +
    `now, ${cost.before_rows_per_sec.toLocaleString("en")} rows/s before ` +
    `(${change(cost.after_rows_per_sec, cost.before_rows_per_sec)}); WAL ` +
    `${cost.after_wal_bytes_per_row} vs ${cost.before_wal_bytes_per_row} bytes per row ` +
    `(${change(cost.after_wal_bytes_per_row, cost.before_wal_bytes_per_row)}).`
  );
}

function markdown(report: BenchReport, intro: string, command: string): string {
  const { summary, load } = report;
  return [
    "# Search benchmark",
    "",
    intro,
    "",
    `Load average (1 min) during the searches: min ${load.min}, mean ${load.mean}, max ${load.max} ` +
      `on ${summary.cpus} CPUs. The baseline is a primary-key \`SELECT\` of a random message, ` +
      `run after each search on the same pool, so the ratio says how far search is from the ` +
      `cheapest indexed query under the same noise.`,
    "",
    "| searches | n | p50 | p95 | p99 | max |",
    "|---|---|---|---|---|---|",
    row("typical callers (~10 conversations)", report.typical),
    row(`power user (${summary.power_conversations} conversations)`, report.power),
    row("all", report.all),
    row("baseline: primary-key SELECT", report.baseline),
    "",
    `Typical callers over the baseline: p50 ×${report.ratio.p50}, p95 ×${report.ratio.p95}.`,
    "",
    "| query kind | n | p50 | p95 | p99 | max |",
    "|---|---|---|---|---|---|",
    ...report.kinds.map((k) => row(k.kind, k)),
    "",
    insertCostText(report.insert_cost),
    "",
    `${summary.seed_seconds ? `Seeding took ${summary.seed_seconds} s` : "The corpus was seeded by an earlier run"}` +
      ` (vacuumed: ${summary.vacuumed}). Measured ${summary.at}. Regenerate: \`${command}\`.`,
    "",
  ].join("\n");
}

/** Writes reports/<name>.json and .md (and the plans, when given, to <name>-plans.md). */
export async function writeReport(
  name: string,
  report: BenchReport,
  text: { intro: string; command: string; plans?: string },
): Promise<void> {
  await fs.mkdir(path.dirname(`reports/${name}`), { recursive: true });
  await fs.writeFile(`reports/${name}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const plans = text.plans
    ? `The plan of one search per kind: [${path.basename(name)}-plans.md](${path.basename(name)}-plans.md).\n`
    : "";
  await fs.writeFile(`reports/${name}.md`, markdown(report, text.intro, text.command) + plans);
  if (text.plans) await fs.writeFile(`reports/${name}-plans.md`, text.plans);
}
