import type { PublishedEvent, SequencedEvent } from "./event-types";
import { natsBody, STORED_EVENT_SUBJECTS } from "./event-types";

/** The body every consumer receives: `{id, type, occurred_at, data}` (see docs/events.md). */
export type EventBody = ReturnType<typeof natsBody>;

/** An event as it travels on the bus. */
export interface BusEvent {
  /** The event id, also the `Nats-Msg-Id` (consumers deduplicate by it). */
  id: string;
  /** `<prefix>.<aggregate>.<event>`, e.g. `messaging.message.created`. */
  subject: string;
  /** Position in the event log: the order events became visible (`Messaging-Position`). */
  position: number;
  body: EventBody;
}

/**
 * Thrown by `publish` when some events could not be published. `published` lists the ids
 * the broker did acknowledge, so the caller marks exactly those.
 */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly published: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A live subscription; `close()` stops delivery. */
export interface BusSubscription {
  close(): Promise<void>;
}

/**
 * Where committed events go for other consumers: NATS JetStream in production, an
 * in-process emitter without `NATS_URL`. Only the outbox relay publishes.
 */
export interface EventBus {
  readonly kind: "nats" | "memory";
  /** Connects and prepares the stream. @throws when the broker cannot be reached */
  init(): Promise<void>;
  /**
   * Publishes in order; resolves only after the broker acknowledged every event (a
   * duplicate id counts as acknowledged). @throws PublishError naming what was acknowledged
   */
  publish(events: PublishedEvent[]): Promise<void>;
  /**
   * Delivers events published from now on (tools and tests; real consumers use JetStream
   * consumers, see scripts/consume.ts).
   */
  subscribe(handler: (event: BusEvent) => void): Promise<BusSubscription>;
  /** Rejects when the broker is unreachable (readiness). */
  ping(): Promise<void>;
  /**
   * Erases published events that match from the broker (an account's deletion); absent
   * where nothing leaves the process. @returns how many were erased
   */
  erase?(erasure: StreamErasure): Promise<number>;
  /** Flushes what is pending and disconnects; safe to call twice. */
  close(): Promise<void>;
}

/** The subject an event is published under. */
export function subjectOf(prefix: string, event: Pick<SequencedEvent, "type">): string {
  return `${prefix}.${STORED_EVENT_SUBJECTS[event.type]}`;
}

/** Header carrying the log position (consumers needing strict order sort by it). */
export const POSITION_HEADER = "Messaging-Position";

/** Which published events to erase (EventBus.erase): subjects to read, from when, which match. */
export interface StreamErasure {
  /** Subject filters, one consumer each (e.g. `message.*`, under the subject prefix). */
  subjects: string[];
  /** Nothing before this was about the user (their account's creation). */
  since: Date;
  match(body: EventBody): boolean;
}
