import type { Knex } from "knex";
import { Db, dbOf, sql } from "./handles";

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
    db: Db,
  ): Promise<number | undefined> {
    const [row] = (await sql(db)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .where("last_read_seq", "<", seq)
      .update({ last_read_seq: seq, last_read_at: sql(db).fn.now() })
      .returning("last_read_seq")) as { last_read_seq: number }[];
    return row ? Number(row.last_read_seq) : undefined;
  }

  async pointer(conversationId: string, userId: string, db: Db): Promise<number> {
    const row = (await sql(db)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .first("last_read_seq")) as { last_read_seq: number } | undefined;
    return Number(row?.last_read_seq ?? 0);
  }

  /** Records an explicit read of one message; the first read time is kept. */
  async recordReceipt(
    receipt: { message_id: string; user_id: string; conversation_id: string; seq: number },
    db: Db,
  ): Promise<void> {
    await sql(db)("message_read_receipts")
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
    viewerId: string,
    db: Db = dbOf(this.knex),
  ): Promise<ReceiptRow[]> {
    return (
      (await sql(db)("conversation_members as cm")
        .join("users as u", "u.id", "cm.user_id")
        // A reader who turned read receipts off is seen by nobody but themselves.
        .where((where) => {
          where.where("u.read_receipts", true);
          where.orWhere("cm.user_id", viewerId);
        })
        .leftJoin("message_read_receipts as r", (join) =>
          join.on("r.user_id", "cm.user_id").andOnVal("r.message_id", message.id),
        )
        .where("cm.conversation_id", message.conversation_id)
        .where("cm.last_read_seq", ">=", message.seq)
        .whereNot("cm.user_id", message.sender_id)
        .select(
          "cm.user_id",
          sql(db).raw("coalesce(r.read_at, cm.last_read_at, cm.joined_at) as read_at"),
        )
        .orderBy([{ column: "read_at" }, { column: "cm.user_id" }])) as ReceiptRow[]
    );
  }

  /**
   * Mark unread: the member's pointer moves back to `seq` when it is past it.
   * @returns the pointer now, or undefined for a non-member
   */
  async moveBack(
    conversationId: string,
    userId: string,
    seq: number,
    db: Db,
  ): Promise<number | undefined> {
    const [row] = (await sql(db)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .update({ last_read_seq: sql(db).raw("least(last_read_seq, ?)", [seq]) })
      .returning("last_read_seq")) as { last_read_seq: number }[];
    return row ? Number(row.last_read_seq) : undefined;
  }

  /** The member's delivered pointer with the conversation's type and newest seq. */
  async delivery(
    conversationId: string,
    userId: string,
    db: Db,
  ): Promise<{ type: "direct" | "group"; last_seq: number; delivered_seq: number } | undefined> {
    const row = (await sql(db)("conversations as c")
      .join("conversation_members as cm", "cm.conversation_id", "c.id")
      .where({ "c.id": conversationId, "cm.user_id": userId })
      .first("c.type", "c.last_seq", "cm.delivered_seq")) as
      { type: "direct" | "group"; last_seq: number; delivered_seq: number } | undefined;
    return (
      row && { ...row, last_seq: Number(row.last_seq), delivered_seq: Number(row.delivered_seq) }
    );
  }

  /** Moves the delivered pointer forward to `seq`; false when it was already there. */
  async advanceDelivered(
    conversationId: string,
    userId: string,
    seq: number,
    db: Db,
  ): Promise<boolean> {
    const moved = await sql(db)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .where("delivered_seq", "<", seq)
      .update({ delivered_seq: seq, delivered_at: sql(db).fn.now() });
    return Number(moved) > 0;
  }

  async setReadReceipts(userId: string, visible: boolean, db: Db = dbOf(this.knex)): Promise<void> {
    await sql(db)("users").where({ id: userId }).update({ read_receipts: visible });
  }

  /** False when the user turned read receipts off: their reads are theirs alone. */
  async readsVisible(userId: string, db: Db = dbOf(this.knex)): Promise<boolean> {
    const row = (await sql(db)("users").where({ id: userId }).first("read_receipts")) as
      { read_receipts: boolean } | undefined;
    return row?.read_receipts ?? true;
  }

  /**
   * Each member but the sender, with whether the message reached their client (delivered
   * pointer, or read) and whether they read it (the pointer, or its thread's pointer for a
   * reply); a reader with receipts off shows as delivered to everyone else.
   */
  async statuses(
    message: {
      id: string;
      conversation_id: string;
      seq: number;
      sender_id: string;
      parent_id: string | null;
    },
    viewerId: string,
    db: Db = dbOf(this.knex),
  ): Promise<MemberStatusRow[]> {
    const { rows } = (await sql(db).raw(
      `SELECT cm.user_id,
              (cm.last_read_seq >= :seq OR coalesce(t.last_read_seq, 0) >= :seq) AS read_it,
              (u.read_receipts OR cm.user_id = :viewer) AS shows_reads,
              greatest(cm.delivered_seq, cm.last_read_seq) >= :seq AS delivered,
              cm.delivered_at, coalesce(r.read_at, cm.last_read_at) AS read_at
       FROM conversation_members cm
       JOIN users u ON u.id = cm.user_id
       LEFT JOIN thread_reads t ON t.root_id = :root AND t.user_id = cm.user_id
       LEFT JOIN message_read_receipts r ON r.message_id = :id AND r.user_id = cm.user_id
       WHERE cm.conversation_id = :conversation AND cm.user_id <> :sender
       ORDER BY cm.user_id`,
      {
        seq: message.seq,
        viewer: viewerId,
        root: message.parent_id,
        id: message.id,
        conversation: message.conversation_id,
        sender: message.sender_id,
      },
    )) as { rows: RawStatusRow[] };
    return rows.map((row) => {
      const read = row.read_it && row.shows_reads;
      return {
        user_id: row.user_id,
        status: read ? "read" : row.delivered || row.read_it ? "delivered" : "sent",
        delivered_at: row.delivered_at ? new Date(row.delivered_at).toISOString() : null,
        read_at: read && row.read_at ? new Date(row.read_at).toISOString() : null,
      };
    });
  }
}

interface RawStatusRow {
  user_id: string;
  read_it: boolean;
  shows_reads: boolean;
  delivered: boolean;
  delivered_at: Date | null;
  read_at: Date | null;
}

/** One member's state of one message: sent → delivered → read. */
export interface MemberStatusRow {
  user_id: string;
  status: "sent" | "delivered" | "read";
  delivered_at: string | null;
  read_at: string | null;
}
