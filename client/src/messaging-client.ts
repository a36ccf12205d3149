import { isMessagingError, UnauthorizedError } from "./errors.js";
import { Outbox } from "./outbox/outbox.js";
import { memoryStorage, OutboxEntry, OutboxStorage } from "./outbox/outbox-storage.js";
import type { BackoffOptions } from "./realtime/backoff.js";
import { ConnectionState, RealtimeConnection } from "./realtime/realtime-connection.js";
import { socketIoTransport } from "./realtime/socket-io-transport.js";
import type { TransportFactory } from "./realtime/transport.js";
import { RestApi } from "./rest/rest-api.js";
import { TokenSource, UrlSource } from "./rest/rest-transport.js";
import { applyFrame } from "./store/apply-frame.js";
import { ChatStore } from "./store/chat-store.js";
import { HistoryLoader } from "./store/history-loader.js";
import type { FileObject, Message, PresenceStatus, ServerFrame, ServerFrames } from "./types.js";
import { randomId } from "./util/ids.js";

export interface MessagingClientOptions {
  /** The service's base URL; a function is asked again at every request and reconnect. */
  url: UrlSource;
  /** The user's JWT; a function is asked at every request and reconnect (refreshing tokens). */
  token: TokenSource;
  /**
   * The realtime transport: `socketIoTransport()` or `wsTransport()`.
   * @default socketIoTransport()
   */
  transport?: TransportFactory;
  /** Where unsent messages wait. @default memoryStorage() (lost on reload) */
  storage?: OutboxStorage;
  /** Reconnect backoff. @default { initialDelayMs: 250, maxDelayMs: 10000 } */
  backoff?: BackoffOptions;
  /** How long a realtime request waits for its ack. @default 10000 */
  requestTimeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Called after a resume failed because the cursor was older than the service keeps
   * (`resync_required`): the store has reloaded the conversations and dropped every held
   * message; reload the history you show (`loadHistory`). Pending sends are kept.
   */
  onResyncRequired?: () => void;
  /** Called when the service refuses the token (REST 401 or the realtime handshake). */
  onUnauthorized?: () => void;
}

export interface SendOptions {
  metadata?: Record<string, unknown>;
  /** Reply in the thread of this message. */
  parent_id?: string | null;
  /** Files uploaded first with `rest.uploadFile`. */
  attachments?: FileObject[];
  /** @default a new UUID */
  client_msg_id?: string;
}

type FrameListener<K extends keyof ServerFrames> = (frame: ServerFrames[K]) => void;

/**
 * The SDK's front door: typed REST (`rest`), a realtime connection that reconnects and
 * resumes by itself, an outbox that delivers every send exactly once, and a store the
 * app renders from (`store`).
 */
export class MessagingClient {
  readonly rest: RestApi;
  readonly store = new ChatStore();
  readonly outbox: Outbox;
  private readonly connection: RealtimeConnection;
  private readonly history: HistoryLoader;
  private readonly listeners = new Map<string, Set<(frame: ServerFrame) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly versions = new Map<string, number>();
  private firstSync: { resolve(): void; reject(e: Error): void } | null = null;
  private readonly timeoutMs: number;

  constructor(private readonly options: MessagingClientOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.rest = new RestApi({
      url: options.url,
      token: options.token,
      fetch: options.fetch,
      onUnauthorized: options.onUnauthorized,
    });
    this.history = new HistoryLoader(this.rest, this.store, (m) => this.stored(m));
    this.outbox = new Outbox(options.storage ?? memoryStorage(), {
      deliver: (entry) => this.deliver(entry),
      online: () => this.connection.connected,
      changed: () => this.store.setPending(this.outbox.list()),
      acknowledged: () => undefined,
    });
    this.connection = new RealtimeConnection(
      {
        url: options.url,
        token: options.token,
        transport: options.transport ?? socketIoTransport(),
        backoff: options.backoff,
        tokenStillValid: () =>
          this.rest.me().then(
            () => true,
            (e) => !isMessagingError(e, "unauthorized"),
          ),
      },
      {
        ready: ({ userId, resumed }) => void this.onReady(userId, resumed),
        frame: (frame) => this.onFrame(frame),
        resyncRequired: () => void this.resync(),
        unauthorized: () => {
          this.firstSync?.reject(new UnauthorizedError("the token was refused"));
          this.firstSync = null;
          this.options.onUnauthorized?.();
        },
        state: (state) => this.stateListeners.forEach((listener) => listener(state)),
      },
    );
  }

  /** Connects, and resolves once the conversations are loaded (the first `ready`). */
  connect(): Promise<void> {
    const synced = new Promise<void>((resolve, reject) => (this.firstSync = { resolve, reject }));
    this.connection.start();
    return synced;
  }

  /** Closes the connection; queued sends stay in storage for the next session. */
  close(): void {
    this.connection.stop();
    this.outbox.stop();
  }

  get state(): ConnectionState {
    return this.connection.state;
  }
  /** The newest stored event's cursor: where a resume starts. */
  get cursor(): string | null {
    return this.connection.cursor;
  }

