import type { Logger } from "../../logger";
import { ArrivalRate } from "./arrival-rate";
import type { SendStage } from "../../metrics";
import type { SequencedEvent } from "../../events/event-types";
import type {
  MessageBatchStore,
  MessageDraft,
  StoredBatch,
  StoredMessage,
} from "../../store/message-batch-store";
import { DeadlockError } from "../../store/store-errors";

/** A draft's fate: stored, or refused by one of the store's checks (the caller asks why). */
export type BatchOutcome = { stored: StoredMessage } | { refused: true };

interface Waiting {
  draft: MessageDraft;
  queuedAt: number;
  resolve(outcome: BatchOutcome): void;
  reject(error: unknown): void;
}

export interface SendBatcherOptions {
  /**
   * Lanes; a conversation always uses the same one, and each lane has at most one
   * statement in flight. Lanes share no conversation locks, but every statement numbers
   * its events under the event log's one lock, so one lane (bigger batches) does best.
   * @default 1
   */
  lanes?: number;
  /** Drafts per statement at most. @default 200 */
  maxBatch?: number;
  /**
   * Under load, the shortest time between the starts of two statements of a lane, so each
   * stores more messages (a statement's fixed cost is several messages' worth of database
   * CPU): while sends arrive at `gatherRate` per second or more, a lane with fewer than
   * `gatherBatch` drafts waiting starts its next statement this long after the last one
   * started. Below that rate sends go at once. 0 turns it off. @default 0
   */
  gatherMs?: number;
  /**
   * Admits one draft of `senderId` (the per-user message rate limit); throws to refuse it
   * with that error. Called for every draft of a statement in one turn of the event loop,
   * so a shared limit's counts go to Redis in one pipeline per statement, not one round
   * trip per message.
   */
  admit?: (senderId: string) => Promise<unknown>;
  /** Sends per second (per lane) from which gathering applies. @default 250 */
  gatherRate?: number;
  /** Drafts that start a statement without waiting out `gatherMs`. @default 10 */
  gatherBatch?: number;
  logger: Logger;
  /** Observes each draft's wait for a statement and the statement's time (seconds). */
  timings?: { sendStage(stage: Exclude<SendStage, "admission">, seconds: number): void };
}

const MAX_DEADLOCK_RETRIES = 5;

/** The lane of a conversation: a cheap stable hash of its id. */
function laneOf(conversationId: string, lanes: number): number {
  let hash = 0;
  for (let i = conversationId.length - 12; i < conversationId.length; i += 1) {
    hash = (hash * 31 + conversationId.charCodeAt(i)) | 0;
  }
  return Math.abs(hash) % lanes;
}

/**
 * Groups concurrent sends into one statement per lane ("natural batching"): a send that
 * finds its lane idle goes at once, alone; sends that arrive while the lane's statement
 * runs go together in the next one. So a quiet node adds no latency and a busy one does
 * one round trip and one commit for many messages. Under load a lane also waits up to
 * `gatherMs` between statements for more (see SendBatcherOptions.gatherMs). Two drafts with
 * the same idempotency key never share a statement: the later one waits for the next,
 * where it finds the first.
 */
export class SendBatcher {
  private readonly queues: Waiting[][];
  private readonly busy: boolean[];
  private readonly maxBatch: number;
  private readonly lastStart: number[];
  private readonly gatherTimers: (NodeJS.Timeout | undefined)[];
  private readonly rates: ArrivalRate[];

  constructor(
    private readonly store: Pick<MessageBatchStore, "insertBatch">,
    /** The numbered events of a statement that stored something, after its commit. */
    private readonly onCommitted: (events: SequencedEvent[]) => void,
    private readonly options: SendBatcherOptions,
  ) {
    const lanes = Math.max(1, options.lanes ?? 1);
    this.queues = Array.from({ length: lanes }, () => []);
    this.busy = Array.from({ length: lanes }, () => false);
    this.maxBatch = Math.max(1, options.maxBatch ?? 200);
    // No statement yet: nothing to gather after (performance.now() counts from process start,
    // so 0 would make a node's first sends wait out gatherMs while the process is young).
    this.lastStart = Array.from({ length: lanes }, () => -Infinity);
    this.gatherTimers = Array.from({ length: lanes }, () => undefined);
    this.rates = Array.from({ length: lanes }, () => new ArrivalRate());
  }

