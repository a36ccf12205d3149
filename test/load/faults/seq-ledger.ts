import type { LoadMessage } from "../clients";
import { encodeHistogram, Histogram, newHistogram, recordMs } from "../histogram";
import { nowMs } from "../random";

/** One member's view of one conversation: the seqs it received, in arrival order. */
export type Receipts = [client: number, conversationId: string, seqs: number[]];

/** Deliveries of one fault window (phase), counted as they arrive. */
export interface PhaseDeliveries {
  phase: number;
  live: number;
  replayed: number;
  receiveHistogram: string;
  /** Replayed messages: from the resumed connection's `ready` to their arrival. */
  resumeLagHistogram: string;
}

/**
 * Every `message.new` a group's clients received, per member and conversation by `seq`,
 * across all their connections: what the end-of-run check compares with the database
 * (each member owes every seq of its conversations exactly once, in order), plus the
 * receive latency (from the message's intended send time) per fault window, and how many
 * came live and how many with a resume's replay.
 */
export class SeqLedger {
  private readonly receipts = new Map<number, Map<string, { seqs: number[]; newest: number }>>();
  private readonly phases = new Map<
    number,
    { live: number; replayed: number; receive: Histogram; resumeLag: Histogram }
  >();
  intervalDelivered = 0;
  totalDelivered = 0;
  intervalReceive: Histogram = newHistogram();

  constructor(private readonly runTag: string) {}

  /**
   * `resumeLagMs`: set for a message a resume replayed. `timed`: count the receive latency
   * (not for a probe, whose latency includes the time it was held away).
   */
  record(client: number, message: LoadMessage, resumeLagMs: number | null, timed: boolean): void {
    const load = message.metadata?.load;
    if (!load || load.r !== this.runTag) return;
    let byConversation = this.receipts.get(client);
    if (!byConversation) this.receipts.set(client, (byConversation = new Map()));
    const entry = byConversation.get(message.conversation_id);
    if (!entry)
      byConversation.set(message.conversation_id, { seqs: [message.seq], newest: message.seq });
    else {
      entry.seqs.push(message.seq);
      entry.newest = Math.max(entry.newest, message.seq);
    }
    const phase = this.phase(load.p);
    if (resumeLagMs === null) phase.live += 1;
    else {
      phase.replayed += 1;
      recordMs(phase.resumeLag, resumeLagMs);
    }
    if (timed && !load.x) {
      const latency = nowMs() - load.t;
      recordMs(phase.receive, latency);
      recordMs(this.intervalReceive, latency);
    }
    this.intervalDelivered += 1;
    this.totalDelivered += 1;
  }

  private phase(phase: number) {
    let entry = this.phases.get(phase);
    if (!entry) {
      entry = { live: 0, replayed: 0, receive: newHistogram(), resumeLag: newHistogram() };
      this.phases.set(phase, entry);
    }
    return entry;
  }

  /** The newest seq this member received of this conversation (0: none yet). */
  newest(client: number, conversationId: string): number {
    return this.receipts.get(client)?.get(conversationId)?.newest ?? 0;
  }

  /** The deliveries since the last call, and their receive latencies. */
  takeInterval(): { delivered: number; receiveHistogram: string } {
    const receiveHistogram = encodeHistogram(this.intervalReceive);
    const delivered = this.intervalDelivered;
    [this.intervalDelivered, this.intervalReceive] = [0, newHistogram()];
    return { delivered, receiveHistogram };
  }

  export(): { receipts: Receipts[]; phases: PhaseDeliveries[] } {
    const receipts: Receipts[] = [];
    for (const [client, byConversation] of this.receipts) {
      for (const [conversationId, { seqs }] of byConversation) {
        receipts.push([client, conversationId, seqs]);
      }
    }
    const phases = [...this.phases].map(([phase, entry]) => ({
      phase,
      live: entry.live,
      replayed: entry.replayed,
      receiveHistogram: encodeHistogram(entry.receive),
      resumeLagHistogram: encodeHistogram(entry.resumeLag),
    }));
    return { receipts, phases };
  }
}
