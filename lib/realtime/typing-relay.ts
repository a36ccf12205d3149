import type { SequencedEvent } from "../events/event-types";

/** `{type: "typing.indicator", conversation_id, user_id, is_typing}` as clients get it. */
export interface TypingFrame {
  type: "typing.indicator";
  conversation_id: string;
  user_id: string;
  is_typing: boolean;
  [key: string]: unknown;
}

export interface TypingRelayOptions {
  /** The other members (not_found for a non-member): who hears the typist. */
  otherMemberIds(userId: string, conversationId: string): Promise<string[]>;
  /** Delivers to these users on every node. */
  publish(userIds: string[], frame: TypingFrame): void;
  /** `realtime.typing_throttle`: at most one relayed typing.start per this interval. */
  throttleMs: number;
  /** `realtime.typing_timeout`: a typing.start without a stop ends by itself after this. */
  timeoutMs: number;
}

interface Typing {
  conversationId: string;
  relayedAt: number;
  recipients: string[];
  timer: NodeJS.Timeout;
}

/**
 * Typing indicators: relayed to the conversation's other members only (a non-member gets
 * not_found and nothing is relayed), throttled, ended by typing.stop, by the timeout, or
 * when the typist's message arrives; a member removed meanwhile hears no more of it.
 * State lives on the node holding the typist's connection; the stored events that end or
 * narrow it (message.new, member.removed, conversation.deleted) have the typist in their
 * audience, so the cluster bus routes them to that node.
 */
export class TypingRelay {
  private readonly active = new Map<string, Typing>();

  constructor(private readonly options: TypingRelayOptions) {}

  async start(userId: string, conversationId: string): Promise<void> {
    const recipients = await this.options.otherMemberIds(userId, conversationId);
    const key = `${userId}/${conversationId}`;
    const current = this.active.get(key);
    const now = Date.now();
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => this.end(userId, conversationId), this.options.timeoutMs);
    timer.unref();
    if (current && now - current.relayedAt < this.options.throttleMs) {
      this.active.set(key, { ...current, recipients, timer });
      return;
    }
    this.active.set(key, { conversationId, relayedAt: now, recipients, timer });
    this.relay(recipients, conversationId, userId, true);
  }

  async stop(userId: string, conversationId: string): Promise<void> {
    await this.options.otherMemberIds(userId, conversationId);
    this.end(userId, conversationId);
  }

  /**
   * Stored-event observer, so typing follows the conversation: a sent message ends its
   * sender's typing; a removed member hears no more of it (a removed typist's typing
   * ends); a deleted conversation's typing is dropped without a word.
   */
  observe(event: SequencedEvent): void {
    if (this.active.size === 0 || !event.conversationId) return;
    const data = event.frame.data as { sender_id?: string; user_id?: string } | undefined;
    if (event.type === "message.new" && data?.sender_id) {
      this.end(data.sender_id, event.conversationId);
    } else if (event.type === "member.removed" && data?.user_id) {
      this.forgetMember(event.conversationId, data.user_id);
    } else if (event.type === "conversation.deleted") {
      this.forgetConversation(event.conversationId);
    }
  }

  stopAll(): void {
    for (const typing of this.active.values()) clearTimeout(typing.timer);
    this.active.clear();
  }

  private forgetMember(conversationId: string, userId: string): void {
    this.end(userId, conversationId);
    for (const typing of this.active.values()) {
      if (typing.conversationId === conversationId) {
        typing.recipients = typing.recipients.filter((id) => id !== userId);
      }
    }
  }

  private forgetConversation(conversationId: string): void {
    for (const [key, typing] of this.active) {
      if (typing.conversationId !== conversationId) continue;
      clearTimeout(typing.timer);
      this.active.delete(key);
    }
  }

  private end(userId: string, conversationId: string): void {
    const key = `${userId}/${conversationId}`;
    const typing = this.active.get(key);
    if (!typing) return;
    clearTimeout(typing.timer);
    this.active.delete(key);
    this.relay(typing.recipients, conversationId, userId, false);
  }

  private relay(recipients: string[], conversationId: string, userId: string, isTyping: boolean) {
    this.options.publish(recipients, {
      type: "typing.indicator",
      conversation_id: conversationId,
      user_id: userId,
      is_typing: isTyping,
    });
  }
}
