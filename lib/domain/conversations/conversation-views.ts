import type { UnitOfWork } from "../../event-log/transaction-runner";
import type { ConversationRepository, ConversationRow } from "../../store/conversation-repository";
import { MemberRepository, MemberRow, toMember } from "../../store/member-repository";
import { hydrateMessages } from "../../store/message-repository";
import type { Conversation, Member, Message, MessagePresenter } from "../types";
import { BadgeRepository, BadgeCounts, NO_BADGE } from "../../store/badge-repository";
import {
  DEFAULT_NOTIFICATION_LEVELS,
  NotificationDefaults,
  effectiveLevel,
} from "../notifications/notify-policy";
import type { Db } from "../../store/handles";

const iso = (value: Date): string => new Date(value).toISOString();

/** The stored fields of a conversation, before the caller's view is added. */
function baseOf(
  row: ConversationRow,
): Omit<Conversation, ViewerField | "last_message" | "members"> {
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

/** The fields of a Conversation that differ per viewer (last_message does not). */
type ViewerField = "unread_count" | "mention_count" | "notification_level" | "muted_until";

/** A Conversation without the fields that differ per viewer. */
export type SharedConversation = Omit<Conversation, ViewerField>;

/** A member's own fields of a Conversation: their counts and notification settings. */
export type ViewerView = Pick<Conversation, ViewerField>;

/** The viewer fields of `member` (their row) with their counts. */
export function viewerView(
  type: "direct" | "group",
  member: Pick<MemberRow, "notification_level" | "muted_until"> | undefined,
  counts: BadgeCounts,
  defaults: NotificationDefaults,
): ViewerView {
  const mutedUntil = member?.muted_until ? new Date(member.muted_until) : null;
  return {
    ...counts,
    notification_level: effectiveLevel(member?.notification_level, type, defaults),
    muted_until: mutedUntil && mutedUntil.getTime() > Date.now() ? mutedUntil.toISOString() : null,
  };
}

/**
 * Turns conversation rows into the Conversations a given user sees (their unread count,
 * the last message, the members), in a fixed number of queries for the whole batch:
 * members, last messages (+2 to hydrate them) and unread counts. Order is kept.
 */
export class ConversationViews {
  private readonly badges = new BadgeRepository();

  constructor(
    private readonly conversations: ConversationRepository,
    private readonly members: MemberRepository,
    /** The notification level of a member who chose none, per type (config notifications.*). */
    private readonly defaults: NotificationDefaults = DEFAULT_NOTIFICATION_LEVELS,
    /** A last message from someone the viewer blocked is shown as history shows it. */
    private readonly viewer?: MessagePresenter,
  ) {}

  async build(db: Db, viewerId: string, rows: ConversationRow[]): Promise<Conversation[]> {
    if (rows.length === 0) return [];
    const memberRows = await this.members.listForConversations(
      rows.map((row) => row.id),
      db,
    );
    const views = await this.shared(db, rows, memberRows);
    const counts = await this.badges.forViewer(
      viewerId,
      views.map((v) => v.id),
      db,
    );
    const mine = new Map(
      memberRows.filter((m) => m.user_id === viewerId).map((m) => [m.conversation_id, m]),
    );
    return views.map((view) => ({
      ...view,
      last_message: this.presentLast(viewerId, view.last_message),
      ...viewerView(view.type, mine.get(view.id), counts.get(view.id) ?? NO_BADGE, this.defaults),
    }));
  }

  private presentLast(viewerId: string, message: Message | null): Message | null {
    if (!message || !this.viewer) return message;
    return this.viewer.present(viewerId, [message])[0];
  }

  async one(db: Db, viewerId: string, row: ConversationRow): Promise<Conversation> {
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
    const memberRows = await this.members.listForConversations([row.id], uow.trx);
    const [view] = await this.shared(uow.trx, [row], memberRows);
    const counts = await this.badges.forMembers(row.id, uow.trx);
    const own = new Map(
      memberRows.map((m) => [
        m.user_id,
        viewerView(row.type, m, counts.get(m.user_id) ?? NO_BADGE, this.defaults),
      ]),
    );
    const audience = view.members.map((member) => member.user_id);
    const viewerFields = Object.fromEntries(audience.map((userId) => [userId, own.get(userId)!]));
    uow.emit({ type, conversationId: row.id, audience, frame: { type, data: view }, viewerFields });
    return { ...view, ...own.get(viewerId)! };
  }

  private async shared(
    db: Db,
    rows: ConversationRow[],
    memberRows: MemberRow[],
  ): Promise<SharedConversation[]> {
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
