import type { SequencedEvent } from "../events/event-types";
import type { Logger } from "../logger";
import type { OutboxRepository } from "../store/outbox-repository";

/** The part of the outbox the stream reads to heal gaps. */
export type EventLogReader = Pick<OutboxRepository, "head" | "range">;

/**
 * Turns batches that arrive in any order, twice, or not at all (local sequencer, other
 * nodes through Redis) into one gapless, duplicate-free stream in position order. A batch
 * that starts past the next expected position is held while the gap is read from the
 * database; a periodic look at the log's head heals batches that never arrived (a Redis
 * outage): a head seen one interval ago and still not reached is filled from the database,
 * which gives in-flight batches that interval to arrive first.
 */
export class OrderedEventStream {
  private lastPosition = 0;
  private started = false;
  private readonly held = new Map<number, SequencedEvent>();
  private fillTarget = 0;
  private filling: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private headSeenLastTick = 0;

  constructor(
    private readonly log: EventLogReader,
    private readonly deliver: (event: SequencedEvent) => void,
    private readonly logger: Logger,
    /** 0 turns the periodic head check off (a single node loses no batches). */
    private readonly pollIntervalMs: number,
    private readonly pageSize = 1000,
    /**
     * How long a gap may wait for its batch before it is read from the database: batches
     * of concurrent statements and of other nodes often arrive a moment out of order.
     */
    private readonly gapGraceMs = 20,
  ) {}

  /** The newest position delivered in order on this node. */
  get position(): number {
    return this.lastPosition;
  }

  /** Starts after the log's current head: earlier events had no live listener here. */
  async start(): Promise<void> {
    this.lastPosition = await this.log.head();
    this.headSeenLastTick = this.lastPosition;
    this.started = true;
    for (const position of this.held.keys()) {
      if (position <= this.lastPosition) this.held.delete(position);
    }
    this.drain();
    if (this.pollIntervalMs > 0) {
      this.timer = setInterval(() => void this.poll(), this.pollIntervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.gapTimer);
    this.started = false;
    await this.filling?.catch(() => undefined);
  }

  /** Accepts a batch from anywhere; delivers what is next, holds and heals the rest. */
  receive(batch: SequencedEvent[]): void {
    for (const event of batch) {
      if (event.position > this.lastPosition) this.held.set(event.position, event);
    }
    if (!this.started) return;
    this.drain();
    if (this.held.size > 0) this.fillSoon();
  }

  /** Reads the gap before the held events unless their missing batch shows up first. */
  private fillSoon(): void {
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.started && this.held.size > 0) this.fill(Math.min(...this.held.keys()) - 1);
    }, this.gapGraceMs);
    this.gapTimer.unref();
  }

  private drain(): void {
    let next = this.held.get(this.lastPosition + 1);
    while (next) {
      this.held.delete(next.position);
      this.lastPosition = next.position;
      try {
        this.deliver(next);
      } catch (error) {
        this.logger.error("realtime delivery failed", { error: (error as Error).stack });
      }
      next = this.held.get(this.lastPosition + 1);
    }
  }

  /** Reads (lastPosition, to] from the database; one reader at a time, targets merge. */
  private fill(to: number): void {
    this.fillTarget = Math.max(this.fillTarget, to);
    if (this.filling || this.fillTarget <= this.lastPosition) return;
    this.filling = this.readGap().finally(() => {
      this.filling = undefined;
    });
  }

  private async readGap(): Promise<void> {
    try {
      while (this.started && this.fillTarget > this.lastPosition) {
        const upTo = Math.min(this.fillTarget, this.lastPosition + this.pageSize);
        const events = await this.log.range(this.lastPosition, upTo);
        for (const event of events) {
          if (event.position > this.lastPosition) this.held.set(event.position, event);
        }
        const before = this.lastPosition;
        this.drain();
        if (this.lastPosition === before) break;
      }
    } catch (error) {
      this.logger.warn("could not read missed events; retrying on the next poll", {
        error: (error as Error).message,
      });
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.started) return;
    this.polling = true;
    try {
      if (this.headSeenLastTick > this.lastPosition) this.fill(this.headSeenLastTick);
      else if (this.held.size > 0) this.fill(Math.min(...this.held.keys()) - 1);
      this.headSeenLastTick = await this.log.head();
    } catch (error) {
      this.logger.warn("event log head check failed", { error: (error as Error).message });
    } finally {
      this.polling = false;
    }
  }
}
