import type { Knex } from "knex";
import type { PublishedEvent, StoredEventType } from "../events/event-types";

/** How far the relay has published, and its lease (RelayCursorRepository in PostgreSQL). */
export interface RelayCursor {
  /** Up to `limit` events after the cursor, under a lease for `owner`; [] when none or leased. */
  claim(owner: string, limit: number, leaseMs: number): Promise<PublishedEvent[]>;
  /** Moves the cursor to `through` and gives up the lease. @returns false when it had passed on */
  markPublished(owner: string, through: number | null): Promise<boolean>;
  /** Everything at or below this position reached the broker. */
  publishedThrough(): Promise<number>;
}

/** What the relay publishes of each event, the time as text (nothing for pg to parse but JSON). */
interface RelayRow {
  id: string;
  position: number;
  type: StoredEventType;
  payload: PublishedEvent["frame"];
  occurred_at: string;
}

/**
 * Takes the relay lease when it is free, expired or already this node's, and only when
 * something is left to publish (an idle sweep writes nothing), then reads the events after
 * `published_through`. A second claimer waits for the lease row's lock and then finds it
 * taken, so one node at a time publishes, in position order. A lease that was not given
 * back is waited out by the others (its owner may have crashed); its owner takes it again
 * at once (the database was away when it marked): the republish is dropped by JetStream's
 * duplicate window.
 */
const CLAIM_SQL = `
WITH lease AS (
  UPDATE outbox_relay_state
  SET owner = ?, lease_expires_at = now() + ? * interval '1 millisecond'
  WHERE id = 1 AND (owner IS NULL OR owner = ? OR lease_expires_at <= now())
    AND published_through < (SELECT last_position FROM event_log_state WHERE id = 1)
  RETURNING published_through)
SELECT o.id, o.position, o.type, o.payload,
       to_char(o.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at
FROM lease JOIN LATERAL (
  SELECT * FROM outbox WHERE position > lease.published_through ORDER BY position LIMIT ?
) o ON true
ORDER BY o.position`;

/**
 * What the relay has published, as one number: events are published in position order, so
 * everything up to `published_through` reached the broker. One row, moved under a lease,
 * instead of marks on every event (each mark a new version of an outbox row and of all its
 * index entries).
 */
export class RelayCursorRepository implements RelayCursor {
  constructor(private readonly knex: Knex) {}

  /** Up to `limit` events after the cursor, under a lease for `owner`; [] when none or leased. */
  async claim(owner: string, limit: number, leaseMs: number): Promise<PublishedEvent[]> {
    const { rows } = (await this.knex.raw(CLAIM_SQL, [owner, leaseMs, owner, limit])) as {
      rows: RelayRow[];
    };
    return rows.map((row) => ({
      id: row.id,
      position: row.position,
      type: row.type,
      frame: row.payload,
      occurredAt: row.occurred_at,
    }));
  }

  /**
   * Moves the cursor to `through` (never back) and gives up the lease, so whichever node
   * has events next takes it. @returns false when the lease had passed to another node
   */
  async markPublished(owner: string, through: number | null): Promise<boolean> {
    const moved = await this.knex("outbox_relay_state")
      .where({ id: 1, owner })
      .update({
        published_through:
          through === null
            ? this.knex.ref("published_through")
            : this.knex.raw("greatest(published_through, ?)", [through]),
        owner: null,
        lease_expires_at: null,
      });
    return moved > 0;
  }

  /** Everything at or below this position reached the broker. */
  async publishedThrough(): Promise<number> {
    const row = await this.knex("outbox_relay_state").where({ id: 1 }).first("published_through");
    return Number(row?.published_through ?? 0);
  }
}
