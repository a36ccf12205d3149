import type { Knex } from "knex";
import {
  EventDraft,
  STORED_EVENT_SUBJECTS,
  SequencedEvent,
  StoredEventType,
} from "../events/event-types";
import { newId } from "../ids";
import { sql, Tx } from "../store/handles";
import { EventLog, EventLogMode, EventScan, numbersAlone, ScannedEvent } from "./event-log";
import { EVENT_COLUMNS, OutboxRow, positionsCte, toEvent } from "./event-rows";

/** Events from RETURNING rows, in position order. */
const toEvents = ({ rows }: { rows: OutboxRow[] }): SequencedEvent[] =>
  rows.map(toEvent).sort((a, b) => a.position - b.position);

/**
 * Numbers up to `limit` (SQL: "?" or an integer literal) committed, unnumbered rows in
 * insertion order: one statement, positions from positionsCte.
 */
function numberingSql(limit: string): string {
  return `WITH pending AS (
    SELECT insert_order FROM outbox WHERE position IS NULL ORDER BY insert_order LIMIT ${limit}
  ), ${positionsCte("positions", "pending")},
  numbered AS (
    SELECT pending.insert_order, positions.base + row_number() OVER (ORDER BY pending.insert_order) AS position
    FROM pending CROSS JOIN positions)
  UPDATE outbox SET position = numbered.position FROM numbered
  WHERE outbox.insert_order = numbered.insert_order
  RETURNING ${EVENT_COLUMNS.map((c) => `outbox.${c}`).join(", ")}`;
}

/**
 * The event log in PostgreSQL (or PGlite): the outbox table, written inside a change's
 * transaction, numbered after commit by the sequencer, published to NATS by the relay
 * (see RelayCursorRepository), read by sync and the realtime hub, pruned after the
 * retention period.
 */
export class PostgresEventLog implements EventLog {
  constructor(
    private readonly knex: Knex,
    private readonly subjectPrefix: string,
    private readonly mode: EventLogMode,
  ) {}

  private get relayed(): boolean {
    return this.mode.delivery === "relay";
  }

  /** The NATS subject events of this type are published under. */
  subjectOf(type: StoredEventType): string {
    return `${this.subjectPrefix}.${STORED_EVENT_SUBJECTS[type]}`;
  }

  /** Writes events in the caller's transaction (they become visible when it commits). */
  async append(tx: Tx, drafts: EventDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    await sql(tx)("outbox").insert(
      drafts.map((draft) => ({
        id: newId(),
        type: draft.type,
        subject: this.subjectOf(draft.type),
        conversation_id: draft.conversationId,
        audience: draft.audience,
        payload: JSON.stringify(draft.frame),
        viewer_fields: draft.viewerFields ? JSON.stringify(draft.viewerFields) : null,
      })),
    );
  }

  /**
   * Numbers committed, unnumbered rows in insertion order. The state row's lock serialises
   * sequencers on every node, so positions become visible strictly in order: a reader that
   * saw position N will never later find a new row below N. The numbering statement runs
   * after the lock is held, so its snapshot includes what the previous holder numbered.
   * `knownWork` skips the "anything to do?" read (the caller just committed a row).
   */
  async numberPending(limit: number, knownWork = false): Promise<SequencedEvent[]> {
    // Idle sweeps on every node would otherwise lock (and write) the state row each time.
    if (!knownWork && !(await this.hasPending())) return [];
    return numbersAlone(this.mode) ? this.numberAlone(limit) : this.numberUnderLock(limit);
  }

  /** The only sequencer there is (embedded, so no named statements either): no lock, one statement. */
  private async numberAlone(limit: number): Promise<SequencedEvent[]> {
    return toEvents((await this.knex.raw(numberingSql("?"), [limit])) as { rows: OutboxRow[] });
  }

  /**
   * One round trip: a multi-statement simple query is one implicit transaction whose
   * statements each take a fresh snapshot, so the numbering, which runs once the lock is
   * held, sees what the previous holder numbered. (BEGIN / lock / number / COMMIT took four
   * round trips, each waiting for a busy event loop while the lock was held.) The simple
   * protocol takes no parameters: `limit` is inlined, and checked to be an integer.
   */
  private async numberUnderLock(limit: number): Promise<SequencedEvent[]> {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new Error("limit must be a positive integer");
    const numbering = numberingSql(String(limit));
    const results = (await this.knex.raw(
      `SELECT 1 FROM event_log_state WHERE id = 1 FOR UPDATE; ${numbering}`,
    )) as { rows: OutboxRow[] }[];
    return toEvents(results[1]);
  }

  private async hasPending(): Promise<boolean> {
    return Boolean(await this.knex("outbox").whereNull("position").first("insert_order"));
  }

  /** This event log's identity (cluster bus state is kept under it). */
  async logId(): Promise<string> {
    const state = await this.knex("event_log_state").where({ id: 1 }).first("log_id");
    return String(state?.log_id);
  }

  /** The newest position (every event up to it is committed and numbered). */
  async head(): Promise<number> {
    const state = await this.knex("event_log_state").where({ id: 1 }).first("last_position");
    return Number(state?.last_position ?? 0);
  }

  /** Events with from < position <= to, in order (for filling gaps in live delivery). */
  async range(from: number, to: number): Promise<SequencedEvent[]> {
    const rows = (await this.knex("outbox")
      .select(EVENT_COLUMNS)
      .where("position", ">", from)
      .andWhere("position", "<=", to)
      .orderBy("position")) as OutboxRow[];
    return rows.map(toEvent);
  }

