import { LatencySummary, mergeEncoded, summarize } from "../histogram";
import { AuditCounts, AuditResult, zeroCounts } from "./delivery-audit";
import type { FaultGroupFinal } from "./fault-client-group";
import type { SendRecord } from "./send-book";

/** How presence looked after a node went away: its probes offline, then back online. */
export interface PresenceCheck {
  probes: number;
  /** The contract's bound for the offline announcement, seconds. */
  boundS: number;
  /** Probes some client heard announced offline, and how long after the fault. */
  offlineHeard: number;
  offlineP50S: number | null;
  offlineMaxS: number | null;
  /** Probes whose GET /users/:id/presence read offline before they came back. */
  offlineRead: number;
  /** Probes heard announced online again after they reconnected, and how long it took. */
  onlineHeard: number;
  onlineMaxS: number | null;
  /** Probes whose presence read online once they were heard back (or the wait ended). */
  onlineRead: number;
  /** When the probes were let back in (epoch ms): all at once, which no real fault does. */
  releasedAt: number;
}

/** One injected fault: when, for how long, and what it did (its window lasts until the next). */
export interface FaultWindow {
  phase: number;
  name: string;
  injectedAt: number;
  /** When the failed part was back (a node: started again; a server: accepting again). */
  restoredAt: number;
  endAt: number;
  presence?: PresenceCheck;
  /** Seconds from `restoredAt` until every event that occurred before it was in JetStream. */
  relayCaughtUpS?: number | null;
  /** Client indices held away as presence probes (left out of the reconnect times). */
  probeClients?: number[];
}

export interface FaultOutcome extends AuditCounts {
  phase: number;
  name: string;
  atS: number;
  outageS: number;
  windowS: number;
  sends: number;
  acked: number;
  unacked: number;
  /** Sends refused for good (a non-retryable error code). */
  failed: number;
  /** First attempts answered with an error, by code (`internal` must stay 0). */
  firstErrors: Record<string, number>;
  /** Attempts left unanswered past the bound. */
  hung: number;
  /** Sends that needed more than one attempt (dropped connection, error, no answer). */
  retried: number;
  ack: LatencySummary;
  receive: LatencySummary;
  deliveredLive: number;
  deliveredOnResume: number;
  /** Of the messages a resume replayed: ms from the new connection's ready to their arrival. */
  resumeLag: LatencySummary;
  /** Seconds from the injection to the last send that was not acked at first try within 1 s. */
  recoveryS: number;
  /** Seconds from the injection to the first ack of a send intended after it, of the affected clients. */
  firstAckS: number | null;
  reconnections: number;
  clientsResumed: number;
  reconnectP50S: number | null;
  reconnectMaxS: number | null;
  relayCaughtUpS: number | null;
  presence?: PresenceCheck;
  /** The send that took longest to be acknowledged, and why (attempts, errors, a probe's). */
  slowest: { ms: number; attempts: number; errors: Record<string, number>; probe: boolean } | null;
}

const seconds = (ms: number) => Math.round(ms / 10) / 100;
const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;

/** Disrupted: not acknowledged at the first attempt within a second. */
const disrupted = (send: SendRecord) =>
  send.attempts > 1 ||
  send.firstError !== undefined ||
  send.firstAnswerMs === undefined ||
  send.firstAnswerMs > 1000;

/**
 * Probes' own sends are left out (they were held away on purpose), and so is what follows
 * their release: all of them reconnecting at once is the test's doing, not the fault's.
 */
function recoveryOf(
  window: FaultWindow,
  sends: SendRecord[],
  affected: Set<number>,
  probes: Set<number>,
) {
  const until = window.presence?.releasedAt ?? Infinity;
  let lastDisrupted = window.injectedAt;
  let firstAck = Infinity;
  for (const send of sends) {
    if (send.intended < window.injectedAt || probes.has(send.client)) continue;
    if (disrupted(send) && send.intended < until) {
      lastDisrupted = Math.max(lastDisrupted, send.intended);
    }
    const counts = affected.size === 0 || affected.has(send.client);
    if (counts && send.ackedAt !== undefined) firstAck = Math.min(firstAck, send.ackedAt);
  }
  return {
    recoveryS: seconds(lastDisrupted - window.injectedAt),
    firstAckS: Number.isFinite(firstAck) ? seconds(firstAck - window.injectedAt) : null,
  };
}

