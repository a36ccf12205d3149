import type { Knex } from "knex";
import type { FileObject, Message, Reaction } from "../domain/types";
import { Db, dbOf, sql } from "./handles";

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
  /** uuid[]: an array from pg, possibly its text form (`{a,b}`) from another driver. */
  mentions?: string[] | string | null;
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
  "mentions",
];

/** A uuid[] column as an array, whichever form the driver returned. */
export function uuidArray(value: string[] | string | null | undefined): string[] {
  if (Array.isArray(value)) return value;
  if (!value || value === "{}") return [];
  return value.replace(/^\{|\}$/g, "").split(",");
}

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
    mentions: deleted ? [] : uuidArray(row.mentions),
  };
}

/**
 * Turns message rows into full Messages with their attachments and aggregated reactions,
 * in two queries for the whole batch (never one per message). Order is kept.
 */
export async function hydrateMessages(db: Db, rows: MessageRow[]): Promise<Message[]> {
  const live = rows.filter((row) => row.deleted_at === null).map((row) => row.id);
  if (live.length === 0) return rows.map((row) => toMessage(row));
  const [attachmentRows, reactionRows] = await Promise.all([
    sql(db)("message_attachments as a")
      .join("files as f", "f.id", "a.file_id")
      .whereIn("a.message_id", live)
      .orderBy([{ column: "a.message_id" }, { column: "a.position" }])
      .select("a.message_id", "f.*"),
    sql(db)("message_reactions")
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
export async function loadMessages(db: Db, ids: string[]): Promise<Message[]> {
  if (ids.length === 0) return [];
  const rows = (await sql(db)("messages")
    .whereIn("id", ids)
    .select(MESSAGE_COLUMNS)) as MessageRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return hydrateMessages(
    db,
    ids.map((id) => byId.get(id)).filter((row): row is MessageRow => row !== undefined),
  );
}

/** A message row with the caller's membership of its conversation (for authorisation). */
export interface VisibleMessageRow extends MessageRow {
  caller_role: "owner" | "admin" | "member";
  conversation_type: "direct" | "group";
}

export interface NewMessageRow {
  id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  metadata: Record<string, unknown>;
  parent_id: string | null;
  client_msg_id: string | null;
}

/** A page of rows by seq: `after` (exclusive) in the given direction. */
export interface SeqPage {
  direction: "asc" | "desc";
  after?: number;
  limit: number;
}

const prefixed = (alias: string) => MESSAGE_COLUMNS.map((column) => `${alias}.${column}`);

/**
 * The messages table and its satellites (edits, attachments, reactions, read receipts).
 * Every method takes the knex or transaction to run on, so services can compose them
 * inside one transaction.
 */
export class MessageRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * The message if `userId` is a member of its conversation (else undefined, which callers
   * turn into not_found). `lock` takes a row lock on the message for the transaction.
   */
  async findVisible(
    messageId: string,
    userId: string,
    db: Db = dbOf(this.knex),
    lock = false,
  ): Promise<VisibleMessageRow | undefined> {
    const query = sql(db)("messages as m")
      .join("conversations as c", "c.id", "m.conversation_id")
      .join("conversation_members as cm", (join) =>
        join.on("cm.conversation_id", "m.conversation_id").andOnVal("cm.user_id", userId),
      )
      .where("m.id", messageId)
      .first([...prefixed("m"), "cm.role as caller_role", "c.type as conversation_type"]);
    if (lock) query.forUpdate("m");
    return (await query) as VisibleMessageRow | undefined;
  }

  async findByClientMsgId(
    senderId: string,
    clientMsgId: string,
    db: Db = dbOf(this.knex),
  ): Promise<MessageRow | undefined> {
    return (await sql(db)("messages")
      .where({ sender_id: senderId, client_msg_id: clientMsgId })
      .first(MESSAGE_COLUMNS)) as MessageRow | undefined;
  }

  /** The parent candidate of a reply: any message of that conversation. */
  async findInConversation(
    messageId: string,
    conversationId: string,
    db: Db = dbOf(this.knex),
  ): Promise<MessageRow | undefined> {
    return (await sql(db)("messages")
      .where({ id: messageId, conversation_id: conversationId })
      .first(MESSAGE_COLUMNS)) as MessageRow | undefined;
  }

  /** Files among `fileIds` that `uploaderId` uploaded, in the order asked for. */
  async ownFiles(
    uploaderId: string,
    fileIds: string[],
    db: Db = dbOf(this.knex),
  ): Promise<FileRow[]> {
    if (fileIds.length === 0) return [];
    const rows = (await sql(db)("files")
      .whereIn("id", fileIds)
      .where({ uploader_id: uploaderId })
      .select("*")) as FileRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return fileIds.map((id) => byId.get(id)).filter((row): row is FileRow => row !== undefined);
  }

  /** A page of a conversation's messages (or of one thread when parentId is given). */
  async page(
    filter: { conversationId?: string; parentId?: string },
    page: SeqPage,
    db: Db = dbOf(this.knex),
  ): Promise<MessageRow[]> {
    const query = sql(db)("messages")
      .select(MESSAGE_COLUMNS)
      .orderBy("seq", page.direction)
      .limit(page.limit);
    if (filter.conversationId) query.where({ conversation_id: filter.conversationId });
    if (filter.parentId) query.where({ parent_id: filter.parentId });
    if (page.after !== undefined)
      query.where("seq", page.direction === "asc" ? ">" : "<", page.after);
    return (await query) as MessageRow[];
  }

  /** Replaces the content, keeping the previous version in message_edits. */
  async edit(previous: MessageRow, content: string, db: Db): Promise<MessageRow> {
    await sql(db)("message_edits").insert({ message_id: previous.id, content: previous.content });
    const [row] = (await sql(db)("messages")
      .where({ id: previous.id })
      .update({ content, edited_at: sql(db).fn.now() })
      .returning(MESSAGE_COLUMNS)) as MessageRow[];
    return row;
  }

  async listEdits(
    messageId: string,
    db: Db = dbOf(this.knex),
  ): Promise<{ content: string; edited_at: Date }[]> {
    return (await sql(db)("message_edits")
      .where({ message_id: messageId })
      .orderBy("id")
      .select("content", "edited_at")) as { content: string; edited_at: Date }[];
  }

  /** Any message by id, locked for the caller's transaction (admin deletes). */
  async findForUpdate(messageId: string, db: Db): Promise<MessageRow | undefined> {
    return (await sql(db)("messages")
      .where({ id: messageId })
      .forUpdate()
      .first(MESSAGE_COLUMNS)) as MessageRow | undefined;
  }

  /**
   * Makes a tombstone: content, metadata, earlier versions, attachment links and reactions
   * go, so a deleted message's text and files are no longer reachable through it.
   */
  async tombstone(messageId: string, db: Db): Promise<MessageRow> {
    await sql(db)("message_edits").where({ message_id: messageId }).delete();
    await sql(db)("message_attachments").where({ message_id: messageId }).delete();
    await sql(db)("message_reactions").where({ message_id: messageId }).delete();
    const [row] = (await sql(db)("messages")
      .where({ id: messageId })
      .update({ content: null, metadata: {}, deleted_at: sql(db).fn.now() })
      .returning(MESSAGE_COLUMNS)) as MessageRow[];
    return row;
  }
}