  /**
   * A user's events with since < position <= through, oldest first. The caller bounds
   * `through` (see EVENT_SCAN_WINDOW), so a user with few events in a busy log costs one
   * bounded range of the position index, never a scan of the whole retention.
   */
  async forUser(
    userId: string,
    since: number,
    limit: number,
    through: number,
  ): Promise<SequencedEvent[]> {
    const rows = (await this.knex("outbox")
      .select(EVENT_COLUMNS)
      .where("position", ">", since)
      .andWhere("position", "<=", through)
      .whereRaw("audience @> ARRAY[?]::uuid[]", [userId])
      .orderBy("position")
      .limit(limit)) as OutboxRow[];
    return rows.map(toEvent);
  }

  /**
   * Events of (after, through] that pass the filter, narrowed in SQL (type, conversation,
   * audience, a command's prefix), oldest first.
   */
  async scan(filter: EventScan): Promise<ScannedEvent[]> {
    const query = this.knex("outbox")
      .select(EVENT_COLUMNS)
      .where("position", ">", filter.after)
      .andWhere("position", "<=", filter.through)
      .orderBy("position")
      .limit(filter.limit);
    if (filter.graceMs !== undefined) {
      query.select(
        this.knex.raw("occurred_at <= now() - ? * interval '1 millisecond' AS due", [
          filter.graceMs,
        ]),
      );
    }
    if (filter.types?.length === 1) query.where("type", filter.types[0]);
    else if (filter.types) query.whereRaw("type = ANY(?::text[])", [[...filter.types]]);
    if (filter.contentPrefix !== undefined) {
      const escaped = filter.contentPrefix.replace(/[\\%_]/g, (c) => "\\" + c);
      query.whereRaw("payload->'data'->>'content' LIKE ?", [`${escaped}%`]);
    }
    if (filter.conversationIds) {
      query.whereRaw("conversation_id = ANY(?::uuid[])", [[...filter.conversationIds]]);
    }
    if (filter.audience) query.whereRaw("audience @> ARRAY[?]::uuid[]", [filter.audience]);
    const rows = (await query) as (OutboxRow & { due?: boolean })[];
    return rows.map((row) => ({ event: toEvent(row), due: row.due === true }));
  }

  /** Events not yet acknowledged by the broker (numbered or not) and the oldest one's age. */
  async backlog(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const unpublished = this.relayed
      ? `UNION ALL SELECT occurred_at FROM outbox
         WHERE position > (SELECT published_through FROM outbox_relay_state WHERE id = 1)`
      : "";
    const { rows } = (await this.knex.raw(
      `SELECT count(*)::int AS count,
              coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 AS age
       FROM (SELECT occurred_at FROM outbox WHERE position IS NULL ${unpublished}) q`,
    )) as { rows: { count: number; age: number }[] };
    return { count: rows[0].count, oldestAgeSeconds: Math.max(0, rows[0].age) };
  }

  /** Positions at or below this reached the broker (all numbered ones when none is relayed). */
  private async publishedThrough(lastPosition: number): Promise<number> {
    if (!this.relayed) return lastPosition;
    const row = await this.knex("outbox_relay_state").where({ id: 1 }).first("published_through");
    return Number(row?.published_through ?? 0);
  }

  /**
   * Deletes the published events older than `cutoff` from the start of the log and moves
   * `pruned_through` past them, in short chunks. Stops at the first event that is still
   * unpublished or recent, or after `keepAfter` (a webhook subscription's cursor), so the
   * log stays a gapless suffix. Safe on several nodes at once.
   * @returns how many events were deleted
   */
  async prune(cutoff: Date, keepAfter?: number, chunk = 5000): Promise<number> {
    const state = await this.knex("event_log_state")
      .where({ id: 1 })
      .first("last_position", "pruned_through");
    const pruned = Number(state.pruned_through);
    const published = await this.publishedThrough(Number(state.last_position));
    const recent = await this.knex("outbox")
      .where("position", ">", pruned)
      .andWhere("occurred_at", ">=", cutoff)
      .orderBy("position")
      .first("position");
    const stops = [recent?.position, keepAfter === undefined ? null : keepAfter + 1]
      .filter((p) => p != null)
      .map((p) => Number(p) - 1);
    const boundary = Math.min(published, ...stops);
    if (boundary <= pruned) return 0;
    let deleted = 0;
    for (;;) {
      const removed = await this.knex.transaction(async (trx) => {
        const { rows } = (await trx.raw(
          `DELETE FROM outbox WHERE insert_order IN (
             SELECT insert_order FROM outbox WHERE position <= ? ORDER BY position LIMIT ?)
           RETURNING position`,
          [boundary, chunk],
        )) as { rows: { position: number }[] };
        const through = rows.length < chunk ? boundary : Math.max(...rows.map((r) => r.position));
        await trx("event_log_state")
          .where({ id: 1 })
          .update({ pruned_through: trx.raw("greatest(pruned_through, ?)", [through]) });
        return rows.length;
      });
      deleted += removed;
      if (removed < chunk) return deleted;
    }
  }

  /** Positions at or below this were pruned: a cursor older than it cannot be served. */
  async prunedThrough(): Promise<number> {
    const state = await this.knex("event_log_state").where({ id: 1 }).first("pruned_through");
    return Number(state?.pruned_through ?? 0);
  }
}
