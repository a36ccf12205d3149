import type { Conversation, Message, PresenceStatus, User } from "./types";

/** A message shown before the server has it: keyed by client_msg_id until reconciled. */
export interface PendingMessage extends Message {
  pending: "sending" | "failed";
}

export type ShownMessage = Message | PendingMessage;

/** One conversation's loaded history, oldest first. */
export interface Timeline {
  messages: ShownMessage[];
  /** Where the next older page starts; null once the first message is loaded. */
  olderCursor: string | null;
  loaded: boolean;
}

/** Everything the client knows; the views read it, the controller changes it. */
export class Store {
  me: User | null = null;
  readonly users = new Map<string, User>();
  readonly conversations = new Map<string, Conversation>();
  readonly presence = new Map<string, PresenceStatus>();
  readonly timelines = new Map<string, Timeline>();
  /** conversation id → user ids typing now (with when their indicator expires). */
  readonly typing = new Map<string, Map<string, number>>();
  openId: string | null = null;

  reset(): void {
    this.me = null;
    this.users.clear();
    this.conversations.clear();
    this.presence.clear();
    this.timelines.clear();
    this.typing.clear();
    this.openId = null;
  }

  userName(id: string): string {
    const user = this.users.get(id);
    if (!user) return "…";
    return user.display_name || user.username;
  }

  conversationTitle(conversation: Conversation): string {
    if (conversation.type === "group") return conversation.name || "Unnamed group";
    const other = conversation.members.find((m) => m.user_id !== this.me?.id);
    return other ? this.userName(other.user_id) : "Just you";
  }

  /** The other person of a direct conversation (for the presence dot). */
  directPeer(conversation: Conversation): string | null {
    if (conversation.type !== "direct") return null;
    return conversation.members.find((m) => m.user_id !== this.me?.id)?.user_id ?? null;
  }

  sortedConversations(): Conversation[] {
    const activity = (c: Conversation) => c.last_message?.created_at ?? c.updated_at;
    return [...this.conversations.values()].sort((a, b) => activity(b).localeCompare(activity(a)));
  }

  timeline(conversationId: string): Timeline {
    let timeline = this.timelines.get(conversationId);
    if (!timeline) {
      timeline = { messages: [], olderCursor: null, loaded: false };
      this.timelines.set(conversationId, timeline);
    }
    return timeline;
  }

  /**
   * Puts a message in its timeline, replacing the same id or the pending copy with the
   * same client_msg_id. Returns the message it replaced, if any.
   */
  upsertMessage(message: ShownMessage): ShownMessage | undefined {
    const timeline = this.timeline(message.conversation_id);
    const list = timeline.messages;
    const index = list.findIndex(
      (m) =>
        (m.id && m.id === message.id) ||
        (message.client_msg_id !== null &&
          m.client_msg_id === message.client_msg_id &&
          m.sender_id === message.sender_id),
    );
    if (index >= 0) {
      const previous = list[index];
      list.splice(index, 1);
      insertSorted(list, message);
      return previous;
    }
    insertSorted(list, message);
    return undefined;
  }

  findMessage(id: string): ShownMessage | undefined {
    for (const timeline of this.timelines.values()) {
      const found = timeline.messages.find((m) => m.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** The newest message in a loaded timeline that has a server id. */
  newestStored(conversationId: string): Message | undefined {
    const list = this.timelines.get(conversationId)?.messages ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (!isPending(list[i])) return list[i];
    return undefined;
  }

  typists(conversationId: string): string[] {
    const now = Date.now();
    const map = this.typing.get(conversationId);
    if (!map) return [];
    for (const [user, until] of map) if (until < now) map.delete(user);
    return [...map.keys()];
  }
}

export function isPending(message: ShownMessage): message is PendingMessage {
  return "pending" in message;
}

/** Pending messages (no seq yet) sort after every stored one. */
function seqOf(message: ShownMessage): number {
  return isPending(message) ? Number.MAX_SAFE_INTEGER : message.seq;
}

function insertSorted(list: ShownMessage[], message: ShownMessage): void {
  let index = list.length;
  while (index > 0 && seqOf(list[index - 1]) > seqOf(message)) index--;
  list.splice(index, 0, message);
}
