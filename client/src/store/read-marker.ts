import type { ReadPointer } from "../types.js";
import { Coalescer } from "../util/coalescer.js";
import { applyReadPointer, Refetch } from "./apply-frame.js";
import type { ChatStore } from "./chat-store.js";

/**
 * Moves the signed-in user's read pointer to the newest held message of a conversation.
 * Calls while one is under way make one more after it, never a request each; the answer
 * is applied at once (its message.read event says the same later).
 */
export class ReadMarker {
  private readonly runs = new Coalescer();

  constructor(
    private readonly store: ChatStore,
    private readonly markRead: (messageId: string) => Promise<ReadPointer>,
    private readonly refetch: Refetch,
  ) {}

  mark(conversationId: string): Promise<void> {
    return this.runs.run(conversationId, () => this.markNow(conversationId));
  }

  private async markNow(conversationId: string): Promise<void> {
    const { store } = this;
    const conversation = store.conversation(conversationId);
    const newest = store.timeline(conversationId).messages.at(-1) ?? conversation?.last_message;
    if (!conversation || !newest || !store.userId) return;
    if (store.readPointer(conversation) >= newest.seq && conversation.unread_count === 0) return;
    const { last_read_seq } = await this.markRead(newest.id);
    const read = { conversation_id: conversationId, user_id: store.userId, last_read_seq };
    applyReadPointer(store, read, this.refetch);
  }
}
