import { conflict } from "../../errors";
import { hydrateMessages } from "../../store/message-repository";
import { validate } from "../../validation";
import type { Message } from "../types";
import { MessageContext, visibleMessage } from "./message-context";
import {
  MAX_DISTINCT_REACTIONS,
  emojiSchema,
  messageIdSchema,
  reactionSchema,
} from "./message-schemas";

/** Reactions: one row per user and emoji, at most 50 distinct emoji per message. */
export class ReactionService {
  constructor(private readonly context: MessageContext) {}

  /**
   * Adding the same reaction again changes nothing (`created` false, no event). A new
   * 51st distinct emoji and any reaction on a deleted message are conflicts. The message
   * row is locked so two concurrent new emoji cannot both pass the limit.
   */
  async addReaction(
    callerId: string,
    messageId: unknown,
    input: unknown,
  ): Promise<{ created: boolean; message: Message }> {
    const id = validate(messageIdSchema, messageId);
    const { emoji } = validate(reactionSchema, input);
    const { reactions, members } = this.context;
    return this.context.transactions.run(async ({ trx, emit }) => {
      const row = await visibleMessage(this.context, id, callerId, trx, true);
      if (row.deleted_at) throw conflict("message is deleted");
      const { distinct, present } = await reactions.distinctEmoji(id, emoji, trx);
      if (!present && distinct >= MAX_DISTINCT_REACTIONS) {
        throw conflict(`a message carries at most ${MAX_DISTINCT_REACTIONS} distinct reactions`);
      }
      const created = await reactions.add(id, callerId, emoji, trx);
      if (created) {
        emit({
          type: "reaction.added",
          conversationId: row.conversation_id,
          audience: await members.memberIds(row.conversation_id, trx),
          frame: {
            type: "reaction.added",
            data: {
              message_id: id,
              conversation_id: row.conversation_id,
              user_id: callerId,
              emoji,
            },
          },
        });
      }
      const [message] = await hydrateMessages(trx, [row]);
      return { created, message };
    });
  }

  /** Removing a reaction that is not there (or from a deleted message) is a no-op. */
  async removeReaction(callerId: string, messageId: unknown, rawEmoji: unknown): Promise<void> {
    const id = validate(messageIdSchema, messageId);
    const emoji = validate(emojiSchema, rawEmoji);
    const { reactions, members } = this.context;
    await this.context.transactions.run(async ({ trx, emit }) => {
      const row = await visibleMessage(this.context, id, callerId, trx);
      if (!(await reactions.remove(id, callerId, emoji, trx))) return;
      emit({
        type: "reaction.removed",
        conversationId: row.conversation_id,
        audience: await members.memberIds(row.conversation_id, trx),
        frame: {
          type: "reaction.removed",
          data: { message_id: id, conversation_id: row.conversation_id, user_id: callerId, emoji },
        },
      });
    });
  }
}
