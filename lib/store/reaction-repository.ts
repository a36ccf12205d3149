import type { Knex } from "knex";
import { Db, dbOf, sql } from "./handles";

/** message_reactions: one row per (message, user, emoji). */
export class ReactionRepository {
  constructor(private readonly knex: Knex) {}

  /** How many distinct emoji the message carries, and whether `emoji` is among them. */
  async distinctEmoji(
    messageId: string,
    emoji: string,
    db: Db = dbOf(this.knex),
  ): Promise<{ distinct: number; present: boolean }> {
    const row = (await sql(db)("message_reactions")
      .where({ message_id: messageId })
      .first(
        sql(db).raw("count(distinct emoji)::int as distinct"),
        sql(db).raw("coalesce(bool_or(emoji = ?), false) as present", [emoji]),
      )) as { distinct: number; present: boolean };
    return { distinct: Number(row.distinct), present: Boolean(row.present) };
  }

  /** @returns false when the user already had that reaction (nothing changed) */
  async add(messageId: string, userId: string, emoji: string, db: Db): Promise<boolean> {
    const rows = await sql(db)("message_reactions")
      .insert({ message_id: messageId, user_id: userId, emoji })
      .onConflict(["message_id", "user_id", "emoji"])
      .ignore()
      .returning("emoji");
    return rows.length > 0;
  }

  /** @returns false when there was nothing to remove */
  async remove(messageId: string, userId: string, emoji: string, db: Db): Promise<boolean> {
    const count = await sql(db)("message_reactions")
      .where({ message_id: messageId, user_id: userId, emoji })
      .delete();
    return count > 0;
  }
}
