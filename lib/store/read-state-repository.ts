import type { Knex } from "knex";

export interface ReceiptRow {
  user_id: string;
  read_at: Date;
}

/** Read pointers (conversation_members.last_read_seq) and explicit read receipts. */
export class ReadStateRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Moves the member's pointer forward to `seq`, never back.
   * @returns the new pointer, or undefined when it did not move
   */
  async advance(
    conversationId: string,
    userId: string,
    seq: number,
    db: Knex,
  ): Promise<number | undefined> {
    const [row] = (await db("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .where("last_read_seq", "<", seq)
      .update({ last_read_seq: seq, last_read_at: db.fn.now() })
      .returning("last_read_seq")) as { last_read_seq: number }[];
    return row ? Number(row.last_read_seq) : undefined;
  }

  async pointer(conversationId: string, userId: string, db: Knex): Promise<number> {
    const row = (await db("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .first("last_read_seq")) as { last_read_seq: number } | undefined;
    return Number(row?.last_read_seq ?? 0);
  }

  /** Records an explicit read of one message; the first read time is kept. */
  async recordReceipt(
    receipt: { message_id: string; user_id: string; conversation_id: string; seq: number },
    db: Knex,
  ): Promise<void> {
    await db("message_read_receipts")
      .insert(receipt)
      .onConflict(["message_id", "user_id"])
      .ignore();
  }

  /**
   * Who has read a message, derived from the pointers: every member whose pointer reached
   * its seq, except the sender. The time is the explicit receipt's when there is one, else
   * when the pointer last moved.
   */
  async readers(
    message: { id: string; conversation_id: string; seq: number; sender_id: string },
    db: Knex = this.knex,
  ): Promise<ReceiptRow[]> {
    return (await db("conversation_members as cm")
      .leftJoin("message_read_receipts as r", (join) =>
        join.on("r.user_id", "cm.user_id").andOnVal("r.message_id", message.id),
      )
      .where("cm.conversation_id", message.conversation_id)
      .where("cm.last_read_seq", ">=", message.seq)
      .whereNot("cm.user_id", message.sender_id)
      .select("cm.user_id", db.raw("coalesce(r.read_at, cm.last_read_at, cm.joined_at) as read_at"))
      .orderBy([{ column: "read_at" }, { column: "cm.user_id" }])) as ReceiptRow[];
  }
}
