/**
 * The contract's server→client event types that change stored state, and the NATS subject
 * (`<prefix>.<aggregate>.<event>`) each is published under. Declared once, used by name.
 */
export const STORED_EVENT_SUBJECTS = {
  "message.new": "message.created",
  "message.updated": "message.updated",
  "message.deleted": "message.deleted",
  "reaction.added": "reaction.added",
  "reaction.removed": "reaction.removed",
  "message.read": "message.read",
  "conversation.created": "conversation.created",
  "conversation.updated": "conversation.updated",
  "conversation.deleted": "conversation.deleted",
  "member.added": "member.added",
  "member.removed": "member.removed",
  "user.suspended": "user.suspended",
  "user.restored": "user.restored",
  "api_key.revoked": "api_key.revoked",
  "user.sessions_revoked": "user.sessions_revoked",
  "user.deleted": "user.deleted",
  "block.added": "block.added",
  "block.removed": "block.removed",
  "report.created": "report.created",
  "report.resolved": "report.resolved",
  "notifications.updated": "notifications.updated",
  "read_state.updated": "read_state.updated",
  "message.delivered": "message.delivered",
} as const;

export type StoredEventType = keyof typeof STORED_EVENT_SUBJECTS;

/** Server→client events that are not stored: no cursor, no replay. */
export const EPHEMERAL_EVENT_TYPES = [
  "ready",
  "typing.indicator",
  "presence.changed",
  "error",
  "ack",
] as const;
export type EphemeralEventType = (typeof EPHEMERAL_EVENT_TYPES)[number];

/** The wire frame of an event as a client receives it (without `cursor`). */
export type EventFrame = { type: StoredEventType } & Record<string, unknown>;

/**
 * Fields of an event that differ per recipient: user id → fields merged into `frame.data`
 * for that user only (e.g. each member's own `unread_count` in conversation.updated).
 * Never sent as a whole, never published to NATS.
 */
export type ViewerFields = Record<string, Record<string, unknown>>;

/** A change a service records inside its transaction. */
export interface EventDraft {
  type: StoredEventType;
  conversationId: string | null;
  /** Users who receive it: the conversation's members at the time (plus a removed member). */
  audience: string[];
  /** The part every recipient shares (without per-viewer fields). */
  frame: EventFrame;
  /** Per-recipient fields, one entry per audience member; absent when the frame is shared. */
  viewerFields?: ViewerFields;
}

/** An event once committed and numbered by the sequencer. */
export interface SequencedEvent {
  id: string;
  position: number;
  type: StoredEventType;
  conversationId: string | null;
  audience: string[];
  frame: EventFrame;
  /** See EventDraft.viewerFields; null or absent for a frame everyone shares. */
  viewerFields?: ViewerFields | null;
  occurredAt: string;
}

/**
 * Most log positions one read of a user's events covers (a sync page, a step of a resume):
 * the bound on one request's work (`events.scan_window`). Past it a sync page ends early
 * with `has_more` and a cursor moved past what was read; a resume reads on in more steps.
 */
export const EVENT_SCAN_WINDOW = 10_000;

/** The end of a bounded read of the log after `since`: the head or the window's end. */
export function scanThrough(since: number, head: number, window = EVENT_SCAN_WINDOW): number {
  return Math.min(head, since + window);
}

/** Cursors are opaque to clients; today they carry the log position. */
export function encodeEventCursor(position: number): string {
  return `p${position.toString(36)}`;
}

/** @returns the position, or undefined when the string is not a cursor */
export function decodeEventCursor(cursor: string): number | undefined {
  if (!/^p[0-9a-z]{1,12}$/.test(cursor)) return undefined;
  const position = parseInt(cursor.slice(1), 36);
  return Number.isSafeInteger(position) ? position : undefined;
}

/** The frame a client receives: the stored frame plus its cursor. */
export function frameWithCursor(event: SequencedEvent): Record<string, unknown> {
  return { ...event.frame, cursor: encodeEventCursor(event.position) };
}

/**
 * The frame `userId` receives: frameWithCursor with that user's own viewer fields merged
 * into `data` (and nobody else's).
 */
export function frameFor(event: SequencedEvent, userId: string): Record<string, unknown> {
  const frame = frameWithCursor(event);
  // Users without fields of their own (e.g. the other members of a message.read) share the frame.
  if (!event.viewerFields?.[userId]) return frame;
  const data = frame.data as Record<string, unknown>;
  return { ...frame, data: { ...data, ...event.viewerFields[userId] } };
}

/**
 * The body published to NATS: `{id, type, occurred_at, data}`. Viewer fields are left out
 * (a consumer is nobody's viewer; a member's unread count is theirs alone).
 */
/** What other consumers are sent of an event (no audience, no per-viewer fields). */
export type PublishedEvent = Pick<
  SequencedEvent,
  "id" | "position" | "type" | "frame" | "occurredAt"
>;

export function natsBody(event: PublishedEvent): {
  id: string;
  type: string;
  occurred_at: string;
  data: unknown;
} {
  const { type: _type, ...rest } = event.frame;
  const data = "data" in rest && Object.keys(rest).length === 1 ? rest.data : rest;
  return { id: event.id, type: event.type, occurred_at: event.occurredAt, data };
}
