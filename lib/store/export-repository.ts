import type { Knex } from "knex";
import type { FileRow, MessageRow } from "./message-repository";

/** Reads a user's own data for their export, in keyset pages. */
export class ExportRepository {
  constructor(private readonly knex: Knex) {}

  async profile(userId: string): Promise<Record<string, unknown> | undefined> {
    return (await this.knex("users")
      .where({ id: userId })
      .first("id", "username", "display_name", "created_at", "kind")) as never;
  }

  async conversations(userId: string): Promise<Record<string, unknown>[]> {
    return (await this.knex("conversation_members as cm")
      .join("conversations as c", "c.id", "cm.conversation_id")
      .where("cm.user_id", userId)
      .orderBy("c.id")
      .select("c.id", "c.type", "c.name", "c.description", "cm.role", "cm.joined_at")) as never;
  }

  async messages(userId: string, afterId: string, limit: number): Promise<MessageRow[]> {
    return (await this.knex("messages")
      .where({ sender_id: userId })
      .whereNull("deleted_at")
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(limit)
      .select(
        "id",
        "conversation_id",
        "seq",
        "content",
        "metadata",
        "parent_id",
        "created_at",
        "edited_at",
      )) as MessageRow[];
  }

  async attachmentsOf(messageIds: string[]): Promise<{ message_id: string; file_id: string }[]> {
    if (messageIds.length === 0) return [];
    return (await this.knex("message_attachments")
      .whereIn("message_id", messageIds)
      .orderBy(["message_id", "position"])
      .select("message_id", "file_id")) as never;
  }

  async reactions(userId: string): Promise<Record<string, unknown>[]> {
    return (await this.knex("message_reactions")
      .where({ user_id: userId })
      .orderBy("created_at")
      .select("message_id", "emoji", "created_at")) as never;
  }

  async files(userId: string): Promise<FileRow[]> {
    return (await this.knex("files").where({ uploader_id: userId }).orderBy("id")) as FileRow[];
  }

  async blocks(userId: string): Promise<Record<string, unknown>[]> {
    return (await this.knex("user_blocks")
      .where({ blocker_id: userId })
      .select("blocked_id as user_id", "kind", "created_at")) as never;
  }

  async reports(userId: string): Promise<Record<string, unknown>[]> {
    return (await this.knex("reports")
      .where({ reporter_id: userId })
      .orderBy("id")
      .select("id", "message_id", "reason", "note", "status", "created_at")) as never;
  }
}