function slowestOf(sends: SendRecord[], probes: Set<number>): FaultOutcome["slowest"] {
  let slowest: SendRecord | undefined;
  for (const send of sends) {
    if (send.ackedAt === undefined) continue;
    if (!slowest || send.ackedAt - send.intended > slowest.ackedAt! - slowest.intended) {
      slowest = send;
    }
  }
  if (!slowest) return null;
  return {
    ms: Math.round(slowest.ackedAt! - slowest.intended),
    attempts: slowest.attempts,
    errors: slowest.errors,
    probe: probes.has(slowest.client),
  };
}

/** Per fault window: the audit's counts beside the sends, deliveries, reconnections and recovery. */
export function summarizeFaults(
  windows: FaultWindow[],
  finals: FaultGroupFinal[],
  audit: AuditResult,
  runStart: number,
): FaultOutcome[] {
  const sends = finals.flatMap((final) => final.sends);
  const reconnections = finals.flatMap((final) => final.reconnections);
  return windows.map((window) => {
    const mine = sends.filter((send) => send.phase === window.phase);
    const inWindow = reconnections.filter(
      (r) => r.droppedAt >= window.injectedAt && r.droppedAt < window.endAt,
    );
    const probes = new Set(window.probeClients ?? []);
    const times = inWindow
      .filter((r) => !probes.has(r.client))
      .map((r) => r.readyAt - r.droppedAt)
      .sort((a, b) => a - b);
    const deliveries = finals.flatMap((f) => f.deliveries.filter((d) => d.phase === window.phase));
    const firstErrors: Record<string, number> = {};
    for (const send of mine) {
      if (send.firstError) firstErrors[send.firstError] = (firstErrors[send.firstError] ?? 0) + 1;
    }
    const p50 = quantile(times, 0.5);
    const max = times.length ? times[times.length - 1] : null;
    return {
      phase: window.phase,
      name: window.name,
      atS: seconds(window.injectedAt - runStart),
      outageS: seconds(window.restoredAt - window.injectedAt),
      windowS: seconds(window.endAt - window.injectedAt),
      sends: mine.length,
      acked: mine.filter((send) => send.ackedAt !== undefined).length,
      unacked: mine.filter((send) => send.ackedAt === undefined && !send.failed).length,
      failed: mine.filter((send) => send.failed).length,
      firstErrors,
      hung: mine.reduce((n, send) => n + send.hung, 0),
      retried: mine.filter((send) => send.attempts > 1).length,
      ack: summarize(
        mergeEncoded(
          finals.flatMap((f) =>
            f.ackHistograms.filter(([p]) => p === window.phase).map(([, h]) => h),
          ),
        ),
      ),
      receive: summarize(mergeEncoded(deliveries.map((d) => d.receiveHistogram))),
      deliveredLive: deliveries.reduce((n, d) => n + d.live, 0),
      deliveredOnResume: deliveries.reduce((n, d) => n + d.replayed, 0),
      resumeLag: summarize(mergeEncoded(deliveries.map((d) => d.resumeLagHistogram))),
      ...recoveryOf(window, mine, new Set(inWindow.map((r) => r.client)), probes),
      reconnections: inWindow.length,
      clientsResumed: new Set(inWindow.filter((r) => r.resumed).map((r) => r.client)).size,
      reconnectP50S: p50 === null ? null : seconds(p50),
      reconnectMaxS: max === null ? null : seconds(max),
      relayCaughtUpS: window.relayCaughtUpS ?? null,
      slowest: slowestOf(mine, probes),
      presence: window.presence,
      ...(audit.byPhase.get(window.phase) ?? zeroCounts()),
    };
  });
}
