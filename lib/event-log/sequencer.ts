import type { SequencedEvent } from "../events/event-types";
import type { Logger } from "../logger";
import type { EventLog } from "./event-log";

export type SequencedListener = (events: SequencedEvent[]) => void;

/**
 * Announces numbered events, in position order, to this node's listeners (the realtime
 * fan-out, the relay, webhooks, push): the events it numbers itself (EventLog.numberPending)
 * and those the send statement numbered as it stored them (announce). Woken after every
 * local commit; a periodic sweep picks up events a crashed node left unnumbered.
 * Concurrent wakes coalesce into one more run, which is what batches a burst of changes.
 */
export class Sequencer {
  private readonly listeners: SequencedListener[] = [];
  private running: Promise<void> | undefined;
  private again = false;
  /** A commit woke us: there is work, no need to look first. */
  private known = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly logger: Logger,
    private readonly pollIntervalMs: number,
    private readonly batchSize = 1000,
  ) {}

  onSequenced(listener: SequencedListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.timer = setInterval(() => this.wake(false), this.pollIntervalMs);
    this.timer.unref();
    this.wake(false);
  }

  /** @param afterCommit a local commit just appended events (false for sweeps) */
  wake(afterCommit = true): void {
    this.known ||= afterCommit;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * Announces events numbered by the statement that stored them (message sends, see
   * positionsCte), like the sequencer's own batches, without a round trip.
   */
  announce(numbered: SequencedEvent[]): void {
    if (numbered.length > 0) this.publish(numbered);
  }

  /** Waits until everything committed so far has been numbered and announced. */
  async flush(): Promise<void> {
    await this.idle();
    this.wake(false);
    await this.idle();
  }

  /**
   * Resolves once no run is in progress. A method, not an inline loop: after one loop the
   * compiler narrows `this.running` to undefined and would take a second loop for dead code.
   */
  private async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        let batch: SequencedEvent[];
        do {
          const known = this.known;
          this.known = false;
          batch = await this.log.numberPending(this.batchSize, known);
          if (batch.length > 0) this.publish(batch);
        } while (batch.length === this.batchSize);
      } catch (error) {
        this.logger.warn("sequencer run failed; retrying on the next sweep", {
          error: (error as Error).message,
        });
        return;
      }
    } while (this.again);
  }

  private publish(batch: SequencedEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch (error) {
        this.logger.error("sequenced-event listener failed", { error: (error as Error).stack });
      }
    }
  }
}
