import { validate } from "../../validation";
import type { ReadPointer, Receipt } from "../types";
import { MessageContext, visibleMessage } from "./message-context";
import { messageIdSchema } from "./message-schemas";

/**
 * Read state: one pointer per member (last_read_seq) that only moves forward, plus a
 * receipt row per explicit read. Receipts are derived from the pointers, so reading one
 * message never writes a row per earlier message.
 */
export class ReadService {
  constructor(private readonly context: MessageContext) {}

  /** Marks the message and everything before it read; `message.read` only when it moved. */
  async markRead(callerId: string, messageId: unknown): Promise<ReadPointer> {
    const id = validate(messageIdSchema, messageId);
    const { readState, members } = this.context;
    return this.context.transactions.run(async ({ trx, emit }) => {
      const row = await visibleMessage(this.context, id, callerId, trx);
      const conversationId = row.conversation_id;
      const seq = Number(row.seq);
      const moved = await readState.advance(conversationId, callerId, seq, trx);
      await readState.recordReceipt(
        { message_id: id, user_id: callerId, conversation_id: conversationId, seq },
        trx,
      );
      if (moved === undefined) {
        return {
          conversation_id: conversationId,
          last_read_seq: await readState.pointer(conversationId, callerId, trx),
        };
      }
      emit({
        type: "message.read",
        conversationId,
        audience: await members.memberIds(conversationId, trx),
        frame: {
          type: "message.read",
          message_id: id,
          user_id: callerId,
          conversation_id: conversationId,
          last_read_seq: moved,
        },
      });
      return { conversation_id: conversationId, last_read_seq: moved };
    });
  }

  /** Members other than the sender whose pointer reached the message, earliest first. */
  async listReceipts(callerId: string, messageId: unknown): Promise<Receipt[]> {
    const id = validate(messageIdSchema, messageId);
    const row = await visibleMessage(this.context, id, callerId);
    const rows = await this.context.readState.readers({ ...row, seq: Number(row.seq) });
    return rows.map((r) => ({ user_id: r.user_id, read_at: new Date(r.read_at).toISOString() }));
  }
}
