import { newHistogram, recordMs, encodeHistogram, Histogram } from "./histogram";
import type { LoadMessage } from "./clients";
import type { PhaseStats } from "./types";
import { nowMs } from "./random";

/** Per-phase counters and histograms. */
export class PhaseRecorder {
  sent = 0;
  acked = 0;
  errors = 0;
  skipped = 0;
  delivered = 0;
  duplicates = 0;
  reordered = 0;
  echoes = 0;
  unexpected = 0;
  expected = 0;
  readonly ack = newHistogram();
  readonly receive = newHistogram();

  constructor(readonly phase: number) {}

  toStats(): PhaseStats {
    const { ack, receive, ...counters } = this;
    return {
      ...counters,
      ackHistogram: encodeHistogram(ack),
      receiveHistogram: encodeHistogram(receive),
    };
  }
}

/** What one receiving client remembers: message numbers seen and the last seq per conversation. */
export interface ReceiverState {
  userId: string;
  conversationIds: Set<string>;
  seen: Set<number>;
  lastSeq: Map<string, number>;
}

/**
 * Everything the group counts about deliveries: duplicates, reordering (per conversation
 * by seq), deliveries to non-members, latency from the intended send time.
 */
export class DeliveryLedger {
  readonly phases = new Map<number, PhaseRecorder>();
  /** message number → unique deliveries to this group's clients. */
  readonly received = new Map<number, number>();
  intervalDelivered = 0;
  totalDelivered = 0;
  intervalReceive: Histogram = newHistogram();

  constructor(private readonly runTag: string) {}

  phase(phase: number): PhaseRecorder {
    let recorder = this.phases.get(phase);
    if (!recorder) this.phases.set(phase, (recorder = new PhaseRecorder(phase)));
    return recorder;
  }

  onMessage(receiver: ReceiverState, message: LoadMessage): void {
    const load = message.metadata?.load;
    if (!load || load.r !== this.runTag) return;
    const latency = nowMs() - load.t;
    const recorder = this.phase(load.p);
    if (message.sender_id === receiver.userId) {
      recorder.echoes += 1;
      return;
    }
    if (receiver.seen.has(load.i)) {
      recorder.duplicates += 1;
      return;
    }
    receiver.seen.add(load.i);
    if (!receiver.conversationIds.has(message.conversation_id)) recorder.unexpected += 1;
    const last = receiver.lastSeq.get(message.conversation_id) ?? 0;
    if (message.seq < last) recorder.reordered += 1;
    else receiver.lastSeq.set(message.conversation_id, message.seq);
    recorder.delivered += 1;
    recordMs(recorder.receive, latency);
    recordMs(this.intervalReceive, latency);
    this.intervalDelivered += 1;
    this.totalDelivered += 1;
    this.received.set(load.i, (this.received.get(load.i) ?? 0) + 1);
  }

  takeInterval(): { delivered: number; receiveHistogram: string } {
    const result = {
      delivered: this.intervalDelivered,
      receiveHistogram: encodeHistogram(this.intervalReceive),
    };
    this.intervalDelivered = 0;
    this.intervalReceive.reset();
    return result;
  }
}
