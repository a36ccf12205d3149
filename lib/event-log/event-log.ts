import type { EventDraft, SequencedEvent, StoredEventType } from "../events/event-types";
import type { Tx } from "../store/handles";

/**
 * How the event log is deployed, decided once in the composition root (eventLogMode). It
 * replaces three booleans that could contradict each other (numbering alone with shared
 * sessions, say) with what is actually deployed; the behaviours below follow from it.
 */
export interface EventLogMode {
  /**
   * "embedded": PGlite in this process, its only user (one sequencer: numbering needs no
   * lock). "pglite": PGlite reached by URL, shared by several processes whose connections
   * share one session (positions under the lock, no named statements). "postgres": a
   * server (positions under the lock, plans kept per connection).
   */
  database: "embedded" | "pglite" | "postgres";
  /**
   * "relay": events reach an external broker (NATS) through the relay, so pruning and the
   * backlog wait for its cursor. "in-process": the in-process bus takes them as they are
   * numbered.
   */
  delivery: "relay" | "in-process";
}

/** The mode of a database and event bus. */
export function eventLogMode(
  database: { kind: "postgres" | "embedded"; namedStatements: boolean },
  bus: { kind: string },
): EventLogMode {
  return {
    database:
      database.kind === "embedded" ? "embedded" : database.namedStatements ? "postgres" : "pglite",
    delivery: bus.kind === "memory" ? "in-process" : "relay",
  };
}

/** Positions are given out without the state row's lock: this process is the only numberer. */
export const numbersAlone = (mode: EventLogMode): boolean => mode.database === "embedded";

/** Pooled connections are sessions of their own, so named prepared statements are safe. */
export const keepsPlans = (mode: EventLogMode): boolean => mode.database === "postgres";

/** Which events a consumer's scan of the log takes: every condition given holds. */
export interface EventScan {
  /** Positions after this... */
  after: number;
  /** ...up to this one (the caller bounds the window). */
  through: number;
  limit: number;
  /** Event types (the contract's names). */
  types?: readonly string[];
  conversationIds?: readonly string[];
  /** Events this user is in the audience of. */
  audience?: string;
  /** `message.new` whose content starts with this text (a bot command). */
  contentPrefix?: string;
  /** Marks the events that occurred at least this long ago by the database's clock. */
  graceMs?: number;
}

/** An event a scan took; `due` when it is older than the scan's graceMs. */
export interface ScannedEvent {
  event: SequencedEvent;
  due: boolean;
}

/** What the realtime hub, sync, gap healing, webhooks and push read from the log. */
export interface EventLogReader {
  /** This event log's identity (cluster bus state is kept under it). */
  logId(): Promise<string>;
  /** The newest position (every event up to it is committed and numbered). */
  head(): Promise<number>;
  /** Events with from < position <= to, in order. */
  range(from: number, to: number): Promise<SequencedEvent[]>;
  /** A user's events with since < position <= through, oldest first, at most `limit`. */
  forUser(userId: string, since: number, limit: number, through: number): Promise<SequencedEvent[]>;
  /** Positions at or below this were pruned: a cursor older than it cannot be served. */
  prunedThrough(): Promise<number>;
  /** The events of a window of positions that pass a consumer's filter, in order. */
  scan(filter: EventScan): Promise<ScannedEvent[]>;
}

/**
 * The ordered event log, the one port of the durable event path: events are appended in
 * the transaction of the change they describe, numbered after commit (by the sequencer,
 * or by the send statement itself, see positionsCte), read by sync and the realtime hub,
 * published by the relay and pruned after the retention.
 */
export interface EventLog extends EventLogReader {
  /** The NATS subject events of this type are published under. */
  subjectOf(type: StoredEventType): string;
  /** Writes events in the caller's transaction (they become visible when it commits). */
  append(tx: Tx, drafts: EventDraft[]): Promise<void>;
  /**
   * Numbers up to `limit` committed, unnumbered events in insertion order, strictly after
   * every position given out before. `knownWork` skips the "anything to do?" read.
   */
  numberPending(limit: number, knownWork?: boolean): Promise<SequencedEvent[]>;
  /** Events not yet published (numbered or not) and the oldest one's age. */
  backlog(): Promise<{ count: number; oldestAgeSeconds: number }>;
  /**
   * Deletes published events older than `cutoff` (and at or below `keepAfter`) from the
   * start of the log. @returns how many were deleted
   */
  prune(cutoff: Date, keepAfter?: number, chunk?: number): Promise<number>;
}
