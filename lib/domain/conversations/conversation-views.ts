import type { Knex } from "knex";
import type { UnitOfWork } from "../../events/transaction-runner";
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

/** A Conversation without the one field that differs per viewer (last_message does not). */
export type SharedConversation = Omit<Conversation, "unread_count">;

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
    const views = await this.shared(db, rows);
    const unread = await this.conversations.unreadCounts(
      viewerId,
      views.map((v) => v.id),
      db,
    );
    return views.map((view) => ({ ...view, unread_count: unread.get(view.id) ?? 0 }));
  }

  async one(db: Knex, viewerId: string, row: ConversationRow): Promise<Conversation> {
    const [view] = await this.build(db, viewerId, [row]);
    return view;
  }

  /**
   * Emits conversation.created / .updated to every member, each receiving their own
   * unread_count (viewer fields, computed for all members in one query, so the frame never
   * carries the actor's count to others). Returns `viewerId`'s Conversation.
   */
  async announce(
    uow: UnitOfWork,
    type: "conversation.created" | "conversation.updated",
    row: ConversationRow,
    viewerId: string,
  ): Promise<Conversation> {
    const [view] = await this.shared(uow.trx, [row]);
    const unread = await this.conversations.memberUnreadCounts(row.id, uow.trx);
    const audience = view.members.map((member) => member.user_id);
    const viewerFields = Object.fromEntries(
      audience.map((userId) => [userId, { unread_count: unread.get(userId) ?? 0 }]),
    );
    uow.emit({ type, conversationId: row.id, audience, frame: { type, data: view }, viewerFields });
    return { ...view, unread_count: unread.get(viewerId) ?? 0 };
  }

  private async shared(db: Knex, rows: ConversationRow[]): Promise<SharedConversation[]> {
    const ids = rows.map((row) => row.id);
    const memberRows = await this.members.listForConversations(ids, db);
    const lastMessages = await hydrateMessages(
      db,
      await this.conversations.lastMessageRows(rows, db),
    );
    const membersOf = groupMembers(memberRows);
    const lastOf = new Map<string, Message>(lastMessages.map((m) => [m.conversation_id, m]));
    return rows.map((row) => ({
      ...baseOf(row),
      last_message: lastOf.get(row.id) ?? null,
      members: membersOf.get(row.id) ?? [],
    }));
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
