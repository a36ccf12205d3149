import { Db, sql } from "./handles";

/** A member's badge for one conversation. */
export interface BadgeCounts {
  unread_count: number;
  mention_count: number;
}

export const NO_BADGE: BadgeCounts = { unread_count: 0, mention_count: 0 };

/**
 * The one rule of "unread", as SQL over `m` (messages) and `cm` (the member's row): after
 * the member's pointer, sent by someone else, not deleted, not from someone they blocked
 * or muted, and for a reply not already read in its thread (thread_reads). A mention is
 * an unread message whose `mentions` name the member.
 */
const UNREAD = `m.seq > cm.last_read_seq AND m.sender_id <> cm.user_id AND m.deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM user_blocks b
                  WHERE b.blocker_id = cm.user_id AND b.blocked_id = m.sender_id)
  AND NOT (m.parent_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM thread_reads t
        WHERE t.root_id = m.parent_id AND t.user_id = cm.user_id AND t.last_read_seq >= m.seq))`;

const COUNTS = `count(m.id)::int AS unread_count,
  count(m.id) FILTER (WHERE cm.user_id = ANY (m.mentions))::int AS mention_count`;

const toCounts = (row: { unread_count: number; mention_count: number }): BadgeCounts => ({
  unread_count: Number(row.unread_count),
  mention_count: Number(row.mention_count),
});

/** Unread and mention counts: per conversation, per member, and a user's total. */
export class BadgeRepository {
  /** The user's counts in each of the conversations (absent: none unread). */
  async forViewer(
    userId: string,
    conversationIds: string[],
    db: Db,
  ): Promise<Map<string, BadgeCounts>> {
    if (conversationIds.length === 0) return new Map();
    const { rows } = (await sql(db).raw(
      `SELECT cm.conversation_id, ${COUNTS}
       FROM conversation_members cm
       JOIN messages m ON m.conversation_id = cm.conversation_id AND ${UNREAD}
       WHERE cm.user_id = ? AND cm.conversation_id = ANY (?::uuid[])
       GROUP BY cm.conversation_id`,
      [userId, conversationIds],
    )) as { rows: (BadgeCounts & { conversation_id: string })[] };
    return new Map(rows.map((row) => [row.conversation_id, toCounts(row)]));
  }

  /** Every member's counts in one conversation, in one grouped query (events carry each member's own). */
  async forMembers(conversationId: string, db: Db): Promise<Map<string, BadgeCounts>> {
    const { rows } = (await sql(db).raw(
      `SELECT cm.user_id, ${COUNTS}
       FROM conversation_members cm
       LEFT JOIN messages m ON m.conversation_id = cm.conversation_id AND ${UNREAD}
       WHERE cm.conversation_id = ?
       GROUP BY cm.user_id`,
      [conversationId],
    )) as { rows: (BadgeCounts & { user_id: string })[] };
    return new Map(rows.map((row) => [row.user_id, toCounts(row)]));
  }

  /** The event log's newest position (in a snapshot: what the counts read alongside hold at). */
  async logPosition(db: Db): Promise<number> {
    const state = (await sql(db)("event_log_state").where({ id: 1 }).first("last_position")) as
      { last_position: number } | undefined;
    return Number(state?.last_position ?? 0);
  }

  /** One member's counts in one conversation. */
  async forMember(conversationId: string, userId: string, db: Db): Promise<BadgeCounts> {
    return (await this.forViewer(userId, [conversationId], db)).get(conversationId) ?? NO_BADGE;
  }

  /**
   * The user's counts in every conversation that has any, and the total over those that
   * may notify: not muted now and not at level `none` (`defaults`: the level of a member
   * who chose none, per conversation type).
   */
  async totals(
    userId: string,
    defaults: { direct: string; group: string },
    db: Db,
  ): Promise<{ total: BadgeCounts; conversations: (BadgeCounts & { conversation_id: string })[] }> {
    const { rows } = (await sql(db).raw(
      `SELECT cm.conversation_id, ${COUNTS},
              (cm.muted_until IS NULL OR cm.muted_until <= now())
                AND coalesce(cm.notification_level,
                             CASE c.type WHEN 'direct' THEN ? ELSE ? END) <> 'none' AS counted
       FROM conversation_members cm
       JOIN conversations c ON c.id = cm.conversation_id
       JOIN messages m ON m.conversation_id = cm.conversation_id AND ${UNREAD}
       WHERE cm.user_id = ?
       GROUP BY cm.conversation_id, cm.muted_until, cm.notification_level, c.type
       ORDER BY cm.conversation_id`,
      [defaults.direct, defaults.group, userId],
    )) as { rows: (BadgeCounts & { conversation_id: string; counted: boolean })[] };
    const total = { unread_count: 0, mention_count: 0 };
    for (const row of rows.filter((r) => r.counted)) {
      total.unread_count += Number(row.unread_count);
      total.mention_count += Number(row.mention_count);
    }
    return {
      total,
      conversations: rows.map((row) => ({
        conversation_id: row.conversation_id,
        ...toCounts(row),
      })),
    };
  }
}
