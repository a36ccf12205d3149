import type { ChatStore, Conversation, MessagingClient, PresenceStatus } from "../client/src/index";

/**
 * What every view reads: the SDK's store (conversations, messages, typing, presence,
 * users), which conversation is open, and how people and conversations are named.
 */
export class ViewState {
  /** The conversation shown in the main column. */
  openId: string | null = null;

  constructor(readonly client: MessagingClient) {}

  get store(): ChatStore {
    return this.client.store;
  }

  get myId(): string {
    return this.store.userId ?? "";
  }

  openConversation(): Conversation | undefined {
    return this.openId ? this.store.conversation(this.openId) : undefined;
  }

  userName(id: string): string {
    const user = this.store.user(id);
    return user ? user.display_name || user.username : "…";
  }

  conversationTitle(conversation: Conversation): string {
    if (conversation.type === "group") return conversation.name || "Unnamed group";
    const other = conversation.members.find((m) => m.user_id !== this.myId);
    return other ? this.userName(other.user_id) : "Just you";
  }

  /** The other person of a direct conversation (for the presence dot). */
  directPeer(conversation: Conversation): string | null {
    if (conversation.type !== "direct") return null;
    return conversation.members.find((m) => m.user_id !== this.myId)?.user_id ?? null;
  }

  presence(userId: string): PresenceStatus {
    return this.store.presence(userId) ?? "offline";
  }
}
