import { validate } from "../../validation";
import { BadgeRepository } from "../../store/badge-repository";
import type { ReadPointer, Receipt, ReceiptStatus } from "../types";
import { MessageContext, visibleMessage } from "./message-context";
import { messageIdSchema } from "./message-schemas";
import { readStateEvent } from "./read-state-service";

/**
 * Read state: one pointer per member (last_read_seq) that only moves forward, plus a
 * receipt row per explicit read. Receipts are derived from the pointers, so reading one
 * message never writes a row per earlier message.
 */
export class ReadService {
  private readonly badges = new BadgeRepository();

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
      // With read receipts off, only the reader's own connections hear of the read.
      const shared = await readState.readsVisible(callerId, trx);
      emit({
        type: "message.read",
        conversationId,
        audience: shared ? await members.memberIds(conversationId, trx) : [callerId],
        frame: {
          type: "message.read",
          message_id: id,
          user_id: callerId,
          conversation_id: conversationId,
          last_read_seq: moved,
        },
      });
      // The reader's other devices get the new counts (badges stay right everywhere).
      const counts = await this.badges.forMember(conversationId, callerId, trx);
      emit(
        readStateEvent({
          conversation_id: conversationId,
          user_id: callerId,
          last_read_seq: moved,
          thread_id: null,
          thread_last_read_seq: null,
          thread_unread_count: null,
          ...counts,
        }),
      );
      return { conversation_id: conversationId, last_read_seq: moved };
    });
  }

  /** Members other than the sender whose pointer reached the message, earliest first. */
  async listReceipts(callerId: string, messageId: unknown): Promise<Receipt[]> {
    const id = validate(messageIdSchema, messageId);
    const row = await visibleMessage(this.context, id, callerId);
    const rows = await this.context.readState.readers({ ...row, seq: Number(row.seq) }, callerId);
    return rows.map((r) => ({ user_id: r.user_id, read_at: new Date(r.read_at).toISOString() }));
  }

  /**
   * sent → delivered → read: per member in a direct conversation, as counts in a group
   * (`GET /messages/:id/receipts?view=status`).
   */
  async receiptStatus(callerId: string, messageId: unknown): Promise<ReceiptStatus> {
    const id = validate(messageIdSchema, messageId);
    const row = await visibleMessage(this.context, id, callerId);
    const members = await this.context.readState.statuses(
      { ...row, seq: Number(row.seq) },
      callerId,
    );
    const count = (status: string) => members.filter((m) => m.status === status).length;
    const read = count("read");
    const delivered = read + count("delivered");
    const overall: ReceiptStatus["status"] =
      members.length > 0 && read === members.length
        ? "read"
        : members.length > 0 && delivered === members.length
          ? "delivered"
          : "sent";
    const base = { message_id: id, conversation_type: row.conversation_type, status: overall };
    return row.conversation_type === "direct"
      ? { ...base, members }
      : { ...base, counts: { recipients: members.length, delivered, read } };
  }
}
