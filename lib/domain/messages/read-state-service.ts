import { notFound } from "../../errors";
import type { UnitOfWork } from "../../event-log/transaction-runner";
import type { EventDraft } from "../../events/event-types";
import { BadgeRepository, type BadgeCounts } from "../../store/badge-repository";
import { validate } from "../../validation";
import { MessageContext, visibleMessage } from "./message-context";
import { conversationIdSchema, messageIdSchema } from "./message-schemas";
import { deliveredSchema, markUnreadSchema } from "./read-state-schemas";
import { ThreadReadRepository } from "../../store/thread-read-repository";

/** What `read_state.updated` carries: the caller's pointers and counts after the change. */
export interface ReadStateChange extends BadgeCounts {
  conversation_id: string;
  user_id: string;
  last_read_seq: number;
  thread_id: string | null;
  thread_last_read_seq: number | null;
  thread_unread_count: number | null;
}

/**
 * Read state beyond "read forward": marking a message unread (the one way a pointer moves
 * back), per-thread read pointers, and the delivered pointer. Changes to one's own state
 * reach one's other devices as `read_state.updated`, with the new counts.
 */
export class ReadStateService {
  private readonly badges = new BadgeRepository();
  private readonly threads = new ThreadReadRepository();

  constructor(private readonly context: MessageContext) {}

  /** The message and everything after it become unread for the caller. */
  async markUnread(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<ReadStateChange> {
    const id = validate(conversationIdSchema, conversationId).toLowerCase();
    const { message_id } = validate(markUnreadSchema, input);
    return this.context.transactions.run(async (uow) => {
      const row = await visibleMessage(this.context, message_id, callerId, uow.trx);
      if (row.conversation_id !== id) throw notFound("message");
      const seq = Number(row.seq);
      const pointer = await this.context.readState.moveBack(id, callerId, seq - 1, uow.trx);
      if (row.parent_id) await this.threads.moveBack(row.parent_id, callerId, seq - 1, uow.trx);
      return this.announce(uow, id, callerId, pointer ?? 0, row.parent_id);
    });
  }

  /**
   * Marks a thread read through a reply (through its newest reply when `messageId` is the
   * thread's root); the conversation's pointer stays where it is.
   */
  async markThreadRead(callerId: string, messageId: unknown): Promise<ReadStateChange> {
    const id = validate(messageIdSchema, messageId);
    return this.context.transactions.run(async (uow) => {
      const row = await visibleMessage(this.context, id, callerId, uow.trx);
      const rootId = row.parent_id ?? row.id;
      const seq = row.parent_id ? Number(row.seq) : await this.threads.newestReply(rootId, uow.trx);
      if (seq > 0) {
        await this.threads.advance(
          { root_id: rootId, user_id: callerId, conversation_id: row.conversation_id, seq },
          uow.trx,
        );
      }
      const pointer = await this.context.readState.pointer(row.conversation_id, callerId, uow.trx);
      return this.announce(uow, row.conversation_id, callerId, pointer, rootId);
    });
  }

  /** The caller's threads in a conversation with unread replies (newest thread first, at most 100). */
  async unreadThreads(callerId: string, conversationId: unknown) {
    const id = validate(conversationIdSchema, conversationId).toLowerCase();
    if (!(await this.context.members.find(id, callerId))) throw notFound("conversation");
    return {
      data: await this.threads.unreadThreads(id, callerId, this.context.db),
      next_cursor: null,
    };
  }

  /**
   * The caller's client received the conversation's messages up to `seq` (clamped to the
   * newest). Only forward; in a direct conversation `message.delivered` tells both members.
   */
  async acknowledgeDelivered(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<{ conversation_id: string; delivered_seq: number }> {
    const id = validate(conversationIdSchema, conversationId).toLowerCase();
    const { seq } = validate(deliveredSchema, input);
    const { readState } = this.context;
    return this.context.transactions.run(async ({ trx, emit }) => {
      const conversation = await readState.delivery(id, callerId, trx);
      if (!conversation) throw notFound("conversation");
      const target = Math.min(seq, conversation.last_seq);
      if (!(await readState.advanceDelivered(id, callerId, target, trx)))
        return { conversation_id: id, delivered_seq: conversation.delivered_seq };
      const data = { conversation_id: id, user_id: callerId, delivered_seq: target };
      if (conversation.type === "direct") {
        emit({
          type: "message.delivered",
          conversationId: id,
          audience: await this.context.members.memberIds(id, trx),
          frame: { type: "message.delivered", data },
        });
      }
      return { conversation_id: id, delivered_seq: target };
    });
  }

  /** Emits the caller's new state to their own connections and returns it. */
  private async announce(
    uow: UnitOfWork,
    conversationId: string,
    callerId: string,
    lastReadSeq: number,
    threadId: string | null,
  ): Promise<ReadStateChange> {
    const counts = await this.badges.forMember(conversationId, callerId, uow.trx);
    const thread = threadId ? await this.threads.state(threadId, callerId, uow.trx) : null;
    const change: ReadStateChange = {
      conversation_id: conversationId,
      user_id: callerId,
      last_read_seq: lastReadSeq,
      thread_id: threadId,
      thread_last_read_seq: thread?.last_read_seq ?? null,
      thread_unread_count: thread?.unread_count ?? null,
      ...counts,
    };
    uow.emit(readStateEvent(change));
    return change;
  }
}

/** `read_state.updated`: the member's own new state, to their own connections only. */
export function readStateEvent(change: ReadStateChange): EventDraft {
  return {
    type: "read_state.updated",
    conversationId: change.conversation_id,
    audience: [change.user_id],
    frame: { type: "read_state.updated", data: change },
  };
}
