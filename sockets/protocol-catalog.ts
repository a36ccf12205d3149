import type { EphemeralEventType, StoredEventType } from "../lib/events/event-types";
import type { ClientMessageType } from "./protocol";
import { PUSH_DOC_LINES } from "./push-doc";

interface Entry {
  summary: string;
  example: Record<string, unknown>;
}

const ID = "0190f1c2-7a3b-7c4d-8e5f-000000000001";
const USER = "0190f1c2-7a3b-7c4d-8e5f-0000000000a1";
const OTHER_USERS = [
  "0190f1c2-7a3b-7c4d-8e5f-0000000000a2",
  "0190f1c2-7a3b-7c4d-8e5f-0000000000a3",
];
const CONV = "0190f1c2-7a3b-7c4d-8e5f-0000000000c1";
const AT = "2026-11-24T10:00:00.000Z";
const MESSAGE = {
  id: ID,
  conversation_id: CONV,
  sender_id: USER,
  seq: 42,
  content: "hello",
  metadata: {},
  parent_id: null,
  reply_count: 0,
  attachments: [],
  reactions: [],
  client_msg_id: "c-1",
  created_at: AT,
  edited_at: null,
  deleted_at: null,
  mentions: [],
};
const CONVERSATION = {
  id: CONV,
  type: "group",
  name: "team",
  description: null,
  metadata: {},
  created_by: USER,
  created_at: AT,
  updated_at: AT,
  last_seq: 42,
  unread_count: 0,
  mention_count: 0,
  notification_level: "mentions",
  muted_until: null,
  last_message: null,
  members: [{ user_id: USER, role: "owner", joined_at: AT, last_read_seq: 42 }],
};
const REACTION = { message_id: ID, conversation_id: CONV, user_id: USER, emoji: "👍" };
const CURSOR = "p2s";
const BLOCK = {
  user_id: USER,
  blocked_user_id: OTHER_USERS[0],
  kind: "block",
  created_at: AT,
};
const REPORT = {
  id: ID,
  message_id: ID,
  conversation_id: CONV,
  sender_id: OTHER_USERS[0],
  reporter_id: USER,
  reason: "harassment",
  status: "open",
  resolution: null,
  created_at: AT,
};

/** Every client→server message, keyed by the same type names the dispatcher uses. */
export const CLIENT_MESSAGE_CATALOG: Record<ClientMessageType, Entry & { ack: unknown }> = {
  "message.send": {
    summary: "Send a message (same rules as POST /conversations/:id/messages).",
    example: {
      type: "message.send",
      request_id: "r1",
      conversation_id: CONV,
      content: "hello",
      client_msg_id: "c-1",
    },
    ack: MESSAGE,
  },
  "message.read": {
    summary: "Mark a message and everything before it read.",
    example: { type: "message.read", request_id: "r2", message_id: ID },
    ack: { conversation_id: CONV, last_read_seq: 42 },
  },
  "message.delivered": {
    summary:
      "Acknowledge receiving a conversation's messages up to `seq` (same rules as " +
      "POST /conversations/:id/delivered; the pointer never moves back). An addition to the contract's five.",
    example: { type: "message.delivered", request_id: "r6", conversation_id: CONV, seq: 42 },
    ack: { conversation_id: CONV, delivered_seq: 42 },
  },
  "typing.start": {
    summary: "Start typing; relayed to the other members at most once per 2 s, ends after 6 s.",
    example: { type: "typing.start", conversation_id: CONV },
    ack: { conversation_id: CONV, is_typing: true },
  },
  "typing.stop": {
    summary: "Stop typing.",
    example: { type: "typing.stop", conversation_id: CONV },
    ack: { conversation_id: CONV, is_typing: false },
  },
  "presence.update": {
    summary: "Choose a status (online, away, busy, offline); kept until changed.",
    example: { type: "presence.update", request_id: "r3", status: "away" },
    ack: { user_id: USER, status: "away", last_seen_at: AT },
  },
  "reaction.add": {
    summary:
      "React to a message (same rules as POST /messages/:id/reactions; again by the same user: no duplicate). An addition to the contract's five.",
    example: { type: "reaction.add", request_id: "r4", message_id: ID, emoji: "👍" },
    ack: { ...MESSAGE, reactions: [{ emoji: "👍", count: 3, user_ids: [USER, ...OTHER_USERS] }] },
  },
  "reaction.remove": {
    summary: "Remove one's reaction (same rules as DELETE /messages/:id/reactions/:emoji).",
    example: { type: "reaction.remove", request_id: "r5", message_id: ID, emoji: "👍" },
    ack: { message_id: ID, emoji: "👍" },
  },
};

