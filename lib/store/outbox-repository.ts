import type { Knex } from "knex";
import {
  EventDraft,
  STORED_EVENT_SUBJECTS,
  SequencedEvent,
  StoredEventType,
  ViewerFields,
} from "../events/event-types";
import { newId } from "../ids";

/** An outbox row as the event log's readers select it. */
export interface OutboxRow {
  id: string;
  position: number;
  type: StoredEventType;
  conversation_id: string | null;
  audience: string[];
  payload: SequencedEvent["frame"];
  viewer_fields: ViewerFields | null;
  occurred_at: Date;
}

export const toEvent = (row: OutboxRow): SequencedEvent => ({
  id: row.id,
  position: row.position,
  type: row.type,
  conversationId: row.conversation_id,
  audience: row.audience,
  frame: row.payload,
  viewerFields: row.viewer_fields,
  occurredAt: new Date(row.occurred_at).toISOString(),
});

const EVENT_COLUMNS = [
  "id",
  "position",
  "type",
  "conversation_id",
  "audience",
  "payload",
  "viewer_fields",
  "occurred_at",
];

/** Events from RETURNING rows, in position order. */
const toEvents = ({ rows }: { rows: OutboxRow[] }): SequencedEvent[] =>
  rows.map(toEvent).sort((a, b) => a.position - b.position);

/**
 * Numbers up to `limit` (SQL: "?" or an integer literal) committed, unnumbered rows after
 * last_position, in insertion order, and moves last_position past them: one statement.
 */
function numberingSql(publishOnSequence: boolean, limit: string): string {
  const published = publishOnSequence ? ", published_at = now()" : "";
  return `WITH state AS (SELECT last_position FROM event_log_state WHERE id = 1),
    numbered AS (
      SELECT o.insert_order,
             (SELECT last_position FROM state) + row_number() OVER (ORDER BY o.insert_order) AS position
      FROM (SELECT insert_order FROM outbox WHERE position IS NULL
            ORDER BY insert_order LIMIT ${limit}) o),
    moved AS (
      UPDATE event_log_state SET last_position = last_position + (SELECT count(*) FROM numbered)
      WHERE id = 1 AND EXISTS (SELECT 1 FROM numbered))
    UPDATE outbox SET position = numbered.position${published} FROM numbered
    WHERE outbox.insert_order = numbered.insert_order
    RETURNING ${EVENT_COLUMNS.map((c) => `outbox.${c}`).join(", ")}`;
}

/**
 * The outbox table, which is also the sync log: rows written inside a change's transaction,
 * numbered after commit by the sequencer, published to NATS by the relay, pruned after the
 * retention period.
 */
export interface OutboxOptions {
  /**
   * This process is the database's only user (embedded PGlite): one sequencer, so numbering
   * needs no lock and no transaction of its own.
   */
  exclusive?: boolean;
  /**
   * Events are published in-process as they are numbered (no NATS): mark them published
   * in the numbering statement instead of making the relay claim and mark them.
   */
  publishOnSequence?: boolean;
  /** Keep the numbering statement's plan per connection (see Database.namedStatements). */
  namedStatements?: boolean;
}

export class OutboxRepository {
  constructor(
    private readonly knex: Knex,
    private readonly subjectPrefix: string,
    private readonly options: OutboxOptions = {},
  ) {}

  /** The NATS subject events of this type are published under. */
  subjectOf(type: StoredEventType): string {
    return `${this.subjectPrefix}.${STORED_EVENT_SUBJECTS[type]}`;
  }

