import type { Knex } from "knex";
import type { FileRow } from "./message-repository";
import { Db, dbOf, sql } from "./handles";

/** A message an erasure step turned into a tombstone. */
export interface ErasedMessage {
  id: string;
  conversation_id: string;
  seq: number;
  deleted_at: Date;
}

/** A reaction an erasure step removed. */
export interface ErasedReaction {
  message_id: string;
  conversation_id: string;
  emoji: string;
}

const DELETED_NAME = "Deleted user";

/**
 * The set-based statements behind an account's deletion: the profile emptied in place (the
 * row stays for the ids that point at it), then the user's data in bounded batches.
 */
export class ErasureRepository {
  constructor(private readonly knex: Knex) {}

  /** When the account was created (the epoch when it is gone). */
  async createdAt(userId: string): Promise<Date> {
    const row = await this.knex("users").where({ id: userId }).first("created_at");
    return new Date(row?.created_at ?? 0);
  }

  /** Locks the user; undefined when there is none. */
  async lockUser(
    userId: string,
    db: Db,
  ): Promise<
    { id: string; kind: string; deleted_at: Date | null; password_hash: string | null } | undefined
  > {
    return (await sql(db)("users")
      .where({ id: userId })
      .forUpdate()
      .first("id", "kind", "deleted_at", "password_hash")) as never;
  }

  /** Username, display name, password, admin role and suspension go; `deleted_at` is set. */
  async eraseProfile(userId: string, db: Db): Promise<Date> {
    const [row] = (await sql(db)("users")
      .where({ id: userId })
      .update({
        username: `deleted-${userId.replace(/-/g, "").slice(-20)}`,
        display_name: DELETED_NAME,
        password_hash: null,
        is_admin: false,
        suspended_at: null,
        suspended_reason: null,
        deleted_at: sql(db).fn.now(),
        updated_at: sql(db).fn.now(),
      })
      .returning("deleted_at")) as { deleted_at: Date }[];
    return row.deleted_at;
  }

  async markErased(userId: string, db: Db = dbOf(this.knex)): Promise<void> {
    await sql(db)("users")
      .where({ id: userId })
      .update({ erased_at: sql(db).fn.now() });
  }

  /** Up to `limit` of the user's live messages become tombstones (edits, files, reactions gone). */
  async tombstoneMessages(userId: string, limit: number, db: Db): Promise<ErasedMessage[]> {
    const ids = (await sql(db)("messages")
      .where({ sender_id: userId })
      .whereNull("deleted_at")
      .orderBy("id")
      .limit(limit)
      .forUpdate()
      .pluck("id")) as string[];
    if (ids.length === 0) return [];
    await sql(db)("message_edits").whereIn("message_id", ids).delete();
    await sql(db)("message_attachments").whereIn("message_id", ids).delete();
    await sql(db)("message_reactions").whereIn("message_id", ids).delete();
    return (await sql(db)("messages")
      .whereIn("id", ids)
      .update({ content: null, metadata: {}, deleted_at: sql(db).fn.now() })
      .returning(["id", "conversation_id", "seq", "deleted_at"])) as ErasedMessage[];
  }

  async deleteReactions(userId: string, limit: number, db: Db): Promise<ErasedReaction[]> {
    const { rows } = (await sql(db).raw(
      `DELETE FROM message_reactions r USING messages m
       WHERE m.id = r.message_id AND (r.message_id, r.user_id, r.emoji) IN (
         SELECT message_id, user_id, emoji FROM message_reactions WHERE user_id = ? LIMIT ?)
       RETURNING r.message_id, m.conversation_id, r.emoji`,
      [userId, limit],
    )) as { rows: ErasedReaction[] };
    return rows;
  }

  async deleteReceipts(userId: string, db: Db): Promise<void> {
    await sql(db)("message_read_receipts").where({ user_id: userId }).delete();
  }

  /** The user's uploads, a batch at a time, with the messages that attach them. */
  async filesOf(
    userId: string,
    limit: number,
    db: Db,
  ): Promise<{ files: FileRow[]; messages: { id: string; conversation_id: string }[] }> {
    const files = (await sql(db)("files")
      .where({ uploader_id: userId })
      .orderBy("id")
      .limit(limit)) as FileRow[];
    if (files.length === 0) return { files, messages: [] };
    const messages = (await sql(db)("message_attachments as a")
      .join("messages as m", "m.id", "a.message_id")
      .whereIn(
        "a.file_id",
        files.map((file) => file.id),
      )
      .distinct("m.id", "m.conversation_id")) as { id: string; conversation_id: string }[];
    return { files, messages };
  }

  async deleteFiles(ids: string[], db: Db): Promise<void> {
    if (ids.length > 0) await sql(db)("files").whereIn("id", ids).delete();
  }

  /** Report notes the user wrote, and the copies of their reported messages, lose their text. */
  async redactReports(userId: string, deletedAt: string, db: Db): Promise<void> {
    await sql(db)("reports").where({ reporter_id: userId }).update({ note: null });
    await sql(db).raw(`UPDATE reports SET message = message || ?::jsonb WHERE sender_id = ?`, [
      JSON.stringify({ content: null, metadata: {}, attachments: [], deleted_at: deletedAt }),
      userId,
    ]);
  }

  /**
   * Dead letters (webhook bodies kept for replay) that carry the user's messages: the message
   * inside becomes a tombstone, as in the log.
   */
  async redactDeadLetters(
    userId: string,
    tombstone: Record<string, unknown>,
    db: Db,
  ): Promise<void> {
    const patch = JSON.stringify(tombstone);
    for (const path of ["{data}", "{data,message}", "{data,last_message}"]) {
      await sql(db).raw(
        `UPDATE webhook_dead_letters
         SET body = jsonb_set(body::jsonb, ?::text[], (body::jsonb #> ?::text[]) || ?::jsonb)::text
         WHERE body LIKE ? AND (body::jsonb #>> ?::text[]) = ?`,
        [path, path, patch, `%${userId}%`, `${path.slice(0, -1)},sender_id}`, userId],
      );
    }
  }
}