  /** Follows one server frame type (after the store applied it). Returns the unsubscribe. */
  on<K extends keyof ServerFrames>(type: K, listener: FrameListener<K>): () => void {
    const set = this.listeners.get(type) ?? new Set();
    this.listeners.set(type, set);
    set.add(listener as (frame: ServerFrame) => void);
    return () => set.delete(listener as (frame: ServerFrame) => void);
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Queues a message: written to the outbox's storage, shown at once in
   * `store.messages()` as pending, and sent (and resent, with the same client_msg_id)
   * until acknowledged. Resolves with the queued entry; `sent(id)` waits for the message.
   */
  send(conversationId: string, content: string, options: SendOptions = {}): Promise<OutboxEntry> {
    return this.outbox.add({
      client_msg_id: options.client_msg_id ?? randomId(),
      conversation_id: conversationId,
      content,
      ...(options.metadata ? { metadata: options.metadata } : {}),
      ...(options.parent_id ? { parent_id: options.parent_id } : {}),
      ...(options.attachments?.length ? { attachments: options.attachments } : {}),
      ...(this.store.userId ? { user_id: this.store.userId } : {}),
    });
  }

  /** Resolves with the stored message once a queued send is acknowledged. */
  sent(clientMsgId: string): Promise<Message> {
    return this.outbox.acknowledgement(clientMsgId);
  }

  /** Loads the newest page of a conversation's history (or catches up if already loaded). */
  loadHistory(conversationId: string): Promise<void> {
    return this.history.load(conversationId);
  }

  /** Loads the next older page; resolves false when the first message is already held. */
  loadOlder(conversationId: string): Promise<boolean> {
    return this.history.older(conversationId);
  }

  /** Marks the newest held message of the conversation read (and so everything before it). */
  async markRead(conversationId: string): Promise<void> {
    const conversation = this.store.conversation(conversationId);
    const newest =
      this.store.timeline(conversationId).messages.at(-1) ?? conversation?.last_message;
    if (!conversation || !newest) return;
    if (this.store.readPointer(conversation) >= newest.seq && conversation.unread_count === 0)
      return;
    // The service answers with message.read to every connection: the store follows from it.
    await this.connection
      .request("message.read", { message_id: newest.id }, this.timeoutMs)
      .catch(() => this.rest.markRead(newest.id));
  }

  startTyping(conversationId: string): void {
    this.connection.emit("typing.start", { conversation_id: conversationId });
  }
  stopTyping(conversationId: string): void {
    this.connection.emit("typing.stop", { conversation_id: conversationId });
  }
  async setPresence(status: PresenceStatus): Promise<void> {
    await this.connection.request("presence.update", { status }, this.timeoutMs);
  }

  private async deliver(entry: OutboxEntry): Promise<Message> {
    const payload = {
      conversation_id: entry.conversation_id,
      content: entry.content,
      client_msg_id: entry.client_msg_id,
      ...(entry.metadata ? { metadata: entry.metadata } : {}),
      ...(entry.parent_id ? { parent_id: entry.parent_id } : {}),
      ...(entry.attachments?.length ? { attachments: entry.attachments.map((f) => f.id) } : {}),
    };
    const message = (await this.connection.request(
      "message.send",
      payload,
      this.timeoutMs,
    )) as Message;
    this.stored(message);
    return message;
  }

  /** Every stored message from any source goes through here: the store, then the outbox. */
  private stored(message: Message): void {
    this.store.putMessage(message);
    void this.outbox.reconcile(message);
  }

  private async onReady(userId: string, resumed: boolean): Promise<void> {
    this.store.userId = userId;
    await this.outbox.adopt(userId);
    this.store.setPending(this.outbox.list());
    try {
      if (!resumed || this.firstSync) await this.reload();
      const first = this.firstSync;
      this.firstSync = null;
      first?.resolve();
    } catch (error) {
      this.firstSync?.reject(error as Error);
      this.firstSync = null;
    }
    this.outbox.pump();
  }

  private onFrame(frame: ServerFrame): void {
    const conversationId = conversationOf(frame);
    if (conversationId)
      this.versions.set(conversationId, (this.versions.get(conversationId) ?? 0) + 1);
    applyFrame(this.store, frame, (id) => void this.refresh(id));
    if (frame.type === "message.new") void this.outbox.reconcile(frame.data);
    this.listeners.get(frame.type)?.forEach((listener) => listener(frame));
  }

  /** Fetches a conversation again; retried while events for it arrive meanwhile. */
  private async refresh(id: string): Promise<void> {
    for (let tries = 0; tries < 3; tries++) {
      const before = this.versions.get(id) ?? 0;
      try {
        const conversation = await this.rest.conversation(id);
        if ((this.versions.get(id) ?? 0) !== before) continue;
        return this.store.putConversation(conversation);
      } catch (error) {
        if (isMessagingError(error, "not_found")) return this.store.removeConversation(id);
        return;
      }
    }
  }

  /** Reloads every conversation (first connect, resync) and the presence of who is online. */
  private async reload(): Promise<void> {
    const before = new Map(this.versions);
    const conversations = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.rest.listConversations({ limit: 100, ...(cursor ? { cursor } : {}) });
      conversations.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    this.store.replaceConversations(conversations);
    for (const [id, version] of this.versions)
      if (before.get(id) !== version) void this.refresh(id);
    const online = await this.rest.onlineUsers({ limit: 100 }).catch(() => ({ data: [] }));
    for (const presence of online.data) this.store.setPresence(presence.user_id, presence.status);
  }

  private async resync(): Promise<void> {
    this.store.clearMessages();
    await this.reload().catch(() => undefined);
    this.options.onResyncRequired?.();
  }
}

function conversationOf(frame: ServerFrame): string | undefined {
  const data = (frame as { data?: { conversation_id?: string; id?: string } }).data;
  if (frame.type.startsWith("conversation.")) return data?.id;
  return (frame as { conversation_id?: string }).conversation_id ?? data?.conversation_id;
}
