import type { Knex } from "knex";
import type { ConversationRepository, ConversationRow } from "../../store/conversation-repository";
import { MemberRepository, MemberRow, toMember } from "../../store/member-repository";
import { hydrateMessages } from "../../store/message-repository";
import type { Conversation, Member, Message } from "../types";

const iso = (value: Date): string => new Date(value).toISOString();

/** The stored fields of a conversation, before the caller's view is added. */
function baseOf(
  row: ConversationRow,
): Omit<Conversation, "unread_count" | "last_message" | "members"> {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    description: row.description,
    metadata: row.metadata ?? {},
    created_by: row.created_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_seq: Number(row.last_seq),
  };
}

/**
 * Turns conversation rows into the Conversations a given user sees (their unread count,
 * the last message, the members), in a fixed number of queries for the whole batch:
 * members, last messages (+2 to hydrate them) and unread counts. Order is kept.
 */
export class ConversationViews {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly members: MemberRepository,
  ) {}

  async build(db: Knex, viewerId: string, rows: ConversationRow[]): Promise<Conversation[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const memberRows = await this.members.listForConversations(ids, db);
    const lastMessageRows = await this.conversations.lastMessageRows(rows, db);
    const lastMessages = await hydrateMessages(db, lastMessageRows);
    const unread = await this.conversations.unreadCounts(viewerId, ids, db);

    const membersOf = groupMembers(memberRows);
    const lastOf = new Map<string, Message>(lastMessages.map((m) => [m.conversation_id, m]));
    return rows.map((row) => ({
      ...baseOf(row),
      unread_count: unread.get(row.id) ?? 0,
      last_message: lastOf.get(row.id) ?? null,
      members: membersOf.get(row.id) ?? [],
    }));
  }

  async one(db: Knex, viewerId: string, row: ConversationRow): Promise<Conversation> {
    const [view] = await this.build(db, viewerId, [row]);
    return view;
  }
}

function groupMembers(rows: MemberRow[]): Map<string, Member[]> {
  const byConversation = new Map<string, Member[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversation_id) ?? [];
    list.push(toMember(row));
    byConversation.set(row.conversation_id, list);
  }
  return byConversation;
}
