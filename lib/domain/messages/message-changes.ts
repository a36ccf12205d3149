import { conflict, forbidden, notFound } from "../../errors";
import type { UnitOfWork } from "../../event-log/transaction-runner";
import { hydrateMessages, MessageRow } from "../../store/message-repository";
import { validate } from "../../validation";
import { BadgeRepository } from "../../store/badge-repository";
import type { Message } from "../types";
import { tombstonePatch } from "./tombstone";
import { MessageContext, visibleMessage } from "./message-context";
import { editSchema, messageIdSchema } from "./message-schemas";
import type { Tx } from "../../store/handles";

/** Edits (with history) and deletes (tombstones) of messages. */
export class MessageChanges {
  private readonly badges = new BadgeRepository();

  constructor(private readonly context: MessageContext) {}

  /**
   * Sender only (another member: forbidden). A deleted message cannot be edited
   * (conflict). The previous text goes to message_edits; an edit that changes nothing is
   * not recorded and emits nothing.
   */
  async editMessage(callerId: string, messageId: unknown, input: unknown): Promise<Message> {
    const id = validate(messageIdSchema, messageId);
    let { content } = validate(editSchema, input);
    if (this.context.moderation) content = await this.moderateEdit(callerId, id, content);
    return this.context.transactions.run(async ({ trx, emit }) => {
      const row = await visibleMessage(this.context, id, callerId, trx, true);
      if (row.sender_id !== callerId) throw forbidden("only the sender may edit a message");
      if (row.deleted_at) throw conflict("message is deleted");
      if (row.content === content) return (await hydrateMessages(trx, [row]))[0];
      const updated = await this.context.messages.edit(row, content, trx);
      const [message] = await hydrateMessages(trx, [updated]);
      // Earlier events show the message as it stands now: the superseded text stays only
      // in the edit history.
      await this.context.redactions.patchMessage(trx, row.conversation_id, row.id, {
        content: message.content,
        edited_at: message.edited_at,
      });
      emit({
        type: "message.updated",
        conversationId: row.conversation_id,
        audience: await this.context.members.memberIds(row.conversation_id, trx),
        frame: { type: "message.updated", data: message },
      });
      return message;
    });
  }

  /** The edit's content after moderation (outside the edit's transaction: the hook may be slow). */
  private async moderateEdit(callerId: string, id: string, content: string): Promise<string> {
    const row = await visibleMessage(this.context, id, callerId);
    if (row.sender_id !== callerId) throw forbidden("only the sender may edit a message");
    return this.context.moderation!.reviewEdit(callerId, row.conversation_id, id, content);
  }

  /**
   * The sender, or an owner or admin of a group, may delete; in a direct conversation only
   * the sender. Deleting again is a no-op (204 again, no second event). Every stored event
   * that carried the message becomes a tombstone in the same transaction.
   */
  async deleteMessage(callerId: string, messageId: unknown): Promise<void> {
    const id = validate(messageIdSchema, messageId);
    await this.context.transactions.run(async ({ trx, emit }) => {
      const row = await visibleMessage(this.context, id, callerId, trx, true);
      const moderator = row.conversation_type === "group" && row.caller_role !== "member";
      if (row.sender_id !== callerId && !moderator) {
        throw forbidden("only the sender or a group owner or admin may delete a message");
      }
      if (!row.deleted_at) await this.tombstone(row, trx, emit);
    });
  }

  /**
   * A service admin's delete of any message: `within` runs in the same transaction first
   * (the audit entry; it may refuse by throwing). Deleting again is a no-op.
   */
  async deleteAnyMessage(
    messageId: unknown,
    within: (trx: Tx, row: MessageRow) => Promise<void>,
  ): Promise<void> {
    const id = validate(messageIdSchema, messageId);
    await this.context.transactions.run(async ({ trx, emit }) => {
      const row = await this.context.messages.findForUpdate(id, trx);
      if (!row) throw notFound("message");
      await within(trx, row);
      if (!row.deleted_at) await this.tombstone(row, trx, emit);
    });
  }

  /** The tombstone and its message.deleted event to the conversation's members. */
  private async tombstone(row: MessageRow, trx: Tx, emit: UnitOfWork["emit"]): Promise<void> {
    const tombstone = await this.context.messages.tombstone(row.id, trx);
    const deletedAt = new Date(tombstone.deleted_at!).toISOString();
    // Every stored event that carried the message becomes a tombstone too.
    await this.context.redactions.patchMessage(
      trx,
      row.conversation_id,
      row.id,
      tombstonePatch(deletedAt),
    );
    // Each member's own counts ride along: the message may have been unread, or a mention.
    const counts = await this.badges.forMembers(row.conversation_id, trx);
    emit({
      type: "message.deleted",
      conversationId: row.conversation_id,
      audience: [...counts.keys()],
      viewerFields: Object.fromEntries([...counts].map(([userId, c]) => [userId, { ...c }])),
      frame: {
        type: "message.deleted",
        data: {
          id: row.id,
          conversation_id: row.conversation_id,
          seq: Number(row.seq),
          deleted_at: deletedAt,
        },
      },
    });
  }

  /** Earlier versions, oldest first: each is the text an edit at `edited_at` replaced. */
  async listEdits(
    callerId: string,
    messageId: unknown,
  ): Promise<{ content: string; edited_at: string }[]> {
    const id = validate(messageIdSchema, messageId);
    await visibleMessage(this.context, id, callerId);
    const rows = await this.context.messages.listEdits(id);
    return rows.map((row) => ({
      content: row.content,
      edited_at: new Date(row.edited_at).toISOString(),
    }));
  }
}
