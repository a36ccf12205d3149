import { EventBus, PublishError } from "../events/event-bus";
import type { EventMetrics } from "../events/event-metrics";
import type { PublishedEvent } from "../events/event-types";
import type { Logger } from "../logger";
import type { RelayCursor } from "./relay-cursor-repository";

export interface OutboxRelayOptions {
  cursor: RelayCursor;
  bus: EventBus;
  logger: Logger;
  metrics?: EventMetrics;
  /** This node's name on the relay lease. */
  nodeId: string;
  /** Sweep period: picks up events other nodes numbered, and an expired lease. */
  pollIntervalMs: number;
  /** How long the relay lease stays this node's (keep well below the dedupe window). */
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
}

/**
 * Publishes committed events from the outbox to the event bus, on every node. Woken by the
 * sequencer's batches and by a periodic sweep, it takes the relay lease and the events
 * after the published cursor (see RelayCursorRepository.claim), publishes them outside any
 * transaction, and moves the cursor only past what the broker acknowledged. While the
 * broker is away it retries with exponential backoff; a republish after a crash is dropped
 * by JetStream's duplicate window (Nats-Msg-Id = event id).
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
      await this.idle();
      if (this.retryTimer) return;
      this.wake();
      await this.idle();
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
    await this.idle();
  }

  /**
   * Resolves once no run is in progress. A method, not an inline loop: after one loop the
   * compiler narrows `this.running` to undefined and would take a second loop for dead code.
   */
  private async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      let batch: PublishedEvent[];
      do {
        await this.gather();
        try {
          batch = await this.options.cursor.claim(
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
  private async publishBatch(batch: PublishedEvent[]): Promise<boolean> {
    const { cursor, bus, metrics, nodeId } = this.options;
    try {
      await bus.publish(batch);
      await cursor.markPublished(nodeId, batch[batch.length - 1].position);
      metrics?.eventsPublished.inc(batch.length);
      this.backoffMs = 0;
      return true;
    } catch (error) {
      metrics?.publishFailures.inc();
      // The cursor moves past the acknowledged prefix only; the rest goes again (a broker
      // that did take some of it drops the repeats by their ids). Any other failure (the
      // database, a bus that fails after publishing) leaves the lease to expire, as a crash would.
      if (error instanceof PublishError) {
        const acked = new Set(error.published);
        const missing = batch.findIndex((event) => !acked.has(event.id));
        const prefix = missing === -1 ? batch.length : missing;
        const through = prefix === 0 ? null : batch[prefix - 1].position;
        await cursor.markPublished(nodeId, through).catch(() => undefined);
        metrics?.eventsPublished.inc(acked.size);
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
