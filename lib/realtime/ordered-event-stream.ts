import type { SequencedEvent } from "../events/event-types";
import type { Logger } from "../logger";
import type { EventLogReader } from "../event-log/event-log";

/** The part of the event log the stream reads to heal gaps. */
export type GapReader = Pick<EventLogReader, "head" | "range">;

/**
 * A batch as it reaches a node: its events, and the position of the last event routed to
 * this node before it (`prev`). A node that hears every event gets `prev` = first position
 * − 1; a node that hears only its users' events gets the previous batch routed to it, so
 * silence is not mistaken for loss. `through` (≥ the last event) is how far this batch
 * accounts for the log on this node's behalf.
 */
export interface RoutedBatch {
  prev: number;
  through: number;
  events: SequencedEvent[];
}

/** A batch of every event (a lone node's own sequencer): accounts for every position. */
export function contiguousBatch(events: SequencedEvent[]): RoutedBatch {
  return {
    prev: events[0].position - 1,
    through: events[events.length - 1].position,
    events,
  };
}

/**
 * Turns batches that arrive in any order, twice, or not at all into one duplicate-free
 * stream in position order. A batch whose `prev` is past this node's position is held
 * while the gap is read from the database (after a short grace: concurrent batches often
 * arrive a moment out of order); a periodic look at how far the log was routed to this node
 * (`target`: the log's head for a node that hears everything) heals batches that never
 * arrived at all: a target seen one interval ago and still not reached is filled from the
 * database, which gives in-flight batches that interval to arrive first.
 */
export class OrderedEventStream {
  private lastPosition = 0;
  private started = false;
  private held: RoutedBatch[] = [];
  private fillTarget = 0;
  private filling: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private targetSeenLastTick = 0;

  constructor(
    private readonly log: GapReader,
    private readonly deliver: (event: SequencedEvent) => void,
    private readonly logger: Logger,
    /** 0 turns the periodic check off (a single node loses no batches). */
    private readonly pollIntervalMs: number,
    /** How far the log has been routed to this node. @default the log's head */
    private readonly target: () => Promise<number> = () => log.head(),
    private readonly pageSize = 1000,
    private readonly gapGraceMs = 20,
  ) {}

  /** The newest position this node has accounted for, in order. */
  get position(): number {
    return this.lastPosition;
  }

  /** Starts after the log's current head: earlier events had no live listener here. */
  async start(): Promise<void> {
    this.lastPosition = Math.max(this.lastPosition, await this.log.head());
    this.targetSeenLastTick = this.lastPosition;
    this.started = true;
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
  receive(batch: RoutedBatch): void {
    if (batch.through <= this.lastPosition) return;
    this.held.push(batch);
    if (!this.started) return;
    this.drain();
    if (this.held.length > 0) this.fillSoon();
  }

  /** Reads the gap before the held batches unless their missing batch shows up first. */
  private fillSoon(): void {
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.started && this.held.length > 0) this.fill(this.lowestHeldPrev());
    }, this.gapGraceMs);
    this.gapTimer.unref();
  }

  private lowestHeldPrev(): number {
    return Math.min(...this.held.map((batch) => batch.prev));
  }

  /** Delivers every held batch that follows on from this node's position. */
  private drain(): void {
    for (;;) {
      this.held = this.held.filter((batch) => batch.through > this.lastPosition);
      const next = this.held.find((batch) => batch.prev <= this.lastPosition);
      if (!next) return;
      this.held.splice(this.held.indexOf(next), 1);
      this.accept(next.events, next.through);
    }
  }

  private accept(events: SequencedEvent[], through: number): void {
    for (const event of events) {
      if (event.position <= this.lastPosition) continue;
      this.lastPosition = event.position;
      try {
        this.deliver(event);
      } catch (error) {
        this.logger.error("realtime delivery failed", { error: (error as Error).stack });
      }
    }
    this.lastPosition = Math.max(this.lastPosition, through);
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
        // Positions up to the log's head are visible strictly in order: the page is whole.
        this.accept(events, upTo);
        this.drain();
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
      if (this.targetSeenLastTick > this.lastPosition) this.fill(this.targetSeenLastTick);
      else if (this.held.length > 0) this.fill(this.lowestHeldPrev());
      this.targetSeenLastTick = await this.target();
    } catch (error) {
      this.logger.warn("event log head check failed", { error: (error as Error).message });
    } finally {
      this.polling = false;
    }
  }
}
