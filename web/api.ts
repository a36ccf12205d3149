import type {
  Conversation,
  FileObject,
  Message,
  Presence,
  ReadPointer,
  Receipt,
  SearchHit,
  User,
} from "./types";

/** A contract error body turned into an exception the views can show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

const BASE = "/api/v1";

/** The REST API, same origin, bearer token. */
export class Api {
  token: string | null = null;
  /** Called on any 401, so the app can go back to the login screen. */
  onUnauthorized: () => void = () => undefined;

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(BASE + path, { method, headers, body: payload });
    } catch {
      throw new ApiError(0, "unavailable", "The server cannot be reached.");
    }
    if (response.status === 204) return undefined as T;
    const parsed = await response.json().catch(() => null);
    if (!response.ok) {
      const error = parsed?.error ?? {};
      if (response.status === 401 && this.token) this.onUnauthorized();
      throw new ApiError(
        response.status,
        error.code ?? "internal",
        error.message ?? `Request failed (${response.status})`,
      );
    }
    return parsed as T;
  }

  register(username: string, password: string, display_name?: string) {
    const body = display_name ? { username, password, display_name } : { username, password };
    return this.request<{ user: User; token: string }>("POST", "/auth/register", body);
  }
  login(username: string, password: string) {
    return this.request<{ user: User; token: string }>("POST", "/auth/login", {
      username,
      password,
    });
  }
  me() {
    return this.request<User>("GET", "/users/me");
  }
  user(id: string) {
    return this.request<User>("GET", `/users/${encodeURIComponent(id)}`);
  }
  searchUsers(q: string) {
    return this.request<Page<User>>("GET", `/users?q=${encodeURIComponent(q)}&limit=20`);
  }
  presence(id: string) {
    return this.request<Presence>("GET", `/users/${encodeURIComponent(id)}/presence`);
  }
  online() {
    return this.request<Page<Presence> | Presence[]>("GET", "/users/online");
  }
  conversations(cursor?: string | null) {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    return this.request<Page<Conversation>>("GET", `/conversations?limit=100${query}`);
  }
  conversation(id: string) {
    return this.request<Conversation>("GET", `/conversations/${id}`);
  }
  createConversation(body: { type: "direct" | "group"; member_ids: string[]; name?: string }) {
    return this.request<Conversation>("POST", "/conversations", body);
  }
  messages(conversationId: string, cursor?: string | null, limit = 50) {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    return this.request<Page<Message>>(
      "GET",
      `/conversations/${conversationId}/messages?limit=${limit}${query}`,
    );
  }
  messagesAfter(conversationId: string, afterSeq: number) {
    return this.request<Page<Message>>(
      "GET",
      `/conversations/${conversationId}/messages?after_seq=${afterSeq}&limit=100`,
    );
  }
  message(id: string) {
    return this.request<Message>("GET", `/messages/${id}`);
  }
  sendMessage(
    conversationId: string,
    body: { content: string; client_msg_id: string; parent_id?: string; attachments?: string[] },
  ) {
    return this.request<Message>("POST", `/conversations/${conversationId}/messages`, body);
  }
  replies(messageId: string) {
    return this.request<Page<Message>>("GET", `/messages/${messageId}/replies?limit=100`);
  }
  editMessage(id: string, content: string) {
    return this.request<Message>("PUT", `/messages/${id}`, { content });
  }
  deleteMessage(id: string) {
    return this.request<void>("DELETE", `/messages/${id}`);
  }
  react(id: string, emoji: string) {
    return this.request<unknown>("POST", `/messages/${id}/reactions`, { emoji });
  }
  unreact(id: string, emoji: string) {
    return this.request<void>("DELETE", `/messages/${id}/reactions/${encodeURIComponent(emoji)}`);
  }
  markRead(id: string) {
    return this.request<ReadPointer>("POST", `/messages/${id}/read`);
  }
  receipts(id: string) {
    return this.request<Page<Receipt> | Receipt[]>("GET", `/messages/${id}/receipts`);
  }
  search(q: string, conversationId?: string) {
    const scope = conversationId ? `&conversation_id=${conversationId}` : "";
    return this.request<Page<SearchHit>>(
      "GET",
      `/search/messages?q=${encodeURIComponent(q)}&limit=30${scope}`,
    );
  }
  upload(file: File) {
    const form = new FormData();
    form.append("file", file, file.name);
    return this.request<FileObject>("POST", "/files", form);
  }
  /** The file's bytes (the download needs the bearer token, so a plain link will not do). */
  async download(file: FileObject): Promise<Blob> {
    const response = await fetch(`${BASE}/files/${file.id}`, {
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
    });
    if (!response.ok) throw new ApiError(response.status, "not_found", "Download failed.");
    return response.blob();
  }
}

/** Lists come as `{data}`; a few endpoints may answer a bare array. */
export function listOf<T>(value: Page<T> | T[]): T[] {
  return Array.isArray(value) ? value : value.data;
}
