import { phaseCpu, PhaseCpu, PhaseCpuSpent } from "./cpu-meter";
import { LatencySummary, mergeEncoded, spectrum, summarize } from "./histogram";
import type { TimelinePoint } from "./monitor";
import type { ConnectResult, GroupFinal, PhaseStats } from "./types";

/** A measured phase: a fixed rate for a duration (a step of a step-up run, or the run). */
export interface PhaseDefinition {
  phase: number;
  label: string;
  rate: number;
  durationS: number;
  /** Warm-up phases are run but not reported. */
  warmup?: boolean;
}

export interface PhaseResult {
  phase: number;
  label: string;
  targetRate: number;
  durationS: number;
  sent: number;
  sentPerSec: number;
  /** Messages acknowledged (the service acks only after the commit). */
  persistedPerSec: number;
  deliveriesPerSec: number;
  ack: LatencySummary;
  receive: LatencySummary;
  ackSpectrum: [number, number][];
  receiveSpectrum: [number, number][];
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  reordered: number;
  unexpected: number;
  errors: number;
  skipped: number;
  /** CPU of each measured process over the phase and its drain (spawned targets only). */
  cpu?: PhaseCpu;
}

export interface ConnectSummary {
  attempted: number;
  connected: number;
  failed: number;
  latency: LatencySummary;
  failures: Record<string, number>;
}

/** Everything measured against one target (the service or a baseline). */
export interface TargetResult {
  name: string;
  describe: string;
  connect: ConnectSummary;
  phases: PhaseResult[];
  timeline: TimelinePoint[];
  dropped: number;
  errorCodes: Record<string, number>;
  memory?: {
    beforeMb: number;
    afterMb: number;
    heapBeforeMb: number;
    heapAfterMb: number;
    perConnectionKb: number;
  } | null;
  extra?: Record<string, unknown>;
}

export function summarizeConnect(results: ConnectResult[], attempted: number): ConnectSummary {
  const failures: Record<string, number> = {};
  for (const result of results) {
    for (const [reason, count] of Object.entries(result.failures))
      failures[reason] = (failures[reason] ?? 0) + count;
  }
  return {
    attempted,
    connected: results.reduce((n, r) => n + r.connected, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    latency: summarize(mergeEncoded(results.map((r) => r.histogram))),
    failures,
  };
}

/** Exact loss: per acknowledged message, deliveries owed minus unique deliveries seen. */
function lossByPhase(finals: GroupFinal[]): Map<number, number> {
  const received = new Map<number, number>();
  for (const final of finals) {
    for (const [number, count] of final.received)
      received.set(number, (received.get(number) ?? 0) + count);
  }
  const lost = new Map<number, number>();
  for (const final of finals) {
    for (const [number, owed, phase] of final.owed) {
      const missing = owed - (received.get(number) ?? 0);
      if (missing > 0) lost.set(phase, (lost.get(phase) ?? 0) + missing);
    }
  }
  return lost;
}

export function summarizePhase(
  definition: PhaseDefinition,
  stats: PhaseStats[],
  lost: number | null,
): PhaseResult {
  const sum = (key: keyof PhaseStats) => stats.reduce((n, s) => n + (s[key] as number), 0);
  const ack = mergeEncoded(stats.map((s) => s.ackHistogram));
  const receive = mergeEncoded(stats.map((s) => s.receiveHistogram));
  const expected = sum("expected");
  const delivered = sum("delivered");
  return {
    phase: definition.phase,
    label: definition.label,
    targetRate: definition.rate,
    durationS: definition.durationS,
    sent: sum("sent"),
    sentPerSec: sum("sent") / definition.durationS,
    persistedPerSec: sum("acked") / definition.durationS,
    deliveriesPerSec: delivered / definition.durationS,
    ack: summarize(ack),
    receive: summarize(receive),
    ackSpectrum: spectrum(ack),
    receiveSpectrum: spectrum(receive),
    expected,
    delivered,
    lost: lost ?? Math.max(0, expected - delivered),
    duplicates: sum("duplicates"),
    reordered: sum("reordered"),
    unexpected: sum("unexpected"),
    errors: sum("errors"),
    skipped: sum("skipped"),
  };
}

/** Phase results from every group's final accounting (warm-up phases left out). */
export function summarizePhases(
  definitions: PhaseDefinition[],
  finals: GroupFinal[],
  cpu?: PhaseCpuSpent,
): PhaseResult[] {
  const lost = lossByPhase(finals);
  return definitions
    .filter((definition) => !definition.warmup)
    .map((definition) => {
      const result = summarizePhase(
        definition,
        finals.flatMap((final) => final.phases.filter((p) => p.phase === definition.phase)),
        lost.get(definition.phase) ?? 0,
      );
      const spent = cpu?.get(definition.phase);
      if (spent) {
        const persisted = Math.round(result.persistedPerSec * definition.durationS);
        result.cpu = phaseCpu(spent.ms, spent.seconds, persisted, result.delivered);
      }
      return result;
    });
}
