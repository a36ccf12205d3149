import type { FaultOutcome } from "../faults/fault-summary";
import type { TargetResult } from "../results";

const codes = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([code, count]) => `${code} ${count}`)
    .join(", ") || "none";
const s = (value: number | null | undefined) =>
  value === null || value === undefined ? "—" : `${value}`;

function correctnessRows(faults: FaultOutcome[]): string[] {
  return faults.map(
    (f) =>
      `| ${f.phase}. ${f.name} | ${f.sends} | ${f.acked} | ${f.unacked + f.failed} | ${f.lost} | ${f.doubled} | ${f.reordered} | ` +
      `${f.ackedNotStored} | ${f.storedTwice} | ${f.seqGaps} | ${f.events - f.jetstreamMissing - f.jetstreamDoubled} / ${f.jetstreamMissing} / ${f.jetstreamDoubled} |`,
  );
}

function experienceRows(faults: FaultOutcome[]): string[] {
  return faults.map(
    (f) =>
      `| ${f.phase}. ${f.name} | ${f.outageS} | ${codes(f.firstErrors)} | ${f.hung} | ${f.retried} | ${f.recoveryS} | ${s(f.firstAckS)} | ` +
      `${f.ack.p50} / ${f.ack.p99} / ${f.ack.max} | ${f.receive.p99} / ${f.receive.max} | ` +
      `${f.clientsResumed} (${s(f.reconnectP50S)} / ${s(f.reconnectMaxS)}) | ${f.deliveredOnResume} (${f.resumeLag.p99} / ${f.resumeLag.max}) | ${s(f.relayCaughtUpS)} |`,
  );
}

function presenceRows(faults: FaultOutcome[]): string[] {
  return faults
    .filter((f) => f.presence)
    .map((f) => {
      const p = f.presence!;
      return (
        `| ${f.phase}. ${f.name} | ${p.probes} | ${p.boundS} | ${p.offlineHeard} (${s(p.offlineP50S)} / ${s(p.offlineMaxS)}) | ` +
        `${p.offlineRead} | ${p.onlineHeard} (${s(p.onlineMaxS)}) | ${p.onlineRead} |`
      );
    });
}

/** The faults scenario's tables: correctness per fault, what users saw, presence. */
export function faultSection(targets: TargetResult[]): string[] {
  const lines: string[] = [];
  for (const target of targets) {
    const extra = target.extra ?? {};
    const faults = extra.faults as FaultOutcome[] | undefined;
    if (!faults) continue;
    lines.push(
      "## Faults: nothing lost",
      "",
      "Each row is one fault's window, from its injection to the next one; every count but sends, acked and events must be 0.",
      "*lost*: a member never received a stored seq (live or on resume); *doubled* / *reordered*: per member by seq; " +
        "*acked, not stored*: an ack the database does not back; *stored twice*: one `client_msg_id`, two messages; " +
        "*JetStream*: the window's outbox events held once / missing / more than once (by `Nats-Msg-Id`).",
      "",
      "| fault | sends | acked | unacked at end | lost | doubled | reordered | acked, not stored | stored twice | seq gaps | JetStream once / missing / doubled |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
      ...correctnessRows(faults),
      "",
      "## Faults: what users saw",
      "",
      "*outage*: seconds the part was down (a node: until it was started again). *first errors*: first attempts answered with an error. " +
        "*hung*: attempts unanswered past the bound. *recovery*: seconds from the injection to the last send not acked at its first attempt within 1 s (probes' own sends left out, and the moments after their release, when all of them come back at once). " +
        "*first ack*: seconds from the injection to the first acked send of the clients that lost their connection (all clients if none did). " +
        "Latencies in ms from the intended send time (retries included; probes' sends and receipts left out). *resumed*: clients that reconnected with their cursor (reconnect p50 / max s, probes left out). " +
        "*delivered on resume*: messages a resume replayed, and how long after the new connection's `ready` they arrived. " +
        "*JetStream caught up*: seconds from the part being back until every event that occurred before was published.",
      "",
      "| fault | outage s | first errors | hung | retried | recovery s | first ack s | send→ack p50 / p99 / max | send→receive p99 / max | resumed (p50 / max s) | delivered on resume (lag p99 / max ms) | JetStream caught up s |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|",
      ...experienceRows(faults),
      "",
      ...faults.map((f) =>
        f.slowest
          ? `- ${f.phase}. slowest send: ${f.slowest.ms} ms, ${f.slowest.attempts} attempt(s), errors ${codes(f.slowest.errors)}${f.slowest.probe ? ", a probe's (held away)" : ""}`
          : `- ${f.phase}. no acknowledged send`,
      ),
      "",
    );
    const presence = presenceRows(faults);
    if (presence.length) {
      lines.push(
        "## Faults: presence",
        "",
        "Probes: every n-th client of the failing node, kept away after the drop; heard by any contact's client (p50 / max seconds after the fault), read over `GET /users/:id/presence`, then heard online again after they reconnected (max seconds after release).",
        "",
        "| fault | probes | bound s | heard offline (p50 / max s) | read offline | heard online again (max s) | read online |",
        "|---|---|---|---|---|---|---|",
        ...presence,
        "",
      );
    }
    lines.push(
      `- ${target.name}: ${extra.storedMessages} messages stored; ${extra.storedNeverAcked} stored whose ack the client never saw; ` +
        `JetStream messages no outbox event accounts for: ${extra.jetstreamForeign}; events unpublished at the end: ${extra.unpublished}; drained: ${extra.drained}`,
      "",
    );
  }
  return lines;
}
