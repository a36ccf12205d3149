import type { components } from "../generated/api-types.js";
import { AccountRestApi } from "./account-api.js";
import type { Body, Ok } from "./rest-base.js";

type Schemas = components["schemas"];
type Notifications = "/api/v1/conversations/{id}/notifications";

/**
 * Mentions, notification levels and read state beyond one pointer: per-conversation level
 * and mute, badges, mark unread, thread reads, delivered acknowledgements, receipt status
 * and the read-receipt privacy switch.
 */
export class NotificationRestApi extends AccountRestApi {
  /** `level` all / mentions / none (null: the default); `muted_until` an ISO time or null. */
  setNotifications(
    id: string,
    body: Body<Notifications, "put">,
  ): Promise<Ok<Notifications, "put">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.PUT("/api/v1/conversations/{id}/notifications", { baseUrl, params, body }),
    );
  }
  /** The message and everything after it become unread (the pointer moves back). */
  markUnread(conversationId: string, messageId: string): Promise<Schemas["ReadStateChange"]> {
    const params = { path: { id: conversationId } };
    const body = { message_id: messageId };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/conversations/{id}/unread", { baseUrl, params, body }),
    );
  }
  /** This client received the conversation's messages up to `seq`. */
  markDelivered(conversationId: string, seq: number): Promise<Schemas["DeliveredPointer"]> {
    const params = { path: { id: conversationId } };
    const body = { seq };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/conversations/{id}/delivered", { baseUrl, params, body }),
    );
  }
  /** The caller's threads with unread replies in a conversation. */
  unreadThreads(conversationId: string): Promise<Schemas["ThreadStatePage"]> {
    const params = { path: { id: conversationId } };
    return this.call((baseUrl) =>
      this.raw.GET("/api/v1/conversations/{id}/threads", { baseUrl, params }),
    );
  }
  /** Marks a thread read through a reply (through its newest reply for the root). */
  markThreadRead(messageId: string): Promise<Schemas["ReadStateChange"]> {
    const params = { path: { id: messageId } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/messages/{id}/thread-read", { baseUrl, params }),
    );
  }
  /** sent → delivered → read: per member (direct) or counts (group). */
  receiptStatus(messageId: string): Promise<Schemas["ReceiptStatus"]> {
    const params = { path: { id: messageId }, query: { view: "status" as const } };
    return this.call((baseUrl) =>
      this.raw.GET("/api/v1/messages/{id}/receipts", { baseUrl, params }),
    );
  }
  badges(): Promise<Schemas["Badges"]> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/users/me/badges", { baseUrl }));
  }
  privacy(): Promise<Schemas["Privacy"]> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/users/me/privacy", { baseUrl }));
  }
  setReadReceipts(read_receipts: boolean): Promise<Schemas["Privacy"]> {
    const body = { read_receipts };
    return this.call((baseUrl) => this.raw.PUT("/api/v1/users/me/privacy", { baseUrl, body }));
  }
}

/** The methods behind issue #17's operations (spread into REST_OPERATIONS). */
export const NOTIFICATION_REST_OPERATIONS = {
  "PUT /api/v1/conversations/{id}/notifications": "setNotifications",
  "POST /api/v1/conversations/{id}/unread": "markUnread",
  "POST /api/v1/conversations/{id}/delivered": "markDelivered",
  "GET /api/v1/conversations/{id}/threads": "unreadThreads",
  "POST /api/v1/messages/{id}/thread-read": "markThreadRead",
  "GET /api/v1/users/me/badges": "badges",
  "GET /api/v1/users/me/privacy": "privacy",
  "PUT /api/v1/users/me/privacy": "setReadReceipts",
} as const;