  /** Writes events in the caller's transaction (they become visible when it commits). */
  async insert(trx: Knex.Transaction, drafts: EventDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    await trx("outbox").insert(
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
  async sequenceBatch(limit: number, knownWork = false): Promise<SequencedEvent[]> {
    // Idle sweeps on every node would otherwise lock (and write) the state row each time.
    if (!knownWork && !(await this.hasUnsequenced())) return [];
    return this.options.exclusive ? this.numberAlone(limit) : this.numberUnderLock(limit);
  }

  /** The only sequencer there is (embedded): no lock, one statement. */
  private async numberAlone(limit: number): Promise<SequencedEvent[]> {
    const publish = Boolean(this.options.publishOnSequence);
    const query = this.knex.raw(numberingSql(publish, "?"), [limit]);
    if (this.options.namedStatements) {
      query.options({ name: publish ? "number_outbox_published" : "number_outbox" });
    }
    return toEvents((await query) as { rows: OutboxRow[] });
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
    const numbering = numberingSql(Boolean(this.options.publishOnSequence), String(limit));
    const results = (await this.knex.raw(
      `SELECT 1 FROM event_log_state WHERE id = 1 FOR UPDATE; ${numbering}`,
    )) as { rows: OutboxRow[] }[];
    return toEvents(results[1]);
  }

  async hasUnsequenced(): Promise<boolean> {
    return Boolean(await this.knex("outbox").whereNull("position").first("insert_order"));
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

  /** A user's events after `since`, oldest first. */
  async forUser(userId: string, since: number, limit: number): Promise<SequencedEvent[]> {
    const rows = (await this.knex("outbox")
      .select(EVENT_COLUMNS)
      .where("position", ">", since)
      .whereRaw("audience @> ARRAY[?]::uuid[]", [userId])
      .orderBy("position")
      .limit(limit)) as OutboxRow[];
    return rows.map(toEvent);
  }

  /**
   * Claims the oldest sequenced, unpublished events for `leaseMs` on behalf of `owner`.
   * Claims only a prefix of the queue: while any node holds a live claim on the oldest
   * unpublished event nothing is claimed, so batches reach the broker one after another in
   * position order, whichever node publishes them. An expired claim (a crashed node) is
   * taken over. One statement, so one round trip and an implicit transaction: at a busy
   * node the relay runs once per stored batch, and the check, BEGIN, lock, claim and COMMIT
   * it took before cost more database round trips than the sends themselves.
   */
  async claimUnpublished(owner: string, limit: number, leaseMs: number): Promise<SequencedEvent[]> {
    // FOR UPDATE (not SKIP LOCKED): a second claimer waits the moment this statement holds
    // the rows, then re-reads them (READ COMMITTED) and sees the head claimed, instead of
    // claiming the batch after it.
    const { rows } = (await this.knex.raw(
      `WITH head AS (
         SELECT id, position, coalesce(claim_expires_at > now(), false) AS claimed
         FROM outbox WHERE published_at IS NULL AND position IS NOT NULL
         ORDER BY position LIMIT ? FOR UPDATE),
       batch AS (
         SELECT id FROM head AS candidate WHERE NOT EXISTS (
           SELECT 1 FROM head WHERE claimed AND head.position <= candidate.position))
       UPDATE outbox SET claimed_by = ?, claim_expires_at = now() + ? * interval '1 millisecond'
       FROM batch WHERE outbox.id = batch.id
       RETURNING ${EVENT_COLUMNS.map((c) => `outbox.${c}`).join(", ")}`,
      [limit, owner, leaseMs],
    )) as { rows: OutboxRow[] };
    return toEvents({ rows });
  }

  /** Marks events published (after the broker acknowledged them) and drops their claims. */
  async markPublished(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.knex("outbox")
      .whereIn("id", ids)
      .whereNull("published_at")
      .update({ published_at: this.knex.fn.now(), claimed_by: null, claim_expires_at: null });
  }

  /** Gives back `owner`'s claims on events it could not publish, for an immediate retry. */
  async releaseClaims(owner: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.knex("outbox")
      .whereIn("id", ids)
      .where({ claimed_by: owner })
      .whereNull("published_at")
      .update({ claimed_by: null, claim_expires_at: null });
  }

  /** Events not yet acknowledged by the broker (numbered or not) and the oldest one's age. */
  async backlog(): Promise<{ count: number; oldestAgeSeconds: number }> {
    const { rows } = (await this.knex.raw(
      `SELECT count(*)::int AS count,
              coalesce(extract(epoch FROM now() - min(occurred_at)), 0)::float8 AS age
       FROM (SELECT occurred_at FROM outbox WHERE position IS NULL
             UNION ALL
             SELECT occurred_at FROM outbox WHERE position IS NOT NULL AND published_at IS NULL) q`,
    )) as { rows: { count: number; age: number }[] };
    return { count: rows[0].count, oldestAgeSeconds: Math.max(0, rows[0].age) };
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
    const unpublished = await this.knex("outbox")
      .whereNull("published_at")
      .whereNotNull("position")
      .min({ position: "position" })
      .first();
    const recent = await this.knex("outbox")
      .where("position", ">", pruned)
      .andWhere("occurred_at", ">=", cutoff)
      .orderBy("position")
      .first("position");
    const stops = [
      unpublished?.position,
      recent?.position,
      keepAfter === undefined ? null : keepAfter + 1,
    ]
      .filter((p) => p != null)
      .map(Number);
    const boundary = Math.min(Number(state.last_position), ...stops.map((p) => p - 1));
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
