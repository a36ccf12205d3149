import type { OutboxEntry } from "../outbox/outbox-storage.js";
import type { Conversation, Message, PresenceStatus, User } from "../types.js";
import { Timeline } from "./timeline.js";

/** A message the service does not have yet: an outbox entry shown in its conversation. */
export type PendingMessage = Message & {
  pending: "sending" | "failed";
  error?: { code: string; message: string };
};
export type ShownMessage = Message | PendingMessage;

export const isPending = (message: ShownMessage): message is PendingMessage => "pending" in message;

/** What changed, so views can update only that. */
export type StoreChange =
  | { type: "conversations"; conversationId?: string }
  | { type: "message"; conversationId: string; message: ShownMessage; previous?: ShownMessage }
  | { type: "messages"; conversationId: string }
  | { type: "typing"; conversationId: string }
  | { type: "presence"; userId: string }
  | { type: "users"; userIds: string[] }
  | { type: "reset" };

/** How long a typing indicator shows without a stop (the service ends it after 6 s). */
export const TYPING_SHOWN_MS = 7000;

/**
 * The client's view of its user's world, updated from events: conversations with their
 * counts, each conversation's messages by seq (with pending sends after them), who is
 * typing where, and presence. Read it with the getters, follow it with `subscribe`.
 */
export class ChatStore {
  private readonly conversationMap = new Map<string, Conversation>();
  private readonly timelines = new Map<string, Timeline>();
  private readonly typists = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();
  private readonly presenceMap = new Map<string, PresenceStatus>();
  private readonly userMap = new Map<string, User>();
  private readonly deliveredMap = new Map<string, Map<string, number>>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private pendingEntries: OutboxEntry[] = [];
  /** The signed-in user (set on connect). */
  userId: string | null = null;

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The conversations, most recent activity first. */
  conversations(): Conversation[] {
    const activity = (c: Conversation) => c.last_message?.created_at ?? c.updated_at;
    return [...this.conversationMap.values()].sort((a, b) =>
      activity(b).localeCompare(activity(a)),
    );
  }

  conversation(id: string): Conversation | undefined {
    return this.conversationMap.get(id);
  }

  /** Stored messages by seq, then this conversation's pending sends in queue order. */
  messages(conversationId: string): ShownMessage[] {
    const stored = this.timelines.get(conversationId)?.messages ?? [];
    return [...stored, ...this.pendingOf(conversationId)];
  }

  /** Where the conversation's loaded history stands (see MessagingClient.loadHistory). */
  history(conversationId: string): { loaded: boolean; olderCursor: string | null } {
    const timeline = this.timelines.get(conversationId);
    return { loaded: timeline?.loaded ?? false, olderCursor: timeline?.olderCursor ?? null };
  }

  findMessage(id: string): Message | undefined {
    for (const timeline of this.timelines.values()) {
      const found = timeline.get(id);
      if (found) return found;
    }
    return undefined;
  }

  /** User ids typing in the conversation now (never the signed-in user). */
  typing(conversationId: string): string[] {
    return [...(this.typists.get(conversationId)?.keys() ?? [])];
  }

  presence(userId: string): PresenceStatus | undefined {
    return this.presenceMap.get(userId);
  }

  /** A user loaded with `MessagingClient.loadUsers` (for names). */
  user(id: string): User | undefined {
    return this.userMap.get(id);
  }

  /** The replies under a message held in the conversation, by seq, then pending ones. */
  replies(conversationId: string, parentId: string): ShownMessage[] {
    return this.messages(conversationId).filter((m) => m.parent_id === parentId);
  }

  /** The signed-in user's read pointer in a conversation. */
  readPointer(conversation: Conversation): number {
    return conversation.members.find((m) => m.user_id === this.userId)?.last_read_seq ?? 0;
  }

  // ---- changes (made by MessagingClient) ----

  timeline(conversationId: string): Timeline {
    let timeline = this.timelines.get(conversationId);
    if (!timeline) this.timelines.set(conversationId, (timeline = new Timeline()));
    return timeline;
  }

  /** A conversation as the service sent it (a fetch or a conversation.* event). */
  putConversation(conversation: Conversation): void {
    const fresh = { ...conversation };
    const held = this.timelines.get(conversation.id);
    // Messages held beyond the snapshot arrived after it was taken: count them in.
    for (const message of held?.messages ?? []) {
      if (message.seq > fresh.last_seq) this.countNew(fresh, message);
    }
    this.conversationMap.set(conversation.id, fresh);
    this.emit({ type: "conversations", conversationId: conversation.id });
  }

  /** Replaces the whole list (a reload): conversations not in it are gone. */
  replaceConversations(conversations: Conversation[]): void {
    const keep = new Set(conversations.map((c) => c.id));
    for (const id of [...this.conversationMap.keys()])
      if (!keep.has(id)) this.removeConversation(id);
    for (const conversation of conversations) this.putConversation(conversation);
  }

  removeConversation(id: string): void {
    this.conversationMap.delete(id);
    this.timelines.delete(id);
    this.emit({ type: "conversations", conversationId: id });
  }

