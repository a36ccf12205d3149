import { AckCallback, LoadConnection, LoadMessage, openConnection } from "./clients";
import { DeliveryLedger, PhaseRecorder, ReceiverState } from "./delivery-ledger";
import { encodeHistogram, newHistogram, recordMs } from "./histogram";
import { nowMs, pick, seededRandom, sleep } from "./random";
import type {
  ClientSpec,
  ConnectResult,
  ConversationKind,
  GroupFinal,
  GroupPlan,
  IntervalSnapshot,
  PhaseStats,
  Totals,
} from "./types";
import { CONVERSATION_KINDS } from "./types";

interface LiveClient extends ReceiverState {
  spec: ClientSpec;
  connection?: LoadConnection;
}

interface Pending {
  intended: number;
  phase: number;
  owed: number;
}

/** A conversation this group can send into, with its local members. */
interface SendTarget {
  id: string;
  owed: number;
  senders: LiveClient[];
}

/**
 * The clients of one worker process (or of the main thread): connects them, sends at a
 * fixed open-loop rate, and records acks and deliveries. Latency is always measured from
 * the intended send time, so a stalled server cannot hide queueing (no coordinated omission).
 */
export class ClientGroup {
  private readonly clients: LiveClient[];
  private readonly ledger: DeliveryLedger;
  private readonly random: () => number;
  private readonly targets: Record<ConversationKind, SendTarget[]>;
  private readonly pending = new Map<number, Pending>();
  private readonly owed: [number, number, number][] = [];
  private readonly errorCodes: Record<string, number> = {};
  private nextNumber = 0;
  private open = 0;
  private connecting = 0;
  private dropped = 0;
  private timedOut = 0;
  private totalExpected = 0;
  private interval = { sent: 0, acked: 0, errors: 0, maxLagMs: 0 };
  private intervalAck = newHistogram();
  private closing = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly plan: GroupPlan) {
    this.random = seededRandom(plan.seed);
    this.ledger = new DeliveryLedger(plan.runTag);
    this.clients = plan.clients.map((spec) => ({
      spec,
      userId: spec.userId,
      conversationIds: new Set(spec.conversations.map((c) => plan.conversations[c].id)),
      seen: new Set<number>(),
      lastSeq: new Map<string, number>(),
    }));
    this.targets = this.buildTargets();
    this.sweeper = setInterval(() => this.sweepTimeouts(), 1000);
  }

  private buildTargets(): Record<ConversationKind, SendTarget[]> {
    const byUser = new Map(this.clients.map((client) => [client.spec.index, client]));
    const targets: Record<ConversationKind, SendTarget[]> = {
      direct: [],
      g10: [],
      g20: [],
      g200: [],
    };
    for (const conversation of this.plan.conversations) {
      const senders = conversation.members.flatMap((m) => byUser.get(m) ?? []);
      if (senders.length === 0) continue;
      targets[conversation.kind].push({
        id: conversation.id,
        owed: conversation.members.length - 1,
        senders,
      });
    }
    return targets;
  }

  /** Opens every connection, `ratePerSecond` new ones per second, at most 256 in flight. */
  async connect(ratePerSecond: number, timeoutMs: number): Promise<ConnectResult> {
    const histogram = newHistogram();
    const failures: Record<string, number> = {};
    let failed = 0;
    const start = nowMs();
    let index = 0;
    const lanes = Array.from({ length: Math.min(256, this.clients.length) }, async () => {
      while (index < this.clients.length) {
        const client = this.clients[index];
        const due = start + (index * 1000) / ratePerSecond;
        index += 1;
        if (due > nowMs()) await sleep(due - nowMs());
        const began = nowMs();
        this.connecting += 1;
        try {
          client.connection = await openConnection(
            client.spec,
            {
              onMessage: (message: LoadMessage) => this.ledger.onMessage(client, message),
              onClose: () => this.onClose(client),
            },
            timeoutMs,
          );
          if (this.plan.bare) {
            await client.connection.join([...client.conversationIds]);
          }
          recordMs(histogram, nowMs() - began);
          this.open += 1;
        } catch (error) {
          failed += 1;
          const reason = (error as Error).message.slice(0, 60);
          failures[reason] = (failures[reason] ?? 0) + 1;
        } finally {
          this.connecting -= 1;
        }
      }
    });
    await Promise.all(lanes);
    return { connected: this.open, failed, histogram: encodeHistogram(histogram), failures };
  }

  private onClose(client: LiveClient): void {
    client.connection = undefined;
    this.open -= 1;
    if (!this.closing) this.dropped += 1;
  }

  /** Sends `rate` messages per second for `durationMs`, starting at `startAt` (epoch ms). */
  async runPhase(phase: number, rate: number, startAt: number, durationMs: number): Promise<void> {
    if (rate <= 0) return sleep(Math.max(0, startAt + durationMs - nowMs()));
    const recorder = this.ledger.phase(phase);
    const gap = 1000 / rate;
    const end = startAt + durationMs;
    let intended = startAt;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = nowMs();
        while (intended <= now && intended < end) {
          this.interval.maxLagMs = Math.max(this.interval.maxLagMs, now - intended);
          this.sendOne(phase, intended, recorder);
          intended += gap;
        }
        if (intended >= end) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, 1);
    });
  }

  private chooseTarget(): SendTarget | undefined {
    let roll = this.random();
    for (const kind of CONVERSATION_KINDS) {
      roll -= this.plan.mix[kind];
      if (roll <= 0 || kind === "g200") {
        const candidates = this.targets[kind].length > 0 ? this.targets[kind] : this.targets.direct;
        return candidates.length > 0 ? pick(this.random, candidates) : undefined;
      }
    }
    return undefined;
  }

  private sendOne(phase: number, intended: number, recorder: PhaseRecorder): void {
    const target = this.chooseTarget();
    const sender = target && pick(this.random, target.senders);
    if (!target || !sender?.connection || this.pending.size >= this.plan.maxInFlight) {
      recorder.skipped += 1;
      return;
    }
    const number = this.plan.groupId * 1_000_000_000 + ++this.nextNumber;
    const content = this.plan.contents[number % this.plan.contents.length];
    this.pending.set(number, { intended, phase, owed: target.owed });
    recorder.sent += 1;
    this.interval.sent += 1;
    const ack: AckCallback = (error) => this.onAck(number, error);
    sender.connection.send(
      {
        type: "message.send",
        conversation_id: target.id,
        content,
        client_msg_id: `${this.plan.runTag}-${number}`,
        metadata: { load: { r: this.plan.runTag, i: number, t: intended, p: phase } },
      },
      ack,
    );
  }

  private onAck(number: number, error: string | null): void {
    const pending = this.pending.get(number);
    if (!pending) return; // already timed out
    this.pending.delete(number);
    const recorder = this.ledger.phase(pending.phase);
    if (error) {
      recorder.errors += 1;
      this.interval.errors += 1;
      this.errorCodes[error] = (this.errorCodes[error] ?? 0) + 1;
      return;
    }
    const latency = nowMs() - pending.intended;
    recordMs(recorder.ack, latency);
    recordMs(this.intervalAck, latency);
    recorder.acked += 1;
    recorder.expected += pending.owed;
    this.interval.acked += 1;
    this.totalExpected += pending.owed;
    this.owed.push([number, pending.owed, pending.phase]);
  }

  private sweepTimeouts(): void {
    const limit = nowMs() - this.plan.ackTimeoutMs;
    for (const [number, pending] of this.pending) {
      if (pending.intended > limit) continue;
      this.pending.delete(number);
      this.timedOut += 1;
      this.onAckTimeout(pending);
    }
  }

  private onAckTimeout(pending: Pending): void {
    this.ledger.phase(pending.phase).errors += 1;
    this.errorCodes.ack_timeout = (this.errorCodes.ack_timeout ?? 0) + 1;
  }

  snapshot(): IntervalSnapshot {
    const { delivered, receiveHistogram } = this.ledger.takeInterval();
    const snapshot: IntervalSnapshot = {
      at: Date.now(),
      open: this.open,
      connecting: this.connecting,
      dropped: this.dropped,
      ...this.interval,
      delivered,
      ackHistogram: encodeHistogram(this.intervalAck),
      receiveHistogram,
      totalExpected: this.totalExpected,
      totalDelivered: this.ledger.totalDelivered,
      pending: this.pending.size,
      errorCodes: { ...this.errorCodes },
    };
    this.interval = { sent: 0, acked: 0, errors: 0, maxLagMs: 0 };
    this.intervalAck.reset();
    return snapshot;
  }

  /** Running totals, without taking the interval counters (drain checks). */
  totals(): Totals {
    return {
      open: this.open,
      dropped: this.dropped,
      totalExpected: this.totalExpected,
      totalDelivered: this.ledger.totalDelivered,
      pending: this.pending.size,
    };
  }

  phases(): PhaseStats[] {
    return [...this.ledger.phases.values()].map((recorder) => recorder.toStats());
  }

  final(): GroupFinal {
    return {
      phases: [...this.ledger.phases.values()].map((recorder) => recorder.toStats()),
      owed: this.owed,
      received: [...this.ledger.received],
      timedOut: this.timedOut,
      dropped: this.dropped,
      errorCodes: { ...this.errorCodes },
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    for (const client of this.clients) client.connection?.close();
    await sleep(50);
  }
}
