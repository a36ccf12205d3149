import type { EphemeralEventType, StoredEventType } from "../lib/events/event-types";
import type { ClientMessageType } from "./protocol";

/**
 * JSON Schemas (2020-12, as in OpenAPI 3.1) of every realtime frame, in both directions.
 * `#/components/schemas/<Name>` refers to the OpenAPI document's component schemas
 * (lib/openapi/components.ts): the AsyncAPI document and the client SDK's types are
 * generated from these, and the tests validate real frames against them.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const uuid = { type: "string", format: "uuid" };
const time = { type: "string", format: "date-time" };
const cursor = {
  type: "string",
  description: "Opaque; orders the receiver's stored events (resume with `since`)",
};
const requestId = {
  oneOf: [{ type: "string", maxLength: 128 }, { type: "number" }],
  description: "Echoed in the reply (raw /ws); Socket.IO clients use an ack callback instead",
};

/** An object whose every listed property is required unless named in `optional`. */
function object(properties: Record<string, unknown>, optional: string[] = []): Schema {
  return {
    type: "object",
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
  };
}

const frame = (type: string, fields: Record<string, unknown>, optional: string[] = []) =>
  object({ type: { const: type }, ...fields }, optional);
const stored = (type: StoredEventType, fields: Record<string, unknown>) =>
  frame(type, { ...fields, cursor });

const messageDeleted = object(
  {
    id: uuid,
    conversation_id: uuid,
    seq: { type: "integer" },
    deleted_at: time,
    unread_count: { type: "integer", description: "The receiver's own, after the deletion" },
    mention_count: { type: "integer", description: "The receiver's own, after the deletion" },
  },
  ["unread_count", "mention_count"],
);
const reaction = object({
  message_id: uuid,
  conversation_id: uuid,
  user_id: uuid,
  emoji: { type: "string" },
});
const membership = object({
  conversation_id: uuid,
  user_id: uuid,
  role: { type: "string", enum: ["owner", "admin", "member"] },
});

const reportEvent = object(
  {
    id: uuid,
    message_id: uuid,
    conversation_id: uuid,
    sender_id: uuid,
    reporter_id: uuid,
    reason: { type: "string" },
    status: { type: "string", enum: ["open", "resolved"] },
    resolution: { type: ["string", "null"] },
    created_at: time,
  },
  ["resolution"],
);

/** Server → client: every frame a client can receive. */
export const SERVER_FRAME_SCHEMAS: Record<StoredEventType | EphemeralEventType, Schema> = {
  ready: frame("ready", {
    data: object({ user_id: uuid, connection_id: { type: "string" }, cursor }),
  }),
  "message.new": stored("message.new", { data: ref("Message") }),
  "message.updated": stored("message.updated", { data: ref("Message") }),
  "message.deleted": stored("message.deleted", { data: messageDeleted }),
  "reaction.added": stored("reaction.added", { data: reaction }),
  "reaction.removed": stored("reaction.removed", { data: reaction }),
  "message.read": stored("message.read", {
    message_id: uuid,
    user_id: uuid,
    conversation_id: uuid,
    last_read_seq: { type: "integer" },
  }),
  "conversation.created": stored("conversation.created", { data: ref("Conversation") }),
  "conversation.updated": stored("conversation.updated", { data: ref("Conversation") }),
  "conversation.deleted": stored("conversation.deleted", { data: object({ id: uuid }) }),
  "member.added": stored("member.added", { data: membership }),
  "member.removed": stored("member.removed", { data: membership }),
  "user.suspended": stored("user.suspended", {
    data: object({ user_id: uuid, suspended_at: time, reason: { type: ["string", "null"] } }, [
      "reason",
    ]),
  }),
  "user.restored": stored("user.restored", { data: object({ user_id: uuid }) }),
  "api_key.revoked": stored("api_key.revoked", {
    data: object({ id: uuid, bot_user_id: { type: ["string", "null"] }, revoked_at: time }),
  }),
  "user.sessions_revoked": stored("user.sessions_revoked", {
    data: object({ user_id: uuid, tokens_valid_after: time }),
  }),
  "user.deleted": stored("user.deleted", { data: object({ user_id: uuid, deleted_at: time }) }),
  "block.added": stored("block.added", {
    data: object({
      user_id: uuid,
      blocked_user_id: uuid,
      kind: { type: "string", enum: ["block", "mute"] },
      created_at: time,
    }),
  }),
  "block.removed": stored("block.removed", {
    data: object({ user_id: uuid, blocked_user_id: uuid }),
  }),
  "report.created": stored("report.created", { data: reportEvent }),
  "report.resolved": stored("report.resolved", { data: reportEvent }),
  "notifications.updated": stored("notifications.updated", {
    data: object({
      conversation_id: uuid,
      user_id: uuid,
      notification_level: { type: "string", enum: ["all", "mentions", "none"] },
      muted_until: { type: ["string", "null"], format: "date-time" },
    }),
  }),
  "read_state.updated": stored("read_state.updated", {
    data: object({
      conversation_id: uuid,
      user_id: uuid,
      last_read_seq: { type: "integer" },
      thread_id: { type: ["string", "null"], format: "uuid" },
      thread_last_read_seq: { type: ["integer", "null"] },
      thread_unread_count: { type: ["integer", "null"] },
      unread_count: { type: "integer" },
      mention_count: { type: "integer" },
    }),
  }),
  "message.delivered": stored("message.delivered", {
    data: object({ conversation_id: uuid, user_id: uuid, delivered_seq: { type: "integer" } }),
  }),
  "typing.indicator": frame("typing.indicator", {
    conversation_id: uuid,
    user_id: uuid,
    is_typing: { type: "boolean" },
  }),
  "presence.changed": frame("presence.changed", {
    user_id: uuid,
    status: { type: "string", enum: ["online", "away", "busy", "offline"] },
  }),
  error: frame("error", { request_id: requestId, error: ref("ErrorBody") }, ["request_id"]),
  ack: frame("ack", { request_id: requestId, data: { description: "The request's result" } }),
};

