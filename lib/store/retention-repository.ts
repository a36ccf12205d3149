import type { Knex } from "knex";
import type { FileRow } from "./message-repository";
import { Db, sql } from "./handles";

/** A message old enough to go, and whether replies still hang under it. */
export interface PurgeCandidate {
  id: string;
  conversation_id: string;
  seq: number;
  has_replies: boolean;
  deleted: boolean;
}

/** The smallest time-ordered (v7) id of a millisecond: ids below it are older. */
export function uuidV7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

const CANDIDATE_COLUMNS = `m.id, m.conversation_id, m.seq, m.deleted_at IS NOT NULL AS deleted,
  EXISTS (SELECT 1 FROM messages r WHERE r.parent_id = m.id) AS has_replies`;

/** Retention's statements: old messages found through indexes only, purged in batches. */
export class RetentionRepository {
  constructor(private readonly knex: Knex) {}

  /** The conversation's type and period with the caller's role; undefined for a non-member. */
  async settingFor(
    conversationId: string,
    userId: string,
  ): Promise<{ type: string; retention_days: number | null; role: string } | undefined> {
    return (await this.knex("conversations as c")
      .join("conversation_members as m", "m.conversation_id", "c.id")
      .where({ "c.id": conversationId, "m.user_id": userId })
      .first("c.type", "c.retention_days", "m.role")) as never;
  }

  async setPeriod(conversationId: string, days: number | null): Promise<void> {
    await this.knex("conversations").where({ id: conversationId }).update({ retention_days: days });
  }

  /** Conversations with their own period. */
  async conversationPeriods(): Promise<{ id: string; retention_days: number }[]> {
    return (await this.knex("conversations")
      .whereNotNull("retention_days")
      .select("id", "retention_days")) as never;
  }

  /** Messages created before `cutoff`, after `afterId`, by the primary key (ids are v7). */
  async oldMessages(
    cutoff: Date,
    afterId: string,
    limit: number,
    db: Db,
  ): Promise<PurgeCandidate[]> {
    const { rows } = (await sql(db).raw(
      `SELECT ${CANDIDATE_COLUMNS} FROM messages m
       WHERE m.id > ? AND m.id < ? AND m.created_at < ?
       ORDER BY m.id LIMIT ? FOR UPDATE OF m SKIP LOCKED`,
      [afterId, uuidV7Floor(cutoff.getTime()), cutoff, limit],
    )) as { rows: PurgeCandidate[] };
    return rows;
  }

  /** A conversation's messages created before `cutoff`, after `afterSeq`, by seq. */
  async oldMessagesOf(
    conversationId: string,
    cutoff: Date,
    afterSeq: number,
    limit: number,
    db: Db,
  ): Promise<PurgeCandidate[]> {
    const { rows } = (await sql(db).raw(
      `SELECT ${CANDIDATE_COLUMNS} FROM messages m
       WHERE m.conversation_id = ? AND m.seq > ? AND m.created_at < ?
       ORDER BY m.seq LIMIT ? FOR UPDATE OF m SKIP LOCKED`,
      [conversationId, afterSeq, cutoff, limit],
    )) as { rows: PurgeCandidate[] };
    return rows;
  }

  /** Files attached to these messages (to purge with them when nothing else attaches them). */
  async attachedFiles(messageIds: string[], db: Db): Promise<string[]> {
    if (messageIds.length === 0) return [];
    return (await sql(db)("message_attachments")
      .whereIn("message_id", messageIds)
      .distinct()
      .pluck("file_id")) as string[];
  }

  /** Parents whose replies are still there stay as tombstones until their last reply goes. */
  async tombstone(ids: string[], db: Db): Promise<void> {
    if (ids.length === 0) return;
    await sql(db)("message_edits").whereIn("message_id", ids).delete();
    await sql(db)("message_attachments").whereIn("message_id", ids).delete();
    await sql(db)("message_reactions").whereIn("message_id", ids).delete();
    await sql(db)("messages")
      .whereIn("id", ids)
      .update({ content: null, metadata: {}, deleted_at: sql(db).fn.now() });
  }

  /** Deletes messages (edits, attachment links, reactions and receipts go with them). */
  async delete(ids: string[], db: Db): Promise<void> {
    if (ids.length > 0) await sql(db)("messages").whereIn("id", ids).delete();
  }

  /**
   * Of `fileIds`, or of uploads older than `cutoff` when none are given, those no message
   * attaches any more: deleted, returned so their bytes go too.
   */
  async deleteUnattachedFiles(
    fileIds: string[] | { cutoff: Date; limit: number },
    db: Db,
  ): Promise<FileRow[]> {
    const query = sql(db)("files as f")
      .whereNotExists(
        sql(db)("message_attachments as a").whereRaw("a.file_id = f.id").select(sql(db).raw("1")),
      )
      .select("f.id");
    if (Array.isArray(fileIds)) {
      if (fileIds.length === 0) return [];
      query.whereIn("f.id", fileIds);
    } else {
      query
        .where("f.id", "<", uuidV7Floor(fileIds.cutoff.getTime()))
        .where("f.created_at", "<", fileIds.cutoff)
        .limit(fileIds.limit);
    }
    const ids = (await query).map((row: { id: string }) => row.id);
    if (ids.length === 0) return [];
    return (await sql(db)("files").whereIn("id", ids).delete().returning("*")) as FileRow[];
  }
}