/** Every server→client event: the stored ones (with cursor) and the ephemeral ones. */
export const SERVER_EVENT_CATALOG: Record<StoredEventType | EphemeralEventType, Entry> = {
  ready: {
    summary: "First frame of every connection; `cursor` is where a later resume can start.",
    example: { type: "ready", data: { user_id: USER, connection_id: ID, cursor: CURSOR } },
  },
  "message.new": {
    summary: "A new message (also to the sender's other connections).",
    example: { type: "message.new", data: MESSAGE, cursor: CURSOR },
  },
  "message.updated": {
    summary: "A message was edited.",
    example: { type: "message.updated", data: { ...MESSAGE, edited_at: AT }, cursor: CURSOR },
  },
  "message.deleted": {
    summary:
      "A message became a tombstone. `unread_count` and `mention_count` are the receiver's own " +
      "for the conversation after the deletion.",
    example: {
      type: "message.deleted",
      data: {
        id: ID,
        conversation_id: CONV,
        seq: 42,
        deleted_at: AT,
        unread_count: 0,
        mention_count: 0,
      },
      cursor: CURSOR,
    },
  },
  "reaction.added": {
    summary: "A reaction was added.",
    example: { type: "reaction.added", data: REACTION, cursor: CURSOR },
  },
  "reaction.removed": {
    summary: "A reaction was removed.",
    example: { type: "reaction.removed", data: REACTION, cursor: CURSOR },
  },
  "message.read": {
    summary:
      "A member's read pointer moved (the reader's own connections also get `read_state.updated` " +
      "with their new counts). A member who turned read receipts off (PUT /users/me/privacy) " +
      "is heard only by their own connections.",
    example: {
      type: "message.read",
      message_id: ID,
      user_id: USER,
      conversation_id: CONV,
      last_read_seq: 42,
      cursor: CURSOR,
    },
  },
  "conversation.created": {
    summary:
      "A conversation the receiver belongs to was created. `unread_count` is the receiver's own.",
    example: { type: "conversation.created", data: CONVERSATION, cursor: CURSOR },
  },
  "conversation.updated": {
    summary:
      "Name, description or metadata changed, or ownership passed on. `unread_count` is the receiver's own (also in `GET /sync` and on resume).",
    example: { type: "conversation.updated", data: CONVERSATION, cursor: CURSOR },
  },
  "conversation.deleted": {
    summary: "The conversation was deleted (to all former members).",
    example: { type: "conversation.deleted", data: { id: CONV }, cursor: CURSOR },
  },
  "member.added": {
    summary: "A member joined; they receive the conversation's events from now on.",
    example: {
      type: "member.added",
      data: { conversation_id: CONV, user_id: USER, role: "member" },
      cursor: CURSOR,
    },
  },
  "member.removed": {
    summary: "A member left or was removed (they get this one, then nothing more).",
    example: {
      type: "member.removed",
      data: { conversation_id: CONV, user_id: USER, role: "member" },
      cursor: CURSOR,
    },
  },
  "user.suspended": {
    summary:
      "The receiver's account was suspended by a service admin: every connection of theirs " +
      "gets this, then is closed (1008 on /ws; on Socket.IO a server disconnect), and their " +
      "tokens are refused (401) until an admin restores them.",
    example: {
      type: "user.suspended",
      data: { user_id: USER, suspended_at: AT, reason: "spam" },
      cursor: CURSOR,
    },
  },
  "user.restored": {
    summary:
      "A suspended account was restored (webhooks and JetStream see it; its tokens work again).",
    example: { type: "user.restored", data: { user_id: USER }, cursor: CURSOR },
  },
  "api_key.revoked": {
    summary:
      "An API key was revoked: its bot's connections get this, then are closed like a suspended user's.",
    example: {
      type: "api_key.revoked",
      data: { id: ID, bot_user_id: USER, revoked_at: AT },
      cursor: CURSOR,
    },
  },
  "user.sessions_revoked": {
    summary:
      "The receiver signed out everywhere or changed their password: every token issued " +
      "before `tokens_valid_after` is refused from now on, on every node, and every open " +
      "connection of theirs gets this, then is closed like a suspended user's (reconnect " +
      "with a new token).",
    example: {
      type: "user.sessions_revoked",
      data: { user_id: USER, tokens_valid_after: AT },
      cursor: CURSOR,
    },
  },
  "user.deleted": {
    summary:
      "The receiver's account was deleted (by them or an admin): their connections get this, " +
      "then are closed; webhooks and JetStream consumers drop what they hold of the user " +
      "(docs/privacy.md).",
    example: { type: "user.deleted", data: { user_id: USER, deleted_at: AT }, cursor: CURSOR },
  },
  "block.added": {
    summary:
      "The receiver blocked or muted someone (to the blocker's own connections only: the " +
      "blocked person is never told).",
    example: { type: "block.added", data: BLOCK, cursor: CURSOR },
  },
  "block.removed": {
    summary: "The receiver unblocked someone (to the blocker only).",
    example: {
      type: "block.removed",
      data: { user_id: USER, blocked_user_id: OTHER_USERS[0] },
      cursor: CURSOR,
    },
  },
  "report.created": {
    summary:
      "A message was reported. Delivered to nobody's connections (webhooks and JetStream " +
      "see it); admins read reports at GET /api/v1/admin/reports.",
    example: { type: "report.created", data: REPORT, cursor: CURSOR },
  },
  "report.resolved": {
    summary: "A service admin resolved a report (webhooks and JetStream only).",
    example: {
      type: "report.resolved",
      data: { ...REPORT, status: "resolved", resolution: "message_deleted" },
      cursor: CURSOR,
    },
  },
  "notifications.updated": {
    summary:
      "The receiver changed their notification level or mute for a conversation " +
      "(PUT /conversations/:id/notifications); to their own connections only.",
    example: {
      type: "notifications.updated",
      data: {
        conversation_id: CONV,
        user_id: USER,
        notification_level: "mentions",
        muted_until: null,
      },
      cursor: CURSOR,
    },
  },
  "read_state.updated": {
    summary:
      "The receiver's own read state changed: they read (`message.read`), marked a message " +
      "unread (POST /conversations/:id/unread; the pointer moves back) or read a thread " +
      "(POST /messages/:id/thread-read; `thread_id` set). To their own connections only, " +
      "with their new counts for the conversation (and for the thread).",
    example: {
      type: "read_state.updated",
      data: {
        conversation_id: CONV,
        user_id: USER,
        last_read_seq: 41,
        thread_id: null,
        thread_last_read_seq: null,
        thread_unread_count: null,
        unread_count: 1,
        mention_count: 0,
      },
      cursor: CURSOR,
    },
  },
  "message.delivered": {
    summary:
      "In a direct conversation, the other member's client acknowledged receiving messages " +
      "up to `delivered_seq` (`message.delivered` from the client, or " +
      "POST /conversations/:id/delivered). Groups emit none: GET /messages/:id/receipts?view=status " +
      "gives their counts.",
    example: {
      type: "message.delivered",
      data: { conversation_id: CONV, user_id: USER, delivered_seq: 42 },
      cursor: CURSOR,
    },
  },
  "typing.indicator": {
    summary: "Someone else is typing (never sent to the typist); not stored.",
    example: { type: "typing.indicator", conversation_id: CONV, user_id: USER, is_typing: true },
  },
  "presence.changed": {
    summary: "A contact's status changed (to users sharing a conversation); not stored.",
    example: { type: "presence.changed", user_id: USER, status: "online" },
  },
  error: {
    summary:
      "A request failed (`request_id` echoed), a frame could not be parsed, or a resume " +
      "failed (`resync_required`: reload, the cursor is older than the retention; " +
      "`unavailable`: the connection is then closed, reconnect with the same `since`). " +
      "`retry_after` (seconds) comes with `rate_limited` and `unavailable`: wait that long, " +
      "then retry (a send with the same `client_msg_id`, so it is stored once).",
    example: {
      type: "error",
      request_id: "r1",
      error: { code: "not_found", message: "conversation not found" },
    },
  },
  ack: {
    summary: "A request with `request_id` succeeded (raw /ws; Socket.IO uses ack callbacks).",
    example: {
      type: "ack",
      request_id: "r3",
      data: CLIENT_MESSAGE_CATALOG["presence.update"].ack,
    },
  },
};

