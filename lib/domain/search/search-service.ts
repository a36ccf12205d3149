import { notFound, validationError } from "../../errors";
import { isUuid } from "../../ids";
import { highlighter } from "../../search/highlight";
import {
  MAX_SEARCH_TERMS,
  type CompiledSearchQuery,
  compileSearchQuery,
  distinctTerms,
  hasRequiredTerm,
  parseSearchQuery,
} from "../../search/search-query";
import type { MemberRepository } from "../../store/member-repository";
import type { MessageHitKey, SearchRepository } from "../../store/search-repository";
import { Page, decodeCursor, encodeCursor, validate } from "../../validation";
import type { ConversationRow } from "../../store/conversation-repository";
import type { SearchService } from "../contracts";
import type { Conversation, SearchHit } from "../types";
import {
  ConversationSearchQuery,
  MessageSearchQuery,
  conversationSearchSchema,
  messageSearchSchema,
} from "./search-schemas";

/** created_key as the repository prints it: microseconds, UTC, a real calendar date. */
const CREATED_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d{6}Z$/;

function isCreatedKey(value: unknown): boolean {
  const match = typeof value === "string" ? CREATED_KEY.exec(value) : null;
  if (!match) return false;
  const date = new Date(`${match[1]}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(match[1]);
}

const isHitKey = (value: unknown): boolean => {
  const key = value as { r?: unknown; t?: unknown; i?: unknown } | null;
  return (
    typeof key === "object" &&
    key !== null &&
    Number.isSafeInteger(key.r) &&
    isCreatedKey(key.t) &&
    isUuid(key.i)
  );
};

/**
 * Message and conversation search, scoped to the caller's conversations. Messages: the
 * web-search syntax of lib/search/search-query.ts over the generated tsvector (word
 * prefixes) and the content (CJK substrings), read from the caller's conversations only
 * (see SearchRepository); ranked by ts_rank, then newest; the cursor is the last hit's
 * (rank, created_at, id), so paging is offset-free and never repeats a hit.
 */
export class DefaultSearchService implements SearchService {
  constructor(
    private readonly search: SearchRepository,
    private readonly members: MemberRepository,
    /** Conversations as the viewer sees them (unread count, last message, members), in order. */
    private readonly buildConversations: (
      viewerId: string,
      rows: ConversationRow[],
    ) => Promise<Conversation[]>,
    /** People the caller blocked or muted: their messages never match. */
    private readonly blocked?: (viewerId: string) => ReadonlyMap<string, unknown> | undefined,
  ) {}

  async searchMessages(callerId: string, input: unknown): Promise<Page<SearchHit>> {
    const query = validate<MessageSearchQuery>(messageSearchSchema, input);
    const compiled = query.q === undefined ? MATCH_ALL : compileQuery(query.q);
    if (!compiled.where) return { data: [], next_cursor: null };
    if (
      query.conversation_id &&
      !(await this.members.find(query.conversation_id.toLowerCase(), callerId))
    ) {
      throw notFound("conversation");
    }
    const cursor = decodeCursor<{ r: number; t: string; i: string }>(query.cursor, isHitKey);
    const afterKey: MessageHitKey | undefined = cursor
      ? { rank: cursor.r, createdAt: cursor.t, id: cursor.i }
      : undefined;
    const rows = await this.search.searchMessages({
      callerId,
      match: compiled.where,
      rankQuery: compiled.rankQuery,
      conversationId: query.conversation_id?.toLowerCase(),
      senderId: query.sender_id?.toLowerCase(),
      mentioning: query.mentions === "me" ? callerId : undefined,
      excludeSenders: [...(this.blocked?.(callerId)?.keys() ?? [])],
      after: query.after,
      before: query.before,
      limit: query.limit + 1,
      afterKey,
    });
    const page = rows.slice(0, query.limit);
    const messages = await this.search.hydrate(page);
    const mark = highlighter(compiled.highlightTerms);
    const data = messages.map((message) => ({
      ...message,
      highlight: mark(message.content ?? ""),
    }));
    const last = page[page.length - 1];
    return {
      data,
      next_cursor:
        rows.length > query.limit
          ? encodeCursor({ r: Number(last.rank), t: last.created_key, i: last.id })
          : null,
    };
  }

  async searchConversations(callerId: string, input: unknown): Promise<Page<Conversation>> {
    const query = validate<ConversationSearchQuery>(conversationSearchSchema, input);
    const cursor = decodeCursor<{ i: string }>(query.cursor, (value) =>
      isUuid((value as { i?: unknown } | null)?.i),
    );
    const rows = await this.search.searchConversations(
      callerId,
      query.q,
      query.limit + 1,
      cursor?.i,
    );
    const page = rows.slice(0, query.limit);
    return {
      data: await this.buildConversations(callerId, page),
      next_cursor: rows.length > query.limit ? encodeCursor({ i: page[page.length - 1].id }) : null,
    };
  }
}

/** Without `q` (a filter alone, e.g. mentions=me): every message in scope, newest first. */
const MATCH_ALL: CompiledSearchQuery = {
  where: { sql: "true", bindings: [] },
  rankQuery: undefined,
  highlightTerms: [],
};

/** `q` checked (a required term, bounded terms) and compiled into one condition. */
function compileQuery(q: string): CompiledSearchQuery {
  const parsed = parseSearchQuery(q);
  if (parsed.clauses.length > 0 && !hasRequiredTerm(parsed)) {
    throw validationError("q", "q must contain a term that is not excluded");
  }
  if (distinctTerms(parsed) > MAX_SEARCH_TERMS) {
    throw validationError("q", `q may hold at most ${MAX_SEARCH_TERMS} different terms`);
  }
  return compileSearchQuery(parsed, { vector: "m.search_vector", content: "m.content" });
}
