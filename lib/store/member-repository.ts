import type { Knex } from "knex";
import type { Member, Role } from "../domain/types";
import { Db, dbOf, sql } from "./handles";

export interface MemberRow {
  conversation_id: string;
  user_id: string;
  role: Role;
  joined_at: Date;
  last_read_seq: number;
  last_read_at: Date | null;
  /** null: the configured default for the conversation's type. */
  notification_level?: "all" | "mentions" | "none" | null;
  muted_until?: Date | null;
  delivered_seq?: number;
  delivered_at?: Date | null;
}

export const toMember = (row: MemberRow): Member => ({
  user_id: row.user_id,
  role: row.role,
  joined_at: new Date(row.joined_at).toISOString(),
  last_read_seq: Number(row.last_read_seq),
});

/** conversation_members: who belongs where, with what role and read pointer. */
export class MemberRepository {
  constructor(private readonly knex: Knex) {}

  /** The caller's membership, or undefined (callers turn that into not_found). */
  async find(
    conversationId: string,
    userId: string,
    db: Db = dbOf(this.knex),
  ): Promise<MemberRow | undefined> {
    return (await sql(db)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .first()) as MemberRow | undefined;
  }

  /**
   * Changes the member's notification level and/or mute (keys absent from `patch` stay).
   * @returns the stored values with the conversation's type, or undefined for a non-member
   */
  async updateNotifications(
    conversationId: string,
    userId: string,
    patch: { notification_level?: string | null; muted_until?: Date | null },
    db: Db = dbOf(this.knex),
  ): Promise<
    | {
        notification_level: "all" | "mentions" | "none" | null;
        muted_until: Date | null;
        type: "direct" | "group";
      }
    | undefined
  > {
    const [row] = (await sql(db)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .update(patch)
      .returning(["notification_level", "muted_until"])) as {
      notification_level: "all" | "mentions" | "none" | null;
      muted_until: Date | null;
    }[];
    if (!row) return undefined;
    const conversation = (await sql(db)("conversations")
      .where({ id: conversationId })
      .first("type")) as {
      type: "direct" | "group";
    };
    return { ...row, type: conversation.type };
  }

  /** Members in joining order (the longest-standing first). */
  async list(conversationId: string, db: Db = dbOf(this.knex)): Promise<MemberRow[]> {
    return (await sql(db)("conversation_members")
      .where({ conversation_id: conversationId })
      .orderBy([{ column: "joined_at" }, { column: "user_id" }])) as MemberRow[];
  }

  async listForConversations(
    conversationIds: string[],
    db: Db = dbOf(this.knex),
  ): Promise<MemberRow[]> {
    if (conversationIds.length === 0) return [];
    return (await sql(db)("conversation_members")
      .whereIn("conversation_id", conversationIds)
      .orderBy([{ column: "joined_at" }, { column: "user_id" }])) as MemberRow[];
  }

  async memberIds(conversationId: string, db: Db = dbOf(this.knex)): Promise<string[]> {
    const rows = await sql(db)("conversation_members")
      .where({ conversation_id: conversationId })
      .select("user_id");
    return rows.map((row: { user_id: string }) => row.user_id);
  }

  /** Users sharing at least one conversation with userId (userId excluded). */
  async contactIds(userId: string, db: Db = dbOf(this.knex)): Promise<string[]> {
    const rows = await sql(db)("conversation_members as theirs")
      .join("conversation_members as mine", "mine.conversation_id", "theirs.conversation_id")
      .where("mine.user_id", userId)
      .whereNot("theirs.user_id", userId)
      .distinct("theirs.user_id");
    return rows.map((row: { user_id: string }) => row.user_id);
  }

  /**
   * Each user's contacts (as contactIds), for many users in one query: how presence
   * announces a burst of changes (a node's users going offline at once).
   */
  async contactsOf(userIds: string[], db: Db = dbOf(this.knex)): Promise<Map<string, string[]>> {
    const contacts = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return contacts;
    const rows = (await sql(db)("conversation_members as mine")
      .join("conversation_members as theirs", "theirs.conversation_id", "mine.conversation_id")
      .whereIn("mine.user_id", userIds)
      .whereRaw("theirs.user_id <> mine.user_id")
      .distinct("mine.user_id as user_id", "theirs.user_id as contact_id")) as {
      user_id: string;
      contact_id: string;
    }[];
    for (const row of rows) contacts.get(row.user_id)?.push(row.contact_id);
    return contacts;
  }

  async conversationIds(userId: string, db: Db = dbOf(this.knex)): Promise<string[]> {
    const rows = await sql(db)("conversation_members")
      .where({ user_id: userId })
      .select("conversation_id");
    return rows.map((row: { conversation_id: string }) => row.conversation_id);
  }
}
