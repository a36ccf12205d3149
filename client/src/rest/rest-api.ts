import type {
  AuthResult,
  Conversation,
  FileObject,
  Member,
  Message,
  Page,
  Presence,
  ReadPointer,
  Receipt,
  SearchHit,
  StoredEvent,
  User,
} from "../types.js";
import { ACCOUNT_REST_OPERATIONS } from "./account-api.js";
import { NOTIFICATION_REST_OPERATIONS } from "./notification-api.js";
import { PUSH_REST_OPERATIONS, PushRestApi } from "./push-api.js";
import type { Body, OperationKey, Query } from "./rest-base.js";
export type { OperationKey } from "./rest-base.js";

const enc = encodeURIComponent;

/**
 * Every REST operation of the service as a typed method; each resolves with the response
 * body or rejects with a MessagingError subclass of the contract's code.
 */
export class RestApi extends PushRestApi {
  // Auth and users
  register(body: Body<"/api/v1/auth/register", "post">): Promise<AuthResult> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/auth/register", { baseUrl, body }));
  }
  login(body: Body<"/api/v1/auth/login", "post">): Promise<AuthResult> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/auth/login", { baseUrl, body }));
  }
  me(): Promise<User> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/users/me", { baseUrl }));
  }
  user(id: string): Promise<User> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/users/{id}", { baseUrl, params }));
  }
  searchUsers(query: Query<"/api/v1/users", "get">): Promise<Page<User>> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/users", { baseUrl, params }));
  }
  presence(id: string): Promise<Presence> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/users/{id}/presence", { baseUrl, params }));
  }
  onlineUsers(query: Query<"/api/v1/users/online", "get"> = {}): Promise<Page<Presence>> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/users/online", { baseUrl, params }));
  }

  // Conversations
  createConversation(body: Body<"/api/v1/conversations", "post">): Promise<Conversation> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/conversations", { baseUrl, body }));
  }
  listConversations(
    query: Query<"/api/v1/conversations", "get"> = {},
  ): Promise<Page<Conversation>> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/conversations", { baseUrl, params }));
  }
  conversation(id: string): Promise<Conversation> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/conversations/{id}", { baseUrl, params }));
  }
  updateConversation(
    id: string,
    body: Body<"/api/v1/conversations/{id}", "put">,
  ): Promise<Conversation> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.PUT("/api/v1/conversations/{id}", { baseUrl, params, body }),
    );
  }
  deleteConversation(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/conversations/{id}", { baseUrl, params }),
    );
  }
  addMember(id: string, body: Body<"/api/v1/conversations/{id}/members", "post">): Promise<Member> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/conversations/{id}/members", { baseUrl, params, body }),
    );
  }
  /** Removes a member, or leaves when `userId` is the caller. */
  removeMember(id: string, userId: string): Promise<void> {
    const params = { path: { id, userId } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/conversations/{id}/members/{userId}", { baseUrl, params }),
    );
  }

  // Messages
  /** Sends over REST (idempotent by `client_msg_id`); `MessagingClient.send` queues instead. */
  sendMessage(
    conversationId: string,
    body: Body<"/api/v1/conversations/{id}/messages", "post">,
  ): Promise<Message> {
    const params = { path: { id: conversationId } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/conversations/{id}/messages", { baseUrl, params, body }),
    );
  }
  /** Newest first (`cursor` pages to older ones), or oldest first after `after_seq`. */
  listMessages(
    conversationId: string,
    query: Query<"/api/v1/conversations/{id}/messages", "get"> = {},
  ): Promise<Page<Message>> {
    const params = { path: { id: conversationId }, query };
    return this.call((baseUrl) =>
      this.raw.GET("/api/v1/conversations/{id}/messages", { baseUrl, params }),
    );
  }
  message(id: string): Promise<Message> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/messages/{id}", { baseUrl, params }));
  }
  editMessage(id: string, body: Body<"/api/v1/messages/{id}", "put">): Promise<Message> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.PUT("/api/v1/messages/{id}", { baseUrl, params, body }));
  }
  deleteMessage(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.DELETE("/api/v1/messages/{id}", { baseUrl, params }));
  }
  replies(id: string, query: Query<"/api/v1/messages/{id}/replies", "get"> = {}) {
    const params = { path: { id }, query };
    return this.call<Page<Message>>((baseUrl) =>
      this.raw.GET("/api/v1/messages/{id}/replies", { baseUrl, params }),
    );
  }
  edits(id: string): Promise<{ data?: { content: string; edited_at: string }[] }> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/messages/{id}/edits", { baseUrl, params }));
  }
  addReaction(id: string, emoji: string): Promise<Message> {
    const params = { path: { id } };
    const body = { emoji };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/messages/{id}/reactions", { baseUrl, params, body }),
    );
  }
  removeReaction(id: string, emoji: string): Promise<void> {
    // openapi-fetch encodes path parameters itself.
    const params = { path: { id, emoji } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/messages/{id}/reactions/{emoji}", { baseUrl, params }),
    );
  }
  markRead(messageId: string): Promise<ReadPointer> {
    const params = { path: { id: messageId } };
    return this.call((baseUrl) => this.raw.POST("/api/v1/messages/{id}/read", { baseUrl, params }));
  }
  receipts(messageId: string): Promise<Receipt[]> {
    const params = { path: { id: messageId } };
    return this.call((baseUrl) =>
      this.raw.GET("/api/v1/messages/{id}/receipts", { baseUrl, params }),
    );
  }

  // Search
  searchMessages(query: Query<"/api/v1/search/messages", "get">): Promise<Page<SearchHit>> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/search/messages", { baseUrl, params }));
  }
  searchConversations(
    query: Query<"/api/v1/search/conversations", "get">,
  ): Promise<Page<Conversation>> {
    const params = { query };
    return this.call((baseUrl) =>
      this.raw.GET("/api/v1/search/conversations", { baseUrl, params }),
    );
  }

  // Files
  /** Uploads bytes (a File in browsers, any Blob elsewhere) as multipart `file`. */
  uploadFile(
    file: Blob,
    filename = (file as { name?: string }).name ?? "file",
  ): Promise<FileObject> {
    const form = new FormData();
    form.append("file", file, filename);
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/files", {
        baseUrl,
        body: form as never,
        bodySerializer: (body: unknown) => body as FormData,
      }),
    );
  }
  /** The file's bytes (the download needs the token, so a plain link will not do). */
  async downloadFile(id: string): Promise<Blob> {
    return (await this.transport.fetchRaw(`/api/v1/files/${enc(id)}`, "blob")) as Blob;
  }
  deleteFile(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.DELETE("/api/v1/files/{id}", { baseUrl, params }));
  }

  // Sync and operations
  /** The caller's stored events after `since`, oldest first (410 resync_required when too old). */
  sync(query: Query<"/api/v1/sync", "get"> = {}): Promise<{
    data: StoredEvent[];
    next_cursor: string;
    has_more: boolean;
  }> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/sync", { baseUrl, params }));
  }
  openApiDocument(): Promise<Record<string, unknown>> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/openapi.json", { baseUrl }));
  }
  asyncApiDocument(): Promise<Record<string, unknown>> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/asyncapi.json", { baseUrl }));
  }
  async health(): Promise<void> {
    await this.transport.fetchRaw("/healthz", "text");
  }
  async readiness(): Promise<void> {
    await this.transport.fetchRaw("/readyz", "text");
  }
  async metrics(): Promise<string> {
    return (await this.transport.fetchRaw("/metrics", "text")) as string;
  }
}

