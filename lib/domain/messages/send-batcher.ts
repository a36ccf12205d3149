import type { Logger } from "../../logger";
import type { SendStage } from "../../metrics";
import type { SequencedEvent } from "../../events/event-types";
import type {
  MessageBatchStore,
  MessageDraft,
  StoredBatch,
  StoredMessage,
} from "../../store/message-batch-store";

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
  logger: Logger;
  /** Observes each draft's wait for a statement and the statement's time (seconds). */
  timings?: { sendStage(stage: Exclude<SendStage, "admission">, seconds: number): void };
}

const DEADLOCK = "40P01";
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
 * one round trip and one commit for many messages. Two drafts with the same idempotency
 * key never share a statement: the later one waits for the next, where it finds the first.
 */
export class SendBatcher {
  private readonly queues: Waiting[][];
  private readonly busy: boolean[];
  private readonly maxBatch: number;

  constructor(
    private readonly store: MessageBatchStore,
    /** The numbered events of a statement that stored something, after its commit. */
    private readonly onCommitted: (events: SequencedEvent[]) => void,
    private readonly options: SendBatcherOptions,
  ) {
    const lanes = Math.max(1, options.lanes ?? 1);
    this.queues = Array.from({ length: lanes }, () => []);
    this.busy = Array.from({ length: lanes }, () => false);
    this.maxBatch = Math.max(1, options.maxBatch ?? 200);
  }

  submit(draft: MessageDraft): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      const lane = laneOf(draft.conversationId, this.queues.length);
      this.queues[lane].push({ draft, queuedAt: performance.now(), resolve, reject });
      this.pump(lane);
    });
  }

  private pump(lane: number): void {
    if (this.busy[lane] || this.queues[lane].length === 0) return;
    this.busy[lane] = true;
    const batch = this.take(lane);
    void this.run(batch).finally(() => {
      this.busy[lane] = false;
      this.pump(lane);
    });
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
        const code = (error as { code?: string }).code;
        if (code !== DEADLOCK || attempt >= MAX_DEADLOCK_RETRIES) throw error;
      }
    }
  }
}
