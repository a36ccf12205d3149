import type { Knex } from "knex";
import { substringPattern, SqlFragment } from "../search/search-query";
import type { Message } from "../domain/types";
import type { ConversationRow } from "./conversation-repository";
import { MESSAGE_COLUMNS, MessageRow, hydrateMessages } from "./message-repository";

/** Where a page of hits resumes: the last hit's sort key (rank, created_at, id). */
export interface MessageHitKey {
  /** ts_rank × 1e6 as an integer, so the key compares exactly. */
  rank: number;
  /** created_at with microseconds, as PostgreSQL printed it (JS Dates keep only ms). */
  createdAt: string;
  id: string;
}

export interface MessageSearch {
  callerId: string;
  match: SqlFragment;
  rankQuery: string | undefined;
  conversationId?: string;
  senderId?: string;
  after?: Date;
  before?: Date;
  limit: number;
  afterKey?: MessageHitKey;
}

export type MessageHitRow = MessageRow & { rank: number; created_key: string };

/** Full-text and substring search over messages, always scoped to the caller's conversations. */
export class SearchRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Live messages of the caller's conversations matching `match`, best rank first, then
   * newest; keyset paging on (rank, created_at, id) so pages never overlap or skip.
   */
  async searchMessages(search: MessageSearch): Promise<MessageHitRow[]> {
    const rank = search.rankQuery
      ? this.knex.raw("(ts_rank(m.search_vector, to_tsquery('simple', ?)) * 1000000)::bigint", [
          search.rankQuery,
        ])
      : this.knex.raw("0::bigint");
    const inner = this.knex("messages as m")
      .select(MESSAGE_COLUMNS.map((column) => `m.${column}`))
      .select({ rank })
      .select(
        this.knex.raw(
          `to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key`,
        ),
      )
      .whereIn(
        "m.conversation_id",
        this.knex("conversation_members")
          .select("conversation_id")
          .where("user_id", search.callerId),
      )
      .whereNull("m.deleted_at")
      .whereRaw(search.match.sql, search.match.bindings);
    if (search.conversationId) inner.where("m.conversation_id", search.conversationId);
    if (search.senderId) inner.where("m.sender_id", search.senderId);
    if (search.after) inner.where("m.created_at", ">", search.after);
    if (search.before) inner.where("m.created_at", "<", search.before);

    const outer = this.knex.select("*").from(inner.as("hits"));
    const key = search.afterKey;
    if (key) {
      outer.whereRaw(
        "(hits.rank < ? OR (hits.rank = ? AND (hits.created_at, hits.id) < (?::timestamptz, ?::uuid)))",
        [key.rank, key.rank, key.createdAt, key.id],
      );
    }
    return (await outer
      .orderBy([
        { column: "hits.rank", order: "desc" },
        { column: "hits.created_at", order: "desc" },
        { column: "hits.id", order: "desc" },
      ])
      .limit(search.limit)) as MessageHitRow[];
  }

  /** Full Messages (attachments, reactions) for hit rows, in order. */
  hydrate(rows: MessageRow[]): Promise<Message[]> {
    return hydrateMessages(this.knex, rows);
  }

  /**
   * The caller's conversations whose name or description contains `text`, and of
   * their direct conversations whose other member's username or display name contains it;
   * newest conversation first, after `beforeId` (keyset on the time-ordered id).
   */
  async searchConversations(
    callerId: string,
    text: string,
    limit: number,
    beforeId?: string,
  ): Promise<ConversationRow[]> {
    const pattern = substringPattern(text);
    const query = this.knex("conversations as c")
      .join("conversation_members as me", function joinCaller() {
        this.on("me.conversation_id", "=", "c.id");
      })
      .where("me.user_id", callerId)
      .where((where) => {
        // The same expression as the conversations_search trigram index.
        where
          .whereRaw("(coalesce(c.name, '') || ' ' || coalesce(c.description, '')) ILIKE ?", [
            pattern,
          ])
          .orWhereRaw(
            `c.type = 'direct' AND EXISTS (
               SELECT 1 FROM conversation_members o JOIN users u ON u.id = o.user_id
               WHERE o.conversation_id = c.id AND o.user_id <> ?
                 AND (u.username ILIKE ? OR u.display_name ILIKE ?))`,
            [callerId, pattern, pattern],
          );
      });
    if (beforeId) query.where("c.id", "<", beforeId);
    return (await query.orderBy("c.id", "desc").limit(limit).select("c.*")) as ConversationRow[];
  }
}