const block = (value: unknown): string => "```json\n" + JSON.stringify(value, null, 2) + "\n```";

/** docs/protocol.md, rendered from the catalogs (a unit test keeps the file in step). */
export function renderProtocolDoc(): string {
  const lines = [
    "# Realtime protocol",
    "",
    "<!-- Generated from sockets/protocol-catalog.ts by `npx tsx scripts/write-protocol-doc.ts`; a test checks it. -->",
    "",
    "One protocol over two transports: raw WebSocket at `/ws?token=<jwt>[&since=<cursor>]`",
    "(JSON text frames with a `type`) and Socket.IO at `/socket.io/` (`auth: {token, since?}`;",
    "each frame is an event named by its `type`, the payload is the same object).",
    "",
    "- Handshake (one rule for both transports): a missing or bad token gets HTTP 401 on `/ws`",
    '  and `connect_error` `"unauthorized"` on Socket.IO; more new connections of a user than',
    "  `rate_limits.connections_per_minute`, and more handshakes from one client address than",
    "  `rate_limits.ip_per_minute` (checked before the token; both counted across nodes with",
    "  Redis), and a user already holding `realtime.max_connections_per_user` (20) open",
    "  connections on the node, get 429 with `Retry-After` on `/ws` and `connect_error`",
    '  `"rate_limited"` (`data.retry_after`, seconds) on Socket.IO; a node that is shutting',
    '  down answers 503 / `"unavailable"`: connect to another. A browser page of another',
    "  site (an Origin that is neither the service's own nor in `server.allowed_origins`) gets",
    "  403 (on Socket.IO's WebSocket transport engine.io's 400: it answers every refused",
    "  upgrade so); more than 100 request headers are refused (400; over 16 KiB of headers,",
    "  431). `connect_error.data` is the error body.",
    "- Frames over `realtime.max_payload` (64 KiB) close `/ws` with 1009 and drop a Socket.IO",
    "  connection. A client that stops reading is closed with 1013 once its send buffer",
    "  passes `realtime.send_buffer_cap`. Every frame, readable or not, counts against",
    "  `rate_limits.frames_per_10s` per connection: past it frames are answered `rate_limited`;",
    "  past twice it the connection is closed with 1008 on `/ws`, and on Socket.IO gets an",
    "  `error` event (`rate_limited`) and a server disconnect (the client does not reconnect",
    "  by itself).",
    "  Shutdown closes with 1001: reconnect with `since` = the last cursor seen.",
    "- Replies: raw clients get `ack` / `error` frames echoing `request_id`; Socket.IO clients",
    "  passing an ack callback get `{data}` or `{error: {code, message, retry_after?}}`. While",
    "  the database is away a send is answered `unavailable` with `retry_after` (seconds).",
    "- Resume: with `since`, the connection first receives every stored event it missed, in",
    "  order, then live ones; nothing is doubled or reordered at the seam. A resume the node",
    "  cannot read (the database is away) gets an `error` frame `unavailable` and the",
    "  connection is closed (1013 on `/ws`; a transport close on Socket.IO, which reconnects):",
    "  reconnect with the same `since`, never carry on with a gap.",
    "- Bots connect with their API key as the token (`mk_…`, see docs/integrations.md): the",
    "  key needs the `read` scope; without `write` every client→server frame is answered",
    "  `forbidden`. A suspended user's or a revoked key's connections get `user.suspended` /",
    "  `api_key.revoked`, then are closed (1008 on `/ws`; Socket.IO: an `error` event and a",
    "  server disconnect), and new handshakes with their tokens get 401.",
    "- Moderation: when a moderation hook or word list is configured, `message.send` may be",
    "  answered `rejected` (the reason in `message`; the message was not stored) or, when the",
    "  hook is down and the policy is fail-closed, `unavailable`; content may come back",
    "  replaced (the ack's Message carries what was stored).",
    "- Mentions, notification levels and badges (docs/events.md): a Message carries `mentions`",
    "  (member ids, resolved at send time from `@username`, and `@all` by a group's owner or",
    "  admins); a Conversation's caller view carries `mention_count`, `notification_level` and",
    "  `muted_until` beside `unread_count`. Counts stay right from the events alone:",
    "  `message.new` from someone else adds one (and a mention when `mentions` holds you), your",
    "  own resets both; `read_state.updated`, `message.deleted` and conversation events carry",
    "  your absolute counts. Clients acknowledge receipt with `message.delivered`.",
    "",
    "## Client → server",
    "",
  ];
  for (const [type, entry] of Object.entries(CLIENT_MESSAGE_CATALOG)) {
    lines.push(`### \`${type}\``, "", entry.summary, "", block(entry.example), "");
    lines.push("Ack `data`:", "", block(entry.ack), "");
  }
  lines.push("## Server → client", "");
  for (const [type, entry] of Object.entries(SERVER_EVENT_CATALOG)) {
    lines.push(`### \`${type}\``, "", entry.summary, "", block(entry.example), "");
  }
  lines.push(...PUSH_DOC_LINES);
  return lines.join("\n");
}