  submit(draft: MessageDraft): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      const lane = laneOf(draft.conversationId, this.queues.length);
      const now = performance.now();
      this.rates[lane].note(now);
      this.queues[lane].push({ draft, queuedAt: now, resolve, reject });
      this.pump(lane);
    });
  }

  private pump(lane: number): void {
    if (this.busy[lane] || this.queues[lane].length === 0) return;
    const wait = this.gatherWait(lane);
    if (wait > 0) {
      this.gatherTimers[lane] ??= setTimeout(() => {
        this.gatherTimers[lane] = undefined;
        this.pump(lane);
      }, wait);
      return;
    }
    clearTimeout(this.gatherTimers[lane]);
    this.gatherTimers[lane] = undefined;
    this.busy[lane] = true;
    this.lastStart[lane] = performance.now();
    const batch = this.take(lane);
    void this.admitted(batch)
      .then((admitted) => (admitted.length > 0 ? this.run(admitted) : undefined))
      .finally(() => {
        this.busy[lane] = false;
        this.pump(lane);
      });
  }

  /** How long the lane should still gather before its next statement (0: go now). */
  private gatherWait(lane: number): number {
    const gatherMs = this.options.gatherMs ?? 0;
    if (gatherMs <= 0 || this.queues[lane].length >= (this.options.gatherBatch ?? 10)) return 0;
    const now = performance.now();
    if (this.rates[lane].perSecond(now) < (this.options.gatherRate ?? 250)) return 0;
    return this.lastStart[lane] + gatherMs - now;
  }

  /** Up to maxBatch waiting drafts, at most one per idempotency key; the rest keep their place. */
  private take(lane: number): Waiting[] {
    const queue = this.queues[lane];
    const keys = new Set<string>();
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const waiting of queue) {
      const { senderId, clientMsgId } = waiting.draft;
      const key = clientMsgId === null ? null : `${senderId}\n${clientMsgId}`;
      if (batch.length >= this.maxBatch || (key !== null && keys.has(key))) {
        rest.push(waiting);
        continue;
      }
      if (key !== null) keys.add(key);
      batch.push(waiting);
    }
    this.queues[lane] = rest;
    return batch;
  }

  /** The drafts the admission lets through; the others are answered with its refusal. */
  private async admitted(batch: Waiting[]): Promise<Waiting[]> {
    const admit = this.options.admit;
    if (!admit) return batch;
    const verdicts = await Promise.allSettled(
      batch.map((waiting) => admit(waiting.draft.senderId)),
    );
    return batch.filter((waiting, i) => {
      const verdict = verdicts[i];
      if (verdict.status === "fulfilled") return true;
      waiting.reject(verdict.reason);
      return false;
    });
  }

  private async run(batch: Waiting[]): Promise<void> {
    const started = performance.now();
    for (const waiting of batch) {
      this.options.timings?.sendStage("queue", (started - waiting.queuedAt) / 1000);
    }
    try {
      const stored = await this.insert(batch.map((waiting) => waiting.draft));
      const seconds = (performance.now() - started) / 1000;
      for (let i = 0; i < batch.length; i += 1) this.options.timings?.sendStage("store", seconds);
      this.settle(batch, stored.messages);
      if (stored.events.length > 0) this.onCommitted(stored.events);
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // One bad draft (a key another node just used, a file deleted meanwhile) must not
      // fail its neighbours: each goes again on its own and gets its own answer.
      this.options.logger.debug("send batch failed; retrying one by one", {
        size: batch.length,
        error: (error as Error).message,
      });
      await Promise.all(batch.map((waiting) => this.run([waiting])));
    }
  }

  private settle(batch: Waiting[], stored: Map<string, StoredMessage>): void {
    for (const waiting of batch) {
      const row = stored.get(waiting.draft.id);
      waiting.resolve(row ? { stored: row } : { refused: true });
    }
  }

  /** One statement; a deadlock with another node's batch is retried. */
  private async insert(drafts: MessageDraft[]): Promise<StoredBatch> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const stored = await this.store.insertBatch(drafts);
        return stored;
      } catch (error) {
        if (!(error instanceof DeadlockError) || attempt >= MAX_DEADLOCK_RETRIES) throw error;
      }
    }
  }
}
