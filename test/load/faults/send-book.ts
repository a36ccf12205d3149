import type { LoadConnection, LoadMessage } from "../clients";
import { encodeHistogram, Histogram, newHistogram, recordMs } from "../histogram";
import { nowMs } from "../random";

/** One message a client means to send, through every attempt until it is acknowledged. */
export interface SendRecord {
  number: number;
  client: number;
  conversationId: string;
  clientMsgId: string;
  content: string;
  /** Intended send time (epoch ms): latency counts from here (open loop). */
  intended: number;
  /** The fault window it was intended in. */
  phase: number;
  attempts: number;
  /** The attempt in flight (0: none; queued while its client is away, or waiting to retry). */
  inFlight: number;
  sentAt: number;
  /** The first attempt's first answer: its latency and error code, if any. */
  firstAnswerMs?: number;
  firstError?: string;
  errors: Record<string, number>;
  /** Attempts left unanswered past the bound (each resent). */
  hung: number;
  ackedAt?: number;
  seq?: number;
  messageId?: string;
  /** A later ack named another message: the server stored it twice. */
  conflicting?: boolean;
  /** A refusal that retrying cannot fix (validation, not found…). */
  failed?: string;
}

/** Codes a client fixes by waiting, not by changing the request. */
const RETRYABLE = new Set(["unavailable", "rate_limited", "internal", "error"]);

/**
 * The sends of one group, like a real app's outbox: a message whose client is away waits
 * for it to reconnect; one whose connection dropped before its ack, one answered with a
 * retryable error (after the server's `retry_after`) and one left unanswered past
 * `ackBoundMs` are sent again with the same `client_msg_id`, so the server stores it once.
 */
export class SendBook {
  readonly records = new Map<number, SendRecord>();
  readonly errorCodes: Record<string, number> = {};
  readonly ackByPhase = new Map<number, Histogram>();
  readonly intervalAck = newHistogram();
  interval = { sent: 0, acked: 0, errors: 0 };
  private readonly waiting = new Map<number, Set<SendRecord>>();
  private readonly retries = new Map<number, NodeJS.Timeout>();
  private unacked = 0;

  constructor(
    private readonly runTag: string,
    private readonly connectionOf: (client: number) => LoadConnection | undefined,
    private readonly ackBoundMs: number,
    /** Whether a client's ack latencies count (not a probe's: it was held away on purpose). */
    private readonly timed: (client: number) => boolean = () => true,
  ) {}

  get pending(): number {
    return this.unacked;
  }

  add(record: SendRecord): void {
    this.records.set(record.number, record);
    this.unacked += 1;
    this.interval.sent += 1;
    this.transmit(record);
  }

  /** Sends now when the client is connected, else keeps it for the reconnect. */
  transmit(record: SendRecord): void {
    clearTimeout(this.retries.get(record.number));
    this.retries.delete(record.number);
    if (record.ackedAt !== undefined || record.failed) return;
    const connection = this.connectionOf(record.client);
    this.waitingOf(record.client).add(record);
    if (!connection) {
      record.inFlight = 0;
      return;
    }
    const attempt = ++record.attempts;
    record.inFlight = attempt;
    record.sentAt = nowMs();
    const load = { r: this.runTag, i: record.number, t: record.intended, p: record.phase };
    // A probe's send waited for the probe to be released: its latencies are not the service's.
    if (!this.timed(record.client)) Object.assign(load, { x: 1 });
    const frame = {
      type: "message.send",
      conversation_id: record.conversationId,
      content: record.content,
      client_msg_id: record.clientMsgId,
      metadata: { load },
    };
    connection.send(frame, (error, message, retryAfterS) =>
      this.onAnswer(record, attempt, error, message, retryAfterS),
    );
  }

  /** The client's connection dropped: what it had in flight goes again after the reconnect. */
  onDropped(client: number): void {
    for (const record of this.waitingOf(client)) record.inFlight = 0;
  }

  onConnected(client: number): void {
    for (const record of [...this.waitingOf(client)]) {
      if (record.inFlight === 0 && !this.retries.has(record.number)) this.transmit(record);
    }
  }

  /** Resends attempts unanswered past the bound (counted: a send must never hang). */
  sweep(): void {
    const limit = nowMs() - this.ackBoundMs;
    for (const set of this.waiting.values()) {
      for (const record of set) {
        if (record.inFlight === 0 || record.sentAt > limit) continue;
        record.hung += 1;
        this.count("no_answer");
        this.transmit(record);
      }
    }
  }

  private onAnswer(
    record: SendRecord,
    attempt: number,
    error: string | null,
    message: LoadMessage | undefined,
    retryAfterS: number | undefined,
  ): void {
    if (error === "closed") return; // the drop handler resends it
    if (attempt === 1 && record.firstAnswerMs === undefined) {
      record.firstAnswerMs = nowMs() - record.sentAt;
      if (error) record.firstError = error;
    }
    if (record.ackedAt !== undefined) {
      if (message && message.id !== record.messageId) record.conflicting = true;
      return;
    }
    if (error) return this.onError(record, attempt, error, retryAfterS);
    const now = nowMs();
    record.ackedAt = now;
    record.seq = message?.seq;
    record.messageId = message?.id;
    record.inFlight = 0;
    this.waitingOf(record.client).delete(record);
    this.unacked -= 1;
    this.interval.acked += 1;
    if (!this.timed(record.client)) return;
    let histogram = this.ackByPhase.get(record.phase);
    if (!histogram) this.ackByPhase.set(record.phase, (histogram = newHistogram()));
    recordMs(histogram, now - record.intended);
    recordMs(this.intervalAck, now - record.intended);
  }

  private onError(
    record: SendRecord,
    attempt: number,
    error: string,
    retryAfterS: number | undefined,
  ): void {
    record.errors[error] = (record.errors[error] ?? 0) + 1;
    this.count(error);
    if (record.inFlight !== attempt) return; // an older attempt; a newer one is out
    record.inFlight = 0;
    if (!RETRYABLE.has(error)) {
      record.failed = error;
      this.waitingOf(record.client).delete(record);
      this.unacked -= 1;
      return;
    }
    const waitMs = (retryAfterS ?? 1) * 1000 * (0.5 + Math.random());
    this.retries.set(
      record.number,
      setTimeout(() => this.transmit(record), waitMs),
    );
  }

  private count(code: string): void {
    this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
    this.interval.errors += 1;
  }

  private waitingOf(client: number): Set<SendRecord> {
    let set = this.waiting.get(client);
    if (!set) this.waiting.set(client, (set = new Set()));
    return set;
  }

  /** Stops the pending retries (the run is over). */
  close(): void {
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  takeInterval(): { sent: number; acked: number; errors: number; ackHistogram: string } {
    const result = { ...this.interval, ackHistogram: encodeHistogram(this.intervalAck) };
    this.interval = { sent: 0, acked: 0, errors: 0 };
    this.intervalAck.reset();
    return result;
  }
}
