import type { SequencedEvent, StoredEventType, ViewerFields } from "../events/event-types";

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

export const EVENT_COLUMNS = [
  "id",
  "position",
  "type",
  "conversation_id",
  "audience",
  "payload",
  "viewer_fields",
  "occurred_at",
];

/**
 * The one place positions are given out, as a CTE of a larger statement: `name` moves the
 * log's last_position past as many positions as `events` (a CTE or table name) has rows
 * and returns `base`, the position before the first of them (no row when `events` is
 * empty). The event of row n gets base + n. The update takes the state row's lock and
 * holds it to the commit, so positions become visible strictly in order: a reader that saw
 * position N never later finds a new event below N. Used by the sequencer and by the send
 * statement (lib/store/message-batch-store.ts), which numbers its own events.
 */
export function positionsCte(name: string, events: string): string {
  return `${name} AS (
  UPDATE event_log_state SET last_position = last_position + (SELECT count(*) FROM ${events})
  WHERE id = 1 AND EXISTS (SELECT 1 FROM ${events})
  RETURNING last_position - (SELECT count(*) FROM ${events}) AS base
)`;
}
