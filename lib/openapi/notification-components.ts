import { nullable, object, ref, time, uuid, withOptional } from "./components";

const level = { type: "string", enum: ["all", "mentions", "none"] };
const counts = {
  unread_count: { type: "integer" },
  mention_count: { type: "integer" },
};
const status = { type: "string", enum: ["sent", "delivered", "read"] };

/** Component schemas of issue #17's objects: notification settings, badges, read state. */
export const NOTIFICATION_SCHEMAS = {
  NotificationSettings: object({
    conversation_id: uuid,
    notification_level: level,
    muted_until: nullable(time),
  }),
  ConversationBadge: object({ conversation_id: uuid, ...counts }),
  Badges: object({
    ...counts,
    conversations: {
      type: "array",
      items: ref("ConversationBadge"),
      description: "Every conversation with unread messages, muted ones included",
    },
  }),
  ReadStateChange: object({
    conversation_id: uuid,
    user_id: uuid,
    last_read_seq: { type: "integer" },
    thread_id: nullable(uuid),
    thread_last_read_seq: nullable({ type: "integer" }),
    thread_unread_count: nullable({ type: "integer" }),
    ...counts,
  }),
  ThreadState: object({
    thread_id: uuid,
    last_read_seq: { type: "integer", description: "The caller's pointer in the thread" },
    ...counts,
  }),
  ThreadStatePage: object({
    data: { type: "array", items: ref("ThreadState") },
    next_cursor: { type: "null" },
  }),
  DeliveredPointer: object({ conversation_id: uuid, delivered_seq: { type: "integer" } }),
  Privacy: object({
    read_receipts: {
      type: "boolean",
      description: "false: nobody else sees the caller's reads (they show as delivered)",
    },
  }),
  MemberReceiptStatus: object({
    user_id: uuid,
    status,
    delivered_at: nullable(time),
    read_at: nullable(time),
  }),
  ReceiptStatus: withOptional(
    object({
      message_id: uuid,
      conversation_type: { type: "string", enum: ["direct", "group"] },
      status: {
        ...status,
        description: "delivered: every recipient's client has it; read: every recipient read it",
      },
    }),
    {
      members: {
        type: "array",
        items: ref("MemberReceiptStatus"),
        description: "Direct conversations: the other member",
      },
      counts: {
        ...object({
          recipients: { type: "integer" },
          delivered: { type: "integer", description: "Delivered or read" },
          read: { type: "integer" },
        }),
        description: "Groups",
      },
    },
  ),
};
