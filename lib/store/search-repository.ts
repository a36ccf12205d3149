import type { Knex } from "knex";
import { substringPattern, SqlFragment } from "../search/search-query";
import type { Message } from "../domain/types";
import type { ConversationRow } from "./conversation-repository";
import { MESSAGE_COLUMNS, MessageRow, hydrateMessages } from "./message-repository";
import { dbOf } from "./handles";

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
  /** Only messages that mention this user (the partial GIN index messages_by_mention). */
  mentioning?: string;
  /** Senders left out (people the caller blocked); sender_id is in the covering index. */
  excludeSenders?: string[];
  after?: Date;
  before?: Date;
  limit: number;
  afterKey?: MessageHitKey;
}

export type MessageHitRow = MessageRow & { rank: number; created_key: string };

/**
 * Content of at most this many bytes is in the covering index `messages_search_covering`
 * (see knex/migrations/20261202000100_search_indexes.js, whose predicates must agree).
 */
const SHORT_CONTENT_BYTES = 500;

/** What matching and ranking read (all in the covering index). */
const SCOPE_COLUMNS = ["m.id", "m.created_at", "m.search_vector", "m.content"];

const HIT_ORDER = [
  { column: "rank", order: "desc" },
  { column: "created_at", order: "desc" },
  { column: "id", order: "desc" },
] as const;

/** Full-text and substring search over messages, always scoped to the caller's conversations. */
export class SearchRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Live messages of the caller's conversations matching `match`, best rank first, then
   * newest; keyset paging on (rank, created_at, id) so pages never overlap or skip.
   * Hits are found and ranked on (id, created_at, rank) alone, short messages index-only
   * from the covering index, long ones from their own index and the heap; only the page's
   * rows are read in full.
   */
  async searchMessages(search: MessageSearch): Promise<MessageHitRow[]> {
    const scope = await this.scope(search);
    if (scope.length === 0) return [];
    const short = this.matching(search, this.inScope(search, scope, false));
    const long = this.matching(search, this.inScope(search, scope, true));
    // Ranked above the union: knex misorders the bindings of a union member whose select
    // list and FROM both carry bindings.
    const ranked = this.knex
      .from(short.unionAll(long, true).as("u"))
      .select("u.id", "u.created_at", { rank: this.rank(search) });
    const hits = this.knex
      .from(ranked.as("r"))
      .select("*")
      .orderBy(HIT_ORDER.map((o) => ({ ...o, column: `r.${o.column}` })))
      .limit(search.limit);
    const key = search.afterKey;
    if (key) {
      hits.whereRaw(
        "(r.rank < ? OR (r.rank = ? AND (r.created_at, r.id) < (?::timestamptz, ?::uuid)))",
        [key.rank, key.rank, key.createdAt, key.id],
      );
    }
    return (await this.knex
      .from(hits.as("hits"))
      .join("messages as m", "m.id", "hits.id")
      .select(MESSAGE_COLUMNS.map((column) => `m.${column}`))
      .select("hits.rank")
      .select(
        this.knex.raw(
          `to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key`,
        ),
      )
      .orderBy(HIT_ORDER.map((o) => ({ ...o, column: `hits.${o.column}` })))) as MessageHitRow[];
  }

  /**
   * The caller's conversations to search (only `conversationId` when given), sent as a
   * bound array so the planner knows how many there are when it sizes the scans.
   */
  private async scope(search: MessageSearch): Promise<string[]> {
    const query = this.knex("conversation_members")
      .where("user_id", search.callerId)
      .pluck("conversation_id");
    if (search.conversationId) query.where("conversation_id", search.conversationId);
    return (await query) as string[];
  }

  /** ts_rank × 1e6 of `u.search_vector`, an integer so that the paging key compares exactly. */
  private rank(search: MessageSearch): Knex.Raw {
    return search.rankQuery
      ? this.knex.raw("(ts_rank(u.search_vector, to_tsquery('simple', ?)) * 1000000)::bigint", [
          search.rankQuery,
        ])
      : this.knex.raw("0::bigint");
  }

  /**
   * The rows of `scope` that match. `OFFSET 0` keeps the match out of the scope's scan:
   * otherwise the planner may AND in the table-wide GIN index, whose prefix matches
   * (`plan:*`) cost as much as the whole table has matches, far more than it estimates.
   */
  private matching(search: MessageSearch, scope: Knex.QueryBuilder): Knex.QueryBuilder {
    // knex drops `.offset(0)` but takes a Raw (lib/query/querybuilder.js), untyped.
    const fence = scope.select(SCOPE_COLUMNS).offset(this.knex.raw("0") as unknown as number);
    return this.knex
      .from(fence.as("m"))
      .select("m.id", "m.created_at", "m.search_vector")
      .whereRaw(search.match.sql, search.match.bindings);
  }

  /**
   * The caller's live short or long messages within the filters: the predicate of one of
   * the two partial indexes, so either half reads only the caller's conversations.
   */
  private inScope(search: MessageSearch, scope: string[], long: boolean): Knex.QueryBuilder {
    const query = this.knex("messages as m")
      .whereRaw("m.conversation_id = ANY(?::uuid[])", [scope])
      .whereNull("m.deleted_at")
      .whereRaw(`octet_length(m.content) ${long ? ">" : "<="} ${SHORT_CONTENT_BYTES}`);
    if (search.senderId) query.where("m.sender_id", search.senderId);
    if (search.mentioning) {
      query.whereRaw("m.mentions <> '{}' AND m.mentions @> ARRAY[?::uuid]", [search.mentioning]);
    }
    if (search.excludeSenders?.length) {
      query.whereRaw("NOT (m.sender_id = ANY(?::uuid[]))", [search.excludeSenders]);
    }
    if (search.after) query.where("m.created_at", ">", search.after);
    if (search.before) query.where("m.created_at", "<", search.before);
    return query;
  }

  /** Full Messages (attachments, reactions) for hit rows, in order. */
  hydrate(rows: MessageRow[]): Promise<Message[]> {
    return hydrateMessages(dbOf(this.knex), rows);
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
