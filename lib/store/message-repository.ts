import type { Knex } from "knex";
import type { FileObject, Message, Reaction } from "../domain/types";

export interface MessageRow {
  id: string;
  conversation_id: string;
  sender_id: string;
  seq: number;
  content: string | null;
  metadata: Record<string, unknown>;
  parent_id: string | null;
  reply_count: number;
  client_msg_id: string | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
}

export interface FileRow {
  id: string;
  uploader_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: Date;
}

/** Columns of `messages` that make a Message (never the generated search_vector). */
export const MESSAGE_COLUMNS = [
  "id",
  "conversation_id",
  "sender_id",
  "seq",
  "content",
  "metadata",
  "parent_id",
  "reply_count",
  "client_msg_id",
  "created_at",
  "edited_at",
  "deleted_at",
];

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

export const toFileObject = (row: FileRow): FileObject => ({
  id: row.id,
  filename: row.filename,
  content_type: row.content_type,
  size: Number(row.size),
  sha256: row.sha256,
  uploader_id: row.uploader_id,
  created_at: new Date(row.created_at).toISOString(),
  url: `/api/v1/files/${row.id}`,
});

/** A Message from its row; a deleted one is a tombstone (no content, files or reactions). */
export function toMessage(
  row: MessageRow,
  attachments: FileObject[] = [],
  reactions: Reaction[] = [],
): Message {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    sender_id: row.sender_id,
    seq: Number(row.seq),
    content: deleted ? null : row.content,
    metadata: deleted ? {} : (row.metadata ?? {}),
    parent_id: row.parent_id,
    reply_count: Number(row.reply_count),
    attachments: deleted ? [] : attachments,
    reactions: deleted ? [] : reactions,
    client_msg_id: row.client_msg_id,
    created_at: new Date(row.created_at).toISOString(),
    edited_at: iso(row.edited_at),
    deleted_at: iso(row.deleted_at),
  };
}

/**
 * Turns message rows into full Messages with their attachments and aggregated reactions,
 * in two queries for the whole batch (never one per message). Order is kept.
 */
export async function hydrateMessages(db: Knex, rows: MessageRow[]): Promise<Message[]> {
  const live = rows.filter((row) => row.deleted_at === null).map((row) => row.id);
  if (live.length === 0) return rows.map((row) => toMessage(row));
  const [attachmentRows, reactionRows] = await Promise.all([
    db("message_attachments as a")
      .join("files as f", "f.id", "a.file_id")
      .whereIn("a.message_id", live)
      .orderBy([{ column: "a.message_id" }, { column: "a.position" }])
      .select("a.message_id", "f.*"),
    db("message_reactions")
      .whereIn("message_id", live)
      .orderBy([{ column: "message_id" }, { column: "created_at" }, { column: "user_id" }])
      .select("message_id", "emoji", "user_id"),
  ]);
  const attachments = new Map<string, FileObject[]>();
  for (const row of attachmentRows as (FileRow & { message_id: string })[]) {
    const list = attachments.get(row.message_id) ?? [];
    list.push(toFileObject(row));
    attachments.set(row.message_id, list);
  }
  const reactions = new Map<string, Map<string, Reaction>>();
  for (const row of reactionRows as { message_id: string; emoji: string; user_id: string }[]) {
    const byEmoji = reactions.get(row.message_id) ?? new Map<string, Reaction>();
    const reaction = byEmoji.get(row.emoji) ?? { emoji: row.emoji, count: 0, user_ids: [] };
    reaction.count += 1;
    reaction.user_ids.push(row.user_id);
    byEmoji.set(row.emoji, reaction);
    reactions.set(row.message_id, byEmoji);
  }
  return rows.map((row) =>
    toMessage(row, attachments.get(row.id) ?? [], [...(reactions.get(row.id)?.values() ?? [])]),
  );
}

/** Loads and hydrates messages by id (missing ids are skipped), in the order given. */
export async function loadMessages(db: Knex, ids: string[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  const rows = (await db("messages").whereIn("id", ids).select(MESSAGE_COLUMNS)) as MessageRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return hydrateMessages(
    db,
    ids.map((id) => byId.get(id)).filter((row): row is MessageRow => row !== undefined),
  );
}