  /** Drops every held message (after a resync: edits and deletions may have been missed). */
  clearMessages(): void {
    this.timelines.clear();
    this.emit({ type: "reset" });
  }

  /** Puts a stored message in its timeline and updates the conversation's counts. */
  putMessage(message: Message): void {
    const timeline = this.timeline(message.conversation_id);
    const previous = timeline.upsert(message);
    const pending = this.pendingOf(message.conversation_id).find(
      (p) => p.client_msg_id && p.client_msg_id === message.client_msg_id,
    );
    const conversation = this.conversationMap.get(message.conversation_id);
    if (conversation) {
      if (message.seq > conversation.last_seq) this.countNew(conversation, message);
      else if (conversation.last_message?.id === message.id) conversation.last_message = message;
      this.emit({ type: "conversations", conversationId: conversation.id });
    }
    this.emit({
      type: "message",
      conversationId: message.conversation_id,
      message,
      previous: previous ?? pending,
    });
  }

  /** The outbox's entries: shown after their conversation's stored messages. */
  setPending(entries: OutboxEntry[]): void {
    const touched = new Set([...this.pendingEntries, ...entries].map((e) => e.conversation_id));
    this.pendingEntries = entries;
    for (const conversationId of touched) this.emit({ type: "messages", conversationId });
  }

  setTyping(conversationId: string, userId: string, typing: boolean): void {
    if (userId === this.userId) return;
    let users = this.typists.get(conversationId);
    if (!users) this.typists.set(conversationId, (users = new Map()));
    clearTimeout(users.get(userId));
    users.delete(userId);
    if (typing) {
      users.set(
        userId,
        setTimeout(() => this.setTyping(conversationId, userId, false), TYPING_SHOWN_MS),
      );
    }
    this.emit({ type: "typing", conversationId });
  }

  setPresence(userId: string, status: PresenceStatus): void {
    if (this.presenceMap.get(userId) === status) return;
    this.presenceMap.set(userId, status);
    this.emit({ type: "presence", userId });
  }

  putUsers(users: User[]): void {
    for (const user of users) this.userMap.set(user.id, user);
    if (users.length) this.emit({ type: "users", userIds: users.map((u) => u.id) });
  }

  /** Forgets everything (sign-out). */
  reset(): void {
    for (const users of this.typists.values())
      for (const timer of users.values()) clearTimeout(timer);
    this.conversationMap.clear();
    this.timelines.clear();
    this.typists.clear();
    this.presenceMap.clear();
    this.userMap.clear();
    this.pendingEntries = [];
    this.emit({ type: "reset" });
  }

  emit(change: StoreChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }

  /** A message newer than the conversation's last_seq: the counts move. */
  private countNew(conversation: Conversation, message: Message): void {
    conversation.last_seq = message.seq;
    conversation.last_message = message;
    if (message.sender_id === this.userId) {
      // Sending moves the sender's own read pointer to the message.
      const me = conversation.members.find((m) => m.user_id === this.userId);
      if (me) me.last_read_seq = Math.max(me.last_read_seq, message.seq);
      conversation.unread_count = 0;
      conversation.mention_count = 0;
    } else if (!message.deleted_at) {
      conversation.unread_count += 1;
      if (this.userId && message.mentions?.includes(this.userId)) conversation.mention_count += 1;
    }
  }

  /** How far each member's client acknowledged receiving a conversation's messages. */
  deliveredSeq(conversationId: string, userId: string): number {
    return this.deliveredMap.get(conversationId)?.get(userId) ?? 0;
  }

  /** A `message.delivered` (direct conversations): the ticks of the sender's messages. */
  setDelivered(data: { conversation_id: string; user_id: string; delivered_seq: number }): void {
    const members = this.deliveredMap.get(data.conversation_id) ?? new Map<string, number>();
    this.deliveredMap.set(data.conversation_id, members);
    members.set(data.user_id, Math.max(members.get(data.user_id) ?? 0, data.delivered_seq));
    this.emit({ type: "conversations", conversationId: data.conversation_id });
  }

  private pendingOf(conversationId: string): PendingMessage[] {
    const timeline = this.timelines.get(conversationId);
    const stored = new Set(
      (timeline?.messages ?? [])
        .filter((m) => m.sender_id === this.userId)
        .map((m) => m.client_msg_id),
    );
    return this.pendingEntries
      .filter((e) => e.conversation_id === conversationId && !stored.has(e.client_msg_id))
      .map((e) => this.pendingMessage(e));
  }

  private pendingMessage(entry: OutboxEntry): PendingMessage {
    return {
      id: "",
      conversation_id: entry.conversation_id,
      sender_id: entry.user_id ?? this.userId ?? "",
      seq: 0,
      content: entry.content,
      metadata: entry.metadata ?? {},
      parent_id: entry.parent_id ?? null,
      reply_count: 0,
      attachments: entry.attachments ?? [],
      reactions: [],
      client_msg_id: entry.client_msg_id,
      created_at: entry.created_at,
      edited_at: null,
      deleted_at: null,
      mentions: [],
      pending: entry.state,
      ...(entry.error ? { error: entry.error } : {}),
    };
  }
}
