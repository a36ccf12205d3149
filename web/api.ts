import { MessagingError, Page, RestApi } from "../client/src/index";
import type { FileObject, User } from "./types";

/** The SDK's typed errors: status, contract code and a message the views can show. */
export { MessagingError as ApiError };
export type { Page };

/**
 * The REST API for the views: the SDK's RestApi on the page's own origin, with the
 * signed-in user's token, under the names the views use.
 */
export class Api {
  token: string | null = null;
  /** Called on any 401, so the app can go back to the login screen. */
  onUnauthorized: () => void = () => undefined;
  readonly rest = new RestApi({
    url: "",
    token: () => this.token,
    onUnauthorized: () => this.onUnauthorized(),
  });

  register(username: string, password: string, display_name?: string) {
    const body = display_name ? { username, password, display_name } : { username, password };
    return this.rest.register(body);
  }
  login(username: string, password: string) {
    return this.rest.login({ username, password });
  }
  me(): Promise<User> {
    return this.rest.me();
  }
  user(id: string): Promise<User> {
    return this.rest.user(id);
  }
  searchUsers(q: string) {
    return this.rest.searchUsers({ q, limit: 20 });
  }
  presence(id: string) {
    return this.rest.presence(id);
  }
  online() {
    return this.rest.onlineUsers();
  }
  conversations(cursor?: string | null) {
    return this.rest.listConversations({ limit: 100, ...(cursor ? { cursor } : {}) });
  }
  conversation(id: string) {
    return this.rest.conversation(id);
  }
  createConversation(body: { type: "direct" | "group"; member_ids: string[]; name?: string }) {
    return this.rest.createConversation(body);
  }
  messages(conversationId: string, cursor?: string | null, limit = 50) {
    return this.rest.listMessages(conversationId, { limit, ...(cursor ? { cursor } : {}) });
  }
  messagesAfter(conversationId: string, afterSeq: number) {
    return this.rest.listMessages(conversationId, { after_seq: afterSeq, limit: 100 });
  }
  message(id: string) {
    return this.rest.message(id);
  }
  sendMessage(
    conversationId: string,
    body: { content: string; client_msg_id: string; parent_id?: string; attachments?: string[] },
  ) {
    return this.rest.sendMessage(conversationId, body);
  }
  replies(messageId: string) {
    return this.rest.replies(messageId, { limit: 100 });
  }
  editMessage(id: string, content: string) {
    return this.rest.editMessage(id, { content });
  }
  deleteMessage(id: string) {
    return this.rest.deleteMessage(id);
  }
  react(id: string, emoji: string) {
    return this.rest.addReaction(id, emoji);
  }
  unreact(id: string, emoji: string) {
    return this.rest.removeReaction(id, emoji);
  }
  markRead(id: string) {
    return this.rest.markRead(id);
  }
  receipts(id: string) {
    return this.rest.receipts(id);
  }
  search(q: string, conversationId?: string) {
    return this.rest.searchMessages({
      q,
      limit: 30,
      ...(conversationId ? { conversation_id: conversationId } : {}),
    });
  }
  upload(file: File) {
    return this.rest.uploadFile(file, file.name);
  }
  /** The file's bytes (the download needs the bearer token, so a plain link will not do). */
  download(file: FileObject): Promise<Blob> {
    return this.rest.downloadFile(file.id);
  }
}

/** Lists come as `{data}`; a few endpoints may answer a bare array. */
export function listOf<T>(value: Page<T> | T[]): T[] {
  return Array.isArray(value) ? value : value.data;
}
