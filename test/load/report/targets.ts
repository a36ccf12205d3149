import type { PhaseResult, TargetResult } from "../results";
import type { LoadReport } from "./write-report";

/** One target of the performance work (issue #13), measured in this run. */
export interface TargetCheck {
  target: string;
  goal: string;
  value: string;
  met: boolean | null;
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);

/** The service's step to judge CPU by: its highest within the bound, else its last. */
function judgedPhase(service: TargetResult): PhaseResult | undefined {
  const within = service.extra?.maxRateWithinBound as number | null | undefined;
  return service.phases.find((p) => p.targetRate === within) ?? service.phases.at(-1);
}

function cpuChecks(report: LoadReport, service: TargetResult): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ratio = report.ratios?.cpuPerMessageVsBareIo;
  if (ratio != null) {
    checks.push({
      target: "service CPU per message / bare Socket.IO's",
      goal: "≤ 2",
      value: fixed(ratio),
      met: ratio <= 2,
    });
  }
  const phase = judgedPhase(service);
  const postgres = phase?.cpu?.perMessageMs.postgres;
  if (phase && postgres !== undefined) {
    checks.push({
      target: `PostgreSQL CPU per message (at ${phase.label})`,
      goal: "≤ 0.15 ms",
      value: `${fixed(postgres, 3)} ms`,
      met: postgres <= 0.15,
    });
  }
  return checks;
}

function stepChecks(report: LoadReport, service: TargetResult): TargetCheck[] {
  if (!report.options.step) return [];
  const rate = service.extra?.maxRateWithinBound as number | null;
  const ratio = report.ratios?.maxRateVsBareIo ?? null;
  return [
    {
      target: "highest rate with receive p99 ≤ bound / bare Socket.IO's",
      goal: "≥ 0.5",
      value: ratio === null ? "n/a" : fixed(ratio),
      met: ratio === null ? null : ratio >= 0.5,
    },
    {
      target: "highest rate with receive p99 ≤ bound",
      goal: "≥ 1,500 msg/s",
      value: rate === null ? "none" : `${rate} msg/s`,
      met: rate !== null && rate >= 1500,
    },
  ];
}

/** The targets this run can judge, service against the bare servers of the same run. */
export function targetChecks(report: LoadReport): TargetCheck[] {
  const service = report.targets.find((t) => t.name.startsWith("service"));
  if (!service || service.phases.length === 0) return [];
  const faults = service.phases.reduce((n, p) => n + p.lost + p.duplicates + p.reordered, 0);
  return [
    ...cpuChecks(report, service),
    ...stepChecks(report, service),
    {
      target: "lost, doubled or reordered deliveries (every step)",
      goal: "0",
      value: String(faults),
      met: faults === 0,
    },
  ];
}

export function targetsSection(report: LoadReport): string[] {
  const checks = targetChecks(report);
  if (checks.length === 0) return [];
  const verdict = (met: boolean | null) => (met === null ? "—" : met ? "met" : "**missed**");
  return [
    "## Targets (issue #13)",
    "",
    "| target | goal | this run | |",
    "|---|---|---|---|",
    ...checks.map((c) => `| ${c.target} | ${c.goal} | ${c.value} | ${verdict(c.met)} |`),
    "",
  ];
}