/**
 * The method of RestApi behind every operation: typed by OperationKey, so an operation
 * added to the OpenAPI document (and regenerated) fails to compile until it has one.
 */
export const REST_OPERATIONS: Record<OperationKey, keyof RestApi> = {
  ...ACCOUNT_REST_OPERATIONS,
  ...NOTIFICATION_REST_OPERATIONS,
  ...PUSH_REST_OPERATIONS,
  "POST /api/v1/auth/register": "register",
  "POST /api/v1/auth/login": "login",
  "GET /api/v1/users/me": "me",
  "GET /api/v1/users": "searchUsers",
  "GET /api/v1/users/online": "onlineUsers",
  "GET /api/v1/users/{id}": "user",
  "GET /api/v1/users/{id}/presence": "presence",
  "POST /api/v1/conversations": "createConversation",
  "GET /api/v1/conversations": "listConversations",
  "GET /api/v1/conversations/{id}": "conversation",
  "PUT /api/v1/conversations/{id}": "updateConversation",
  "DELETE /api/v1/conversations/{id}": "deleteConversation",
  "POST /api/v1/conversations/{id}/members": "addMember",
  "DELETE /api/v1/conversations/{id}/members/{userId}": "removeMember",
  "POST /api/v1/conversations/{id}/messages": "sendMessage",
  "GET /api/v1/conversations/{id}/messages": "listMessages",
  "GET /api/v1/messages/{id}": "message",
  "PUT /api/v1/messages/{id}": "editMessage",
  "DELETE /api/v1/messages/{id}": "deleteMessage",
  "GET /api/v1/messages/{id}/replies": "replies",
  "GET /api/v1/messages/{id}/edits": "edits",
  "POST /api/v1/messages/{id}/reactions": "addReaction",
  "DELETE /api/v1/messages/{id}/reactions/{emoji}": "removeReaction",
  "POST /api/v1/messages/{id}/read": "markRead",
  "GET /api/v1/messages/{id}/receipts": "receipts",
  "GET /api/v1/search/messages": "searchMessages",
  "GET /api/v1/search/conversations": "searchConversations",
  "POST /api/v1/files": "uploadFile",
  "GET /api/v1/files/{id}": "downloadFile",
  "DELETE /api/v1/files/{id}": "deleteFile",
  "GET /api/v1/sync": "sync",
  "GET /api/v1/openapi.json": "openApiDocument",
  "GET /api/v1/asyncapi.json": "asyncApiDocument",
  "GET /healthz": "health",
  "GET /readyz": "readiness",
  "GET /metrics": "metrics",
  "GET /api/v1/admin/users": "adminUsers",
  "GET /api/v1/admin/users/{id}": "adminUser",
  "POST /api/v1/admin/users/{id}/suspend": "suspendUser",
  "POST /api/v1/admin/users/{id}/restore": "restoreUser",
  "PUT /api/v1/admin/users/{id}/admin": "grantAdmin",
  "DELETE /api/v1/admin/users/{id}/admin": "revokeAdmin",
  "DELETE /api/v1/admin/messages/{id}": "adminDeleteMessage",
  "GET /api/v1/admin/usage": "usage",
  "GET /api/v1/admin/audit-log": "auditLog",
  "GET /api/v1/admin/api-keys": "apiKeys",
  "POST /api/v1/admin/api-keys": "createApiKey",
  "GET /api/v1/admin/api-keys/{id}": "apiKey",
  "DELETE /api/v1/admin/api-keys/{id}": "revokeApiKey",
  "GET /api/v1/webhooks": "webhooks",
  "POST /api/v1/webhooks": "createWebhook",
  "GET /api/v1/webhooks/{id}": "webhook",
  "PUT /api/v1/webhooks/{id}": "updateWebhook",
  "DELETE /api/v1/webhooks/{id}": "deleteWebhook",
  "GET /api/v1/webhooks/{id}/dead-letters": "deadLetters",
  "POST /api/v1/webhooks/{id}/dead-letters/{letterId}/replay": "replayDeadLetter",
  "POST /api/v1/bots": "createBot",
  "GET /api/v1/bots/me": "bot",
  "GET /api/v1/bots/me/commands": "botCommands",
  "PUT /api/v1/bots/me/commands/{name}": "putBotCommand",
  "DELETE /api/v1/bots/me/commands/{name}": "deleteBotCommand",
};