const reactionRequest = (type: ClientMessageType) =>
  frame(
    type,
    { request_id: requestId, message_id: uuid, emoji: { type: "string", minLength: 1 } },
    ["request_id"],
  );

const typing = (type: ClientMessageType) =>
  frame(type, { request_id: requestId, conversation_id: uuid }, ["request_id"]);

/** Client → server: the five messages, and the `data` of each one's reply. */
export const CLIENT_MESSAGE_SCHEMAS_JSON: Record<
  ClientMessageType,
  { message: Schema; ack: Schema }
> = {
  "message.send": {
    message: frame(
      "message.send",
      {
        request_id: requestId,
        conversation_id: uuid,
        content: { type: "string", minLength: 1, maxLength: 4000 },
        metadata: { type: "object" },
        parent_id: uuid,
        attachments: { type: "array", items: uuid },
        client_msg_id: {
          type: "string",
          minLength: 1,
          maxLength: 64,
          description: "Idempotency key: a resend with the same id returns the first message",
        },
      },
      ["request_id", "metadata", "parent_id", "attachments", "client_msg_id"],
    ),
    ack: ref("Message"),
  },
  "message.read": {
    message: frame("message.read", { request_id: requestId, message_id: uuid }, ["request_id"]),
    ack: ref("ReadPointer"),
  },
  "message.delivered": {
    message: frame(
      "message.delivered",
      { request_id: requestId, conversation_id: uuid, seq: { type: "integer", minimum: 0 } },
      ["request_id"],
    ),
    ack: object({ conversation_id: uuid, delivered_seq: { type: "integer" } }),
  },
  "typing.start": {
    message: typing("typing.start"),
    ack: object({ conversation_id: uuid, is_typing: { const: true } }),
  },
  "typing.stop": {
    message: typing("typing.stop"),
    ack: object({ conversation_id: uuid, is_typing: { const: false } }),
  },
  "presence.update": {
    message: frame(
      "presence.update",
      {
        request_id: requestId,
        status: { type: "string", enum: ["online", "away", "busy", "offline"] },
      },
      ["request_id"],
    ),
    ack: ref("Presence"),
  },
  "reaction.add": { message: reactionRequest("reaction.add"), ack: ref("Message") },
  "reaction.remove": {
    message: reactionRequest("reaction.remove"),
    ack: object({ message_id: uuid, emoji: { type: "string" } }),
  },
};

const pascal = (type: string): string =>
  type.replace(/(^|[.])([a-z])/g, (_m, _dot, letter: string) => letter.toUpperCase());

/** The component-schema name of a server frame (`message.new` → `MessageNewEvent`). */
export const serverFrameName = (type: string): string => `${pascal(type)}Event`;
/** The component-schema name of a client message (`message.send` → `MessageSendRequest`). */
export const clientMessageName = (type: string): string => `${pascal(type)}Request`;
/** The component-schema name of a client message's ack data (`typing.start` → `TypingStartAck`). */
export const clientAckName = (type: string): string => `${pascal(type)}Ack`;

/** Every frame schema, named, to sit beside the OpenAPI component schemas. */
export function frameSchemaComponents(): Record<string, Schema> {
  const components: Record<string, Schema> = {};
  for (const [type, schema] of Object.entries(SERVER_FRAME_SCHEMAS)) {
    components[serverFrameName(type)] = schema;
  }
  for (const [type, { message, ack }] of Object.entries(CLIENT_MESSAGE_SCHEMAS_JSON)) {
    components[clientMessageName(type)] = message;
    components[clientAckName(type)] = ack;
  }
  return components;
}
