import { joiToJsonSchema } from "./joi-to-json-schema";
import { Operation, errors, ok, ref } from "./operation-helpers";
import { privacySchema } from "../domain/notifications/notification-schemas";
import { deliveredSchema, markUnreadSchema } from "../domain/messages/read-state-schemas";

const privacy = { ...ok(200, "Privacy", ref("Privacy")) };

/** Issue #17's routes: notification levels, badges, mark unread, threads, delivered, privacy. */
export const NOTIFICATION_OPERATIONS: Record<string, Record<string, Operation>> = {
  "/api/v1/conversations/{id}/notifications": {
    put: {
      summary: "Set the caller's notification level and/or mute for a conversation",
      description:
        "`level`: all, mentions (mentions and direct messages) or none; null returns to the configured default (notifications.direct_level / group_level). `muted_until`: no notifications until then; null or a past time unmutes. The conversation's caller view carries both; `notifications.updated` reaches the caller's other devices.",
      body: {
        type: "object",
        minProperties: 1,
        additionalProperties: false,
        properties: {
          level: {
            anyOf: [{ type: "string", enum: ["all", "mentions", "none"] }, { type: "null" }],
          },
          muted_until: { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
        },
      },
      responses: {
        ...ok(200, "Settings", ref("NotificationSettings")),
        ...errors(400, 404),
      },
    },
  },
  "/api/v1/conversations/{id}/unread": {
    post: {
      summary: "Mark a message and everything after it unread",
      description:
        "The one deliberate way the read pointer moves back (to the message's seq − 1; for a reply its thread pointer too). `read_state.updated` with the new counts reaches the caller's other devices.",
      body: joiToJsonSchema(markUnreadSchema),
      responses: { ...ok(200, "New read state", ref("ReadStateChange")), ...errors(400, 404) },
    },
  },
  "/api/v1/conversations/{id}/delivered": {
    post: {
      summary: "Acknowledge receiving the conversation's messages up to a seq",
      description:
        "Moves the caller's delivered pointer forward (never back; clamped to the newest seq). In a direct conversation both members get `message.delivered`. Also the realtime `message.delivered` frame.",
      body: joiToJsonSchema(deliveredSchema),
      responses: { ...ok(200, "Delivered pointer", ref("DeliveredPointer")), ...errors(400, 404) },
    },
  },
  "/api/v1/conversations/{id}/threads": {
    get: {
      summary: "The caller's threads with unread replies in a conversation",
      description: "Newest thread first, at most 100; each with the caller's pointer and counts.",
      responses: { ...ok(200, "Threads", ref("ThreadStatePage")), ...errors(400, 404) },
    },
  },
  "/api/v1/messages/{id}/thread-read": {
    post: {
      summary: "Mark a thread read through this reply (through its newest reply for the root)",
      description:
        "Moves the caller's pointer in the thread forward; the conversation's pointer stays. Replies read so no longer count in unread_count. `read_state.updated` reaches the caller's other devices.",
      responses: { ...ok(200, "New read state", ref("ReadStateChange")), ...errors(400, 404) },
    },
  },
  "/api/v1/users/me/badges": {
    get: {
      summary: "The caller's unread and mention counts",
      description:
        "The total counts conversations that may notify (not muted, level not none); `conversations` lists every conversation with unread messages. Also in GET /sync (`badges`).",
      responses: ok(200, "Badges", ref("Badges")),
    },
  },
  "/api/v1/users/me/privacy": {
    get: { summary: "The caller's privacy switches", responses: privacy },
    put: {
      summary: "Show or hide the caller's read receipts",
      description:
        "With read_receipts false, others never see the caller's reads: receipts leave them out, status receipts show delivered, and `message.read` goes to the caller's own devices only.",
      body: joiToJsonSchema(privacySchema),
      responses: { ...privacy, ...errors(400) },
    },
  },
};
