import type { Knex } from "knex";
import {
  EventDraft,
  STORED_EVENT_SUBJECTS,
  SequencedEvent,
  StoredEventType,
} from "../events/event-types";
import { newId } from "../ids";

interface OutboxRow {
  id: string;
  position: number;
  type: StoredEventType;
  conversation_id: string | null;
  audience: string[];
  payload: SequencedEvent["frame"];
  occurred_at: Date;
}

const toEvent = (row: OutboxRow): SequencedEvent => ({
  id: row.id,
  position: row.position,
  type: row.type,
  conversationId: row.conversation_id,
  audience: row.audience,
  frame: row.payload,
  occurredAt: new Date(row.occurred_at).toISOString(),
});

const EVENT_COLUMNS = [
  "id",
  "position",
  "type",
  "conversation_id",
  "audience",
  "payload",
  "occurred_at",
];

/**
 * The outbox table, which is also the sync log: rows written inside a change's transaction,
 * numbered after commit by the sequencer, published to NATS by the relay, pruned after the
 * retention period.
 */
export class OutboxRepository {
  constructor(
    private readonly knex: Knex,
    private readonly subjectPrefix: string,
  ) {}

  /** Writes events in the caller's transaction (they become visible when it commits). */
  async insert(trx: Knex.Transaction, drafts: EventDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    await trx("outbox").insert(
      drafts.map((draft) => ({
        id: newId(),
        type: draft.type,
        subject: `${this.subjectPrefix}.${STORED_EVENT_SUBJECTS[draft.type]}`,
        conversation_id: draft.conversationId,
        audience: draft.audience,
        payload: JSON.stringify(draft.frame),
      })),
    );
  }

  /**
   * Numbers committed, unnumbered rows in insertion order. The state row's lock serialises
   * sequencers on every node, so positions become visible strictly in order: a reader that
   * saw position N will never later find a new row below N.
   */
  async sequenceBatch(limit: number): Promise<SequencedEvent[]> {
    return this.knex.transaction(async (trx) => {
      const state = await trx("event_log_state")
        .where({ id: 1 })
        .forUpdate()
        .first("last_position");
      const pending = (await trx("outbox")
        .select("insert_order")
        .whereNull("position")
        .orderBy("insert_order")
        .limit(limit)) as { insert_order: number }[];
      if (pending.length === 0) return [];
      const base = Number(state.last_position);
      const { rows } = (await trx.raw(
        `WITH numbered AS (
           SELECT t.insert_order, ?::bigint + row_number() OVER (ORDER BY t.insert_order) AS position
           FROM unnest(?::bigint[]) AS t(insert_order))
         UPDATE outbox SET position = numbered.position FROM numbered
         WHERE outbox.insert_order = numbered.insert_order
         RETURNING ${EVENT_COLUMNS.map((c) => `outbox.${c}`).join(", ")}`,
        [base, pending.map((row) => row.insert_order)],
      )) as { rows: OutboxRow[] };
      await trx("event_log_state")
        .where({ id: 1 })
        .update({ last_position: base + pending.length });
      return rows.map(toEvent).sort((a, b) => a.position - b.position);
    });
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

  /** Positions at or below this were pruned: a cursor older than it cannot be served. */
  async prunedThrough(): Promise<number> {
    const state = await this.knex("event_log_state").where({ id: 1 }).first("pruned_through");
    return Number(state?.pruned_through ?? 0);
  }
}
