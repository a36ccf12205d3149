import { ERROR_STATUS } from "../errors";

/** Component schemas of the contract's objects (see lib/domain/types.ts). */
export const uuid = { type: "string", format: "uuid" };
export const time = { type: "string", format: "date-time" };
export const nullable = (schema: object) => ({ anyOf: [schema, { type: "null" }] });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const object = (properties: Record<string, unknown>) => ({
  type: "object",
  properties,
  required: Object.keys(properties),
});

/** An object schema plus properties that may be absent. */
export const withOptional = (
  schema: ReturnType<typeof object>,
  optional: Record<string, unknown>,
) => ({ ...schema, properties: { ...schema.properties, ...optional } });

export const pageOf = (name: string) =>
  object({ data: { type: "array", items: ref(name) }, next_cursor: nullable({ type: "string" }) });

export const SCHEMAS = {
  ErrorBody: {
    type: "object",
    required: ["code", "message"],
    properties: {
      code: {
        type: "string",
        enum: Object.keys(ERROR_STATUS),
      },
      message: { type: "string" },
      details: {
        type: "array",
        items: object({ field: { type: "string" }, message: { type: "string" } }),
      },
    },
  },
  Error: object({ error: ref("ErrorBody") }),
  User: object({
    id: uuid,
    username: { type: "string" },
    display_name: { type: "string" },
    created_at: time,
    kind: { type: "string", enum: ["user", "bot"], description: "bot: owned by an API key" },
  }),
  AuthResult: {
    type: "object",
    required: ["user", "token"],
    properties: {
      user: ref("User"),
      token: { type: "string" },
      refresh_token: {
        type: "string",
        description:
          "Only when the request asked for one (`refresh_token: true`): trade it once at POST /auth/refresh",
      },
      expires_in: {
        type: "integer",
        description: "With a refresh token: seconds until `token` expires",
      },
    },
  },
  Member: object({
    user_id: uuid,
    role: { type: "string", enum: ["owner", "admin", "member"] },
    joined_at: time,
    last_read_seq: { type: "integer" },
  }),
  File: object({
    id: uuid,
    filename: { type: "string" },
    content_type: { type: "string" },
    size: { type: "integer" },
    sha256: { type: "string" },
    uploader_id: uuid,
    created_at: time,
    url: { type: "string" },
  }),
  Reaction: object({
    emoji: { type: "string" },
    count: { type: "integer" },
    user_ids: { type: "array", items: uuid },
  }),
  Message: withOptional(
    object({
      id: uuid,
      conversation_id: uuid,
      sender_id: uuid,
      seq: { type: "integer", description: "Per conversation, from 1, no gaps" },
      content: nullable({ type: "string" }),
      metadata: { type: "object" },
      parent_id: nullable(uuid),
      reply_count: { type: "integer" },
      attachments: { type: "array", items: ref("File") },
      reactions: { type: "array", items: ref("Reaction") },
      client_msg_id: nullable({ type: "string" }),
      created_at: time,
      edited_at: nullable(time),
      deleted_at: nullable(time),
      mentions: {
        type: "array",
        items: uuid,
        description:
          "Members the message mentions (`@username`; `@all` in a group by its owner or admins), resolved when sent; never the sender; empty on a tombstone",
      },
    }),
    {
      sender_blocked: {
        type: "boolean",
        description:
          "Only over REST, to a reader who blocked or muted the sender: true (with blocks.history hide, content and attachments are left out too)",
      },
    },
  ),
  SearchHit: {
    allOf: [
      ref("Message"),
      object({
        highlight: {
          type: "string",
          description: "Plain text; matches between \\u0002 and \\u0003",
        },
      }),
    ],
  },
  Conversation: object({
    id: uuid,
    type: { type: "string", enum: ["direct", "group"] },
    name: nullable({ type: "string" }),
    description: nullable({ type: "string" }),
    metadata: { type: "object" },
    created_by: nullable(uuid),
    created_at: time,
    updated_at: time,
    last_seq: { type: "integer" },
    unread_count: {
      type: "integer",
      description:
        "The caller's: messages after their read pointer by others, not deleted, not from someone they blocked, not replies read in their thread",
    },
    mention_count: {
      type: "integer",
      description: "The caller's: how many of the unread messages mention them",
    },
    notification_level: {
      type: "string",
      enum: ["all", "mentions", "none"],
      description:
        "The caller's notification level (until they choose one: notifications.direct_level / group_level)",
    },
    muted_until: {
      ...nullable(time),
      description: "The caller's mute: notifications are off until then; null when not muted",
    },
    last_message: nullable(ref("Message")),
    members: { type: "array", items: ref("Member") },
  }),
  Presence: object({
    user_id: uuid,
    status: { type: "string", enum: ["online", "away", "busy", "offline"] },
    last_seen_at: nullable(time),
  }),
  ReadPointer: object({ conversation_id: uuid, last_read_seq: { type: "integer" } }),
  Receipt: object({ user_id: uuid, read_at: time }),
  Edit: object({ content: { type: "string" }, edited_at: time }),
  SyncPage: withOptional(
    object({
      data: {
        type: "array",
        items: { type: "object", description: "Realtime event frames, each with its cursor" },
      },
      next_cursor: { type: "string" },
      has_more: { type: "boolean" },
    }),
    {
      badges: {
        allOf: [
          ref("Badges"),
          object({ cursor: { type: "string", description: "The position the counts hold at" } }),
        ],
        description:
          "On the page that catches up (has_more false): the caller's badges, counting exactly the events up to `badges.cursor`; events after it change them as they arrive",
      },
    },
  ),
  UserPage: pageOf("User"),
  ConversationPage: pageOf("Conversation"),
  MessagePage: pageOf("Message"),
  SearchHitPage: pageOf("SearchHit"),
  PresencePage: pageOf("Presence"),
};
