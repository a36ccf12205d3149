import type { Logger } from "../logger";
import type { OutboxRepository } from "../store/outbox-repository";
import { EventBus, PublishError } from "./event-bus";
import type { SequencedEvent } from "./event-types";
import type { EventMetrics } from "./event-metrics";

export interface OutboxRelayOptions {
  outbox: OutboxRepository;
  bus: EventBus;
  logger: Logger;
  metrics?: EventMetrics;
  /** This node's name on its claims. */
  nodeId: string;
  /** Sweep period: picks up events other nodes numbered, and expired claims. */
  pollIntervalMs: number;
  /** How long a claimed batch stays reserved for this node (keep well below the dedupe window). */
  leaseMs: number;
  /**
   * Shortest time between two claims: events committed meanwhile wait for the next claim,
   * so a busy node claims many sends' events per round trip instead of one batch's. @default 0
   */
  gatherMs?: number;
  /** @default 500 */
  batchSize?: number;
  /** Longest wait between retries while the broker is away. @default 30000 */
  maxBackoffMs?: number;
  /**
   * Test hook run after the broker acknowledged a batch and before it is marked published;
   * a throw simulates a crash at the worst moment (claims are left to expire).
   */
  afterPublish?: (events: SequencedEvent[]) => void | Promise<void>;
}

/**
 * Publishes committed events from the outbox to the event bus, on every node. Woken by the
 * sequencer's batches and by a periodic sweep, it claims the oldest unpublished events
 * (see OutboxRepository.claimUnpublished), publishes them outside any transaction, and marks
 * them published only after the broker acknowledged them. While the broker is away it
 * retries with exponential backoff; a republish after a crash is dropped by JetStream's
 * duplicate window (Nats-Msg-Id = event id).
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = 0;
  private lastClaimAt = 0;
  private stopped = false;
  private readonly batchSize: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Runs soon; coalesces with a run in progress; waits out a backoff. */
  wake(): void {
    if (this.stopped || this.retryTimer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * Publishes what is waiting now (shutdown), giving up at the first failure or after
   * `timeoutMs`: what remains is published by another node or after the next start.
   */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const attempt = async (): Promise<void> => {
      while (this.running) await this.running;
      if (this.retryTimer) return;
      this.wake();
      while (this.running) await this.running;
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      attempt(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      }),
    ]).finally(() => clearTimeout(timer));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      let batch: SequencedEvent[];
      do {
        await this.gather();
        try {
          batch = await this.options.outbox.claimUnpublished(
            this.options.nodeId,
            this.batchSize,
            this.options.leaseMs,
          );
        } catch (error) {
          this.options.logger.warn("outbox claim failed; retrying on the next sweep", {
            error: (error as Error).message,
          });
          return;
        }
        if (batch.length === 0) break;
        if (!(await this.publishBatch(batch))) return;
      } while (batch.length === this.batchSize && !this.stopped);
    } while (this.again && !this.stopped);
  }

  /** Waits out the rest of `gatherMs` since the last claim (none when idle for that long). */
  private async gather(): Promise<void> {
    const wait = this.lastClaimAt + (this.options.gatherMs ?? 0) - Date.now();
    if (wait > 0 && !this.stopped) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastClaimAt = Date.now();
  }

  /** @returns false when the batch failed and a retry was scheduled */
  private async publishBatch(batch: SequencedEvent[]): Promise<boolean> {
    const { outbox, bus, metrics } = this.options;
    try {
      await bus.publish(batch);
      await this.options.afterPublish?.(batch);
      await outbox.markPublished(batch.map((event) => event.id));
      metrics?.eventsPublished.inc(batch.length);
      this.backoffMs = 0;
      return true;
    } catch (error) {
      metrics?.publishFailures.inc();
      if (error instanceof PublishError) {
        const acked = new Set(error.published);
        await outbox.markPublished(error.published).catch(() => undefined);
        metrics?.eventsPublished.inc(acked.size);
        const rest = batch.filter((event) => !acked.has(event.id)).map((event) => event.id);
        await outbox.releaseClaims(this.options.nodeId, rest).catch(() => undefined);
      }
      this.scheduleRetry(error as Error);
      return false;
    }
  }

  private scheduleRetry(error: Error): void {
    this.backoffMs = Math.min(
      this.options.maxBackoffMs ?? 30_000,
      this.backoffMs === 0 ? 250 : this.backoffMs * 2,
    );
    this.options.logger.warn("publishing events failed; retrying", {
      error: error.message,
      retry_in_ms: this.backoffMs,
    });
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, this.backoffMs);
    this.retryTimer.unref();
  }
}
