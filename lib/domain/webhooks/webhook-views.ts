import { encodeEventCursor } from "../../events/event-types";
import type { DeadLetterRow, SubscriptionRow } from "../../store/webhook-repository";

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

/** A webhook subscription as the API shows it (never its secret after creation). */
export interface Subscription {
  id: string;
  kind: "events" | "command";
  url: string;
  description: string | null;
  event_types: string[];
  conversation_ids: string[] | null;
  user_id: string | null;
  command: string | null;
  owner_key_id: string | null;
  created_by_user_id: string | null;
  enabled: boolean;
  disabled_at: string | null;
  disabled_reason: string | null;
  /** The newest event handled: a sync cursor (the same kind `GET /sync` takes). */
  cursor: string;
  /** Failed tries of the next event so far, when the next one is due, and why the last failed. */
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  /** Dead letters in a row (reaching webhooks.disable_after disables the endpoint). */
  consecutive_failures: number;
  created_at: string;
  updated_at: string;
}

export interface DeadLetter {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  /** The event's sync cursor. */
  cursor: string;
  /** The body as it was sent (JSON text). */
  body: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  replayed_at: string | null;
}

export const toSubscription = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  kind: row.kind,
  url: row.url,
  description: row.description,
  event_types: row.event_types,
  conversation_ids: row.conversation_ids,
  user_id: row.user_id,
  command: row.command,
  owner_key_id: row.owner_key_id,
  created_by_user_id: row.created_by_user_id,
  enabled: row.enabled,
  disabled_at: iso(row.disabled_at),
  disabled_reason: row.disabled_reason,
  cursor: encodeEventCursor(row.cursor),
  attempts: row.attempts,
  next_attempt_at: new Date(row.next_attempt_at).toISOString(),
  last_error: row.last_error,
  consecutive_failures: row.consecutive_failures,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

export const toDeadLetter = (row: DeadLetterRow): DeadLetter => ({
  id: row.id,
  subscription_id: row.subscription_id,
  event_id: row.event_id,
  event_type: row.event_type,
  cursor: encodeEventCursor(row.position),
  body: row.body,
  attempts: row.attempts,
  last_error: row.last_error,
  created_at: new Date(row.created_at).toISOString(),
  replayed_at: iso(row.replayed_at),
});
