import type { Knex } from "knex";
import type { FileRow } from "./message-repository";

/** `files`: metadata of stored uploads (the bytes live in a FileStorage). */
export class FileRepository {
  constructor(private readonly knex: Knex) {}

  async insert(row: Omit<FileRow, "created_at">): Promise<FileRow> {
    const [inserted] = (await this.knex("files").insert(row).returning("*")) as FileRow[];
    return inserted;
  }

  async find(id: string): Promise<FileRow | undefined> {
    return (await this.knex("files").where({ id }).first()) as FileRow | undefined;
  }

  /**
   * The file if `userId` may read it: its uploader, or a member of a conversation where
   * a message that is not deleted attaches it.
   */
  async findReadable(id: string, userId: string): Promise<FileRow | undefined> {
    return (await this.knex("files as f")
      .where("f.id", id)
      .where((where) => {
        where.where("f.uploader_id", userId);
        where.orWhereExists(
          this.knex("message_attachments as a")
            .join("messages as m", "m.id", "a.message_id")
            .join("conversation_members as cm", "cm.conversation_id", "m.conversation_id")
            .whereRaw("a.file_id = f.id")
            .whereNull("m.deleted_at")
            .where("cm.user_id", userId)
            .select(this.knex.raw("1")),
        );
      })
      .select("f.*")
      .first()) as FileRow | undefined;
  }

  /** Deletes the uploader's file; returns it, or undefined when there was none of theirs. */
  async deleteOwn(id: string, uploaderId: string): Promise<FileRow | undefined> {
    const [deleted] = (await this.knex("files")
      .where({ id, uploader_id: uploaderId })
      .delete()
      .returning("*")) as FileRow[];
    return deleted;
  }
}
