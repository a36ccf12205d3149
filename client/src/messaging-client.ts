import { isMessagingError, UnauthorizedError } from "./errors.js";
import { Outbox } from "./outbox/outbox.js";
import { memoryStorage, OutboxEntry, OutboxStorage, sendPayload } from "./outbox/outbox-storage.js";
import type { BackoffOptions } from "./realtime/backoff.js";
import { ConnectionState, RealtimeConnection } from "./realtime/realtime-connection.js";
import { socketIoTransport } from "./realtime/socket-io-transport.js";
import type { TransportFactory } from "./realtime/transport.js";
import { RestApi } from "./rest/rest-api.js";
import { TokenSource, UrlSource } from "./rest/rest-transport.js";
import { applyFrame, applyReadState } from "./store/apply-frame.js";
import { ChatStore } from "./store/chat-store.js";
import { ConversationLoader } from "./store/conversation-loader.js";
import { HistoryLoader } from "./store/history-loader.js";
import { MessageEditor } from "./store/message-editor.js";
import { ReadMarker } from "./store/read-marker.js";
import type {
  Conversation,
  FileObject,
  Message,
  PresenceStatus,
  ReadPointer,
  ServerFrame,
  ServerFrames,
} from "./types.js";
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
  /**
   * The signed-in user's id when the app knows it before connecting (from `rest.me()`):
   * pending sends and counts are attributed to them before the first `ready`.
   */
  userId?: string;
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
/** How long delivery acknowledgements gather before one frame per conversation goes. */
const DELIVERED_ACK_MS = 300;

export class MessagingClient {
  readonly rest: RestApi;
  readonly store = new ChatStore();
  readonly outbox: Outbox;
  private readonly connection: RealtimeConnection;
  private readonly history: HistoryLoader;
  private readonly loader: ConversationLoader;
  private readonly editor: MessageEditor;
  private readonly reads: ReadMarker;
  private readonly listeners = new Map<string, Set<(frame: ServerFrame) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  /** Highest seq received per conversation, not yet acknowledged as delivered. */
  private readonly deliveredAcks = new Map<string, number>();
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
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
    this.store.userId = options.userId ?? null;
    this.history = new HistoryLoader(this.rest, this.store, (m) => this.stored(m));
    this.loader = new ConversationLoader(this.rest, this.store);
    const refetch = (id: string) => void this.loader.refresh(id);
    this.editor = new MessageEditor(this.rest, this.store, refetch);
    this.reads = new ReadMarker(this.store, (id) => this.readOver(id), refetch);
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
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
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
  markRead(conversationId: string): Promise<void> {
    return this.reads.mark(conversationId);
  }

  /** Makes the message and everything after it unread again (other devices follow). */
  async markUnread(conversationId: string, messageId: string): Promise<void> {
    const change = await this.rest.markUnread(conversationId, messageId);
    applyReadState(this.store, change);
  }

  /** The signed-in user's notification level (null: the default) and/or mute of a conversation. */
  async setNotifications(
    conversationId: string,
    settings: { level?: "all" | "mentions" | "none" | null; muted_until?: string | null },
  ): Promise<void> {
    const saved = await this.rest.setNotifications(conversationId, settings);
    const conversation = this.store.conversation(conversationId);
    if (!conversation) return;
    conversation.notification_level = saved.notification_level;
    conversation.muted_until = saved.muted_until;
    this.store.emit({ type: "conversations", conversationId });
  }

  /** (Re)loads the conversation list and who is online over REST (works while offline). */
  loadConversations(): Promise<void> {
    return this.loader.reload();
  }

  /** Loads the users not held yet into `store.user(id)` (for names). */
  loadUsers(ids: Iterable<string>): Promise<void> {
    return this.loader.loadUsers(ids);
  }

  /** Loads the presence of users whose status the store does not know yet. */
  loadPresence(ids: Iterable<string>): Promise<void> {
    return this.loader.loadPresence(ids);
  }

  /** Loads a thread: the message and its replies (`store.replies(conversationId, id)`). */
  loadThread(messageId: string): Promise<void> {
    return this.history.thread(messageId);
  }

  /** Creates a conversation and holds it at once (its event may come later). */
  async createConversation(
    body: Parameters<RestApi["createConversation"]>[0],
  ): Promise<Conversation> {
    const conversation = await this.rest.createConversation(body);
    this.loader.put(conversation);
    return this.store.conversation(conversation.id) ?? conversation;
  }

  /** Edits a message of the signed-in user; the store shows the new version at once. */
  editMessage(id: string, content: string): Promise<Message> {
    return this.editor.edit(id, content);
  }
  /** Deletes a message; the store holds its tombstone at once. */
  deleteMessage(id: string): Promise<void> {
    return this.editor.remove(id);
  }
  /** Adds (or, with `added` false, removes) the signed-in user's reaction. */
  react(id: string, emoji: string, added = true): Promise<void> {
    return this.editor.react(id, emoji, added);
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

  /** message.read over the realtime connection, or over REST when that fails. */
  private readOver(messageId: string): Promise<ReadPointer> {
    return this.connection
      .request("message.read", { message_id: messageId }, this.timeoutMs)
      .then((pointer) => pointer as ReadPointer)
      .catch(() => this.rest.markRead(messageId));
  }

  private async deliver(entry: OutboxEntry): Promise<Message> {
    const payload = sendPayload(entry);
    const message = await this.connection.request("message.send", payload, this.timeoutMs);
    this.stored(message as Message);
    return message as Message;
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
      if (!resumed || this.firstSync) await this.loader.reload();
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
    this.loader.noteFrame(frame);
    applyFrame(this.store, frame, (id) => void this.loader.refresh(id));
    if (frame.type === "message.new") this.newMessage(frame.data);
    if (frame.type === "conversation.created")
      void this.loader.loadPresence(frame.data.members.map((m) => m.user_id));
    this.listeners.get(frame.type)?.forEach((listener) => listener(frame));
  }

  /** A live message: it may answer a queued send, and a reply changes its parent's count. */
  private newMessage(message: Message): void {
    void this.outbox.reconcile(message);
    // Tell the sender it reached this device (their ticks), coalesced per conversation.
    if (message.sender_id !== this.store.userId) this.acknowledge(message);
    const parent = message.parent_id;
    if (parent && this.store.timeline(message.conversation_id).get(parent))
      this.history.refresh(parent).catch(() => undefined);
  }

  /**
   * One `message.delivered` per conversation per DELIVERED_ACK_MS at most, with the highest
   * seq seen: a busy conversation never spends the connection's frame budget on acks.
   */
  private acknowledge(message: Message): void {
    const pending = this.deliveredAcks.get(message.conversation_id) ?? 0;
    this.deliveredAcks.set(message.conversation_id, Math.max(pending, message.seq));
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = undefined;
      for (const [conversationId, seq] of this.deliveredAcks)
        this.connection.emit("message.delivered", { conversation_id: conversationId, seq });
      this.deliveredAcks.clear();
    }, DELIVERED_ACK_MS);
  }

  private async resync(): Promise<void> {
    this.store.clearMessages();
    await this.loader.reload().catch(() => undefined);
    this.options.onResyncRequired?.();
  }
}
