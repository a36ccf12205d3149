import { Db, sql } from "./handles";

/** One thread's read state for a member. */
export interface ThreadState {
  thread_id: string;
  last_read_seq: number;
  unread_count: number;
  mention_count: number;
}

/**
 * A reply is unread for a member while it is after both their conversation pointer and
 * their pointer in its thread, sent by someone else, not deleted, not from someone they
 * blocked (the rule of BadgeRepository, for one thread's replies).
 */
const THREAD_STATE = `
  SELECT m.parent_id AS thread_id, coalesce(max(t.last_read_seq), 0)::bigint AS last_read_seq,
         count(m.id) FILTER (WHERE m.seq > cm.last_read_seq AND m.seq > coalesce(t.last_read_seq, 0)
                               AND m.sender_id <> cm.user_id AND m.deleted_at IS NULL
                               AND NOT EXISTS (SELECT 1 FROM user_blocks b
                                               WHERE b.blocker_id = cm.user_id AND b.blocked_id = m.sender_id)
                            )::int AS unread_count,
         count(m.id) FILTER (WHERE m.seq > cm.last_read_seq AND m.seq > coalesce(t.last_read_seq, 0)
                               AND m.sender_id <> cm.user_id AND m.deleted_at IS NULL
                               AND cm.user_id = ANY (m.mentions)
                               AND NOT EXISTS (SELECT 1 FROM user_blocks b
                                               WHERE b.blocker_id = cm.user_id AND b.blocked_id = m.sender_id)
                            )::int AS mention_count
  FROM messages m
  JOIN conversation_members cm ON cm.conversation_id = m.conversation_id AND cm.user_id = ?
  LEFT JOIN thread_reads t ON t.root_id = m.parent_id AND t.user_id = cm.user_id`;

const toState = (row: ThreadState): ThreadState => ({
  thread_id: row.thread_id,
  last_read_seq: Number(row.last_read_seq),
  unread_count: Number(row.unread_count),
  mention_count: Number(row.mention_count),
});

/** thread_reads: a member's read pointer per thread (root message). */
export class ThreadReadRepository {
  /** Moves the pointer forward to `seq` (creating it), never back. */
  async advance(
    read: { root_id: string; user_id: string; conversation_id: string; seq: number },
    db: Db,
  ): Promise<void> {
    await sql(db).raw(
      `INSERT INTO thread_reads (root_id, user_id, conversation_id, last_read_seq)
       VALUES (?, ?, ?, ?)
       ON CONFLICT (root_id, user_id) DO UPDATE
         SET last_read_seq = greatest(thread_reads.last_read_seq, EXCLUDED.last_read_seq),
             updated_at = now()`,
      [read.root_id, read.user_id, read.conversation_id, read.seq],
    );
  }

  /** Mark unread: the pointer moves back to `seq` when it is past it. */
  async moveBack(rootId: string, userId: string, seq: number, db: Db): Promise<void> {
    await sql(db)("thread_reads")
      .where({ root_id: rootId, user_id: userId })
      .where("last_read_seq", ">", seq)
      .update({ last_read_seq: seq, updated_at: sql(db).fn.now() });
  }

  /** The seq of the thread's newest reply (0 when it has none). */
  async newestReply(rootId: string, db: Db): Promise<number> {
    const row = (await sql(db)("messages")
      .where({ parent_id: rootId })
      .max("seq as seq")
      .first()) as { seq: number | null } | undefined;
    return Number(row?.seq ?? 0);
  }

  /** One thread's state for the member. */
  async state(rootId: string, userId: string, db: Db): Promise<ThreadState> {
    const { rows } = (await sql(db).raw(
      `${THREAD_STATE} WHERE m.parent_id = ? GROUP BY m.parent_id`,
      [userId, rootId],
    )) as { rows: ThreadState[] };
    return rows[0]
      ? toState(rows[0])
      : { thread_id: rootId, last_read_seq: 0, unread_count: 0, mention_count: 0 };
  }

  /** The member's threads in a conversation that have unread replies, newest thread first. */
  async unreadThreads(conversationId: string, userId: string, db: Db): Promise<ThreadState[]> {
    const { rows } = (await sql(db).raw(
      `SELECT * FROM (${THREAD_STATE}
         WHERE m.conversation_id = ? AND m.parent_id IS NOT NULL AND m.seq > cm.last_read_seq
         GROUP BY m.parent_id) s
       WHERE s.unread_count > 0 ORDER BY s.thread_id DESC LIMIT 100`,
      [userId, conversationId],
    )) as { rows: ThreadState[] };
    return rows.map(toState);
  }
}
