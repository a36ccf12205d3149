import { AppError, notFound } from "../../errors";
import type { TransactionRunner, UnitOfWork } from "../../event-log/transaction-runner";
import { newId } from "../../ids";
import {
  ConversationRepository,
  ConversationRow,
  ListPosition,
} from "../../store/conversation-repository";
import type { MemberRepository } from "../../store/member-repository";
import { Page, decodeCursor, encodeCursor, validate } from "../../validation";
import type { ConversationService } from "../contracts";
import type { Conversation, Member, MessagePresenter } from "../types";
import {
  CreateConversationInput,
  conversationIdSchema,
  createConversationSchema,
  listConversationsSchema,
  updateConversationSchema,
} from "./conversation-schemas";
import type { EventRedactionRepository } from "../../store/event-redaction-repository";
import { tombstonePatch } from "../messages/tombstone";
import { ConversationViews } from "./conversation-views";
import type { NotificationDefaults } from "../notifications/notify-policy";
import { JoinGuard, MemberOperations, assertUsersExist } from "./member-operations";
import { assertMayDelete, assertMayUpdate } from "./member-rules";
import type { Db } from "../../store/handles";

export interface ConversationServiceDeps {
  db: Db;
  transactions: TransactionRunner;
  conversations: ConversationRepository;
  members: MemberRepository;
  /** Rewrites the deleted conversation's stored events (delete means gone). */
  redactions: EventRedactionRepository;
  /**
   * Runs before users become members (a new conversation, an added member) and throws
   * to refuse: bots whose API key is restricted to other conversations.
   */
  joinGuard?: JoinGuard;
  /** Refuses (by throwing) a direct conversation between two people (a block either way). */
  directGuard?: (callerId: string, otherId: string) => void;
  /** The notification level of a member who chose none, per type (config notifications.*). */
  notificationDefaults?: NotificationDefaults;
  /** How a viewer sees a last message from someone they blocked. */
  viewer?: MessagePresenter;
}

/** Cursor of the conversation list: snapshot time, last key and id of the previous page. */
interface ListCursor {
  t: number;
  k: number;
  i: string;
}

const isListCursor = (value: unknown): boolean => {
  const v = value as Partial<ListCursor> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    Number.isSafeInteger(v.t) &&
    Number.isSafeInteger(v.k) &&
    typeof v.i === "string" &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.i)
  );
};

/** "<smaller id>:<larger id>": the one key of a pair's direct conversation. */
export const directKey = (a: string, b: string): string => [a, b].sort().join(":");

/**
 * Conversations and their members: creation (one direct conversation per pair), the
 * caller's list, updates, deletion, membership and roles. Every change emits its event
 * in its own transaction (the outbox) to the members of that moment.
 */
export class DefaultConversationService implements ConversationService {
  private readonly views: ConversationViews;
  private readonly memberOps: MemberOperations;

  constructor(private readonly deps: ConversationServiceDeps) {
    this.views = new ConversationViews(
      deps.conversations,
      deps.members,
      deps.notificationDefaults,
      deps.viewer,
    );
    this.memberOps = new MemberOperations(
      deps.transactions,
      deps.conversations,
      deps.members,
      this.views,
      deps.joinGuard,
    );
  }

  async createConversation(
    callerId: string,
    input: unknown,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const body = validate(createConversationSchema, input);
    const others = [...new Set(body.member_ids)].filter((id) => id !== callerId);
    if (body.type === "direct" && others.length !== 1) {
      throw new AppError("validation_error", "a direct conversation needs one other user", {
        details: [{ field: "member_ids", message: "must name one user other than yourself" }],
      });
    }
    return this.deps.transactions.run(async (uow) => {
      await assertUsersExist(this.deps.conversations, others, "member_ids", uow.trx);
      if (body.type === "direct") {
        this.deps.directGuard?.(callerId, others[0]);
        return this.openDirect(uow, callerId, others[0], body);
      }
      const row = await this.deps.conversations.insert(
        {
          id: newId(),
          type: "group",
          name: body.name ?? null,
          description: body.description || null,
          metadata: body.metadata ?? {},
          created_by: callerId,
          direct_key: null,
        },
        uow.trx,
      );
      return {
        conversation: await this.announceCreated(uow, callerId, row!, others),
        created: true,
      };
    });
  }

  /** The pair's direct conversation: created, or the existing one with anyone who left back in. */
  private async openDirect(
    uow: UnitOfWork,
    callerId: string,
    otherId: string,
    body: CreateConversationInput,
  ): Promise<{ conversation: Conversation; created: boolean }> {
    const key = directKey(callerId, otherId);
    const inserted = await this.deps.conversations.insert(
      {
        id: newId(),
        type: "direct",
        name: null,
        description: null,
        metadata: body.metadata ?? {},
        created_by: callerId,
        direct_key: key,
      },
      uow.trx,
    );
    if (inserted) {
      const conversation = await this.announceCreated(uow, callerId, inserted, [otherId]);
      return { conversation, created: true };
    }
    // ON CONFLICT waited for a concurrent creator to commit; its row is visible now.
    const existing = await this.deps.conversations.findByDirectKey(key, uow.trx);
    if (!existing) throw new AppError("conflict", "the conversation changed, try again");
    const row = await this.deps.conversations.lock(existing.id, uow.trx);
    if (!row) throw new AppError("conflict", "the conversation changed, try again");
    await this.memberOps.restoreDirectMembers(uow, row, [callerId, otherId]);
    return { conversation: await this.views.one(uow.trx, callerId, row), created: false };
  }

  private async announceCreated(
    uow: UnitOfWork,
    callerId: string,
    row: ConversationRow,
    others: string[],
  ): Promise<Conversation> {
    await this.deps.joinGuard?.(row.id, [callerId, ...others], uow.trx);
    await this.deps.conversations.insertMembers(
      row.id,
      [
        { user_id: callerId, role: "owner" },
        ...others.map((id) => ({ user_id: id, role: "member" as const })),
      ],
      uow.trx,
    );
    return this.views.announce(uow, "conversation.created", row, callerId);
  }

  /**
   * Most recent activity first. Every page is ordered as of the first page's time (the
   * cursor carries it): a conversation with newer activity keeps its place for the rest of
   * the traversal, so following next_cursor visits each conversation exactly once; ones
   * created or joined later are left for the next traversal (conversation.created /
   * member.added announce them live). The one gap: a message whose send was still
   * uncommitted when the first page was read can move its conversation past the cursor
   * (it heads the next list, and its message.new reaches live clients).
   */
  async listConversations(callerId: string, query: unknown): Promise<Page<Conversation>> {
    const { limit, cursor } = validate(listConversationsSchema, query);
    const position = decodeCursor<ListCursor>(cursor, isListCursor);
    const listPosition: Partial<ListPosition> = position
      ? { snapshotUs: position.t, after: { keyUs: position.k, id: position.i } }
      : {};
    const { db, conversations } = this.deps;
    const rows = await conversations.pageForUser(callerId, limit + 1, listPosition, db);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: await this.views.build(db, callerId, page),
      next_cursor:
        rows.length > limit
          ? encodeCursor({ t: last.snapshot_us, k: last.key_us, i: last.id })
          : null,
    };
  }

  async getConversation(callerId: string, conversationId: unknown): Promise<Conversation> {
    const id = validate(conversationIdSchema, conversationId);
    const { db, conversations, members } = this.deps;
    const row = await conversations.findById(id, db);
    if (!row || !(await members.find(id, callerId, db))) throw notFound("conversation");
    return this.views.one(db, callerId, row);
  }

  async updateConversation(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<Conversation> {
    const id = validate(conversationIdSchema, conversationId);
    const patch = validate(updateConversationSchema, input);
    if (patch.description === "") patch.description = null;
    return this.deps.transactions.run(async (uow) => {
      const { row, me } = await this.memberOps.lockAsMember(uow.trx, id, callerId);
      assertMayUpdate(row.type, me.role);
      const updated = await this.deps.conversations.update(id, patch, uow.trx);
      return this.views.announce(uow, "conversation.updated", updated, callerId);
    });
  }

  async deleteConversation(callerId: string, conversationId: unknown): Promise<void> {
    const id = validate(conversationIdSchema, conversationId);
    await this.deps.transactions.run(async (uow) => {
      const { me } = await this.memberOps.lockAsMember(uow.trx, id, callerId);
      assertMayDelete(me.role);
      const audience = await this.deps.members.memberIds(id, uow.trx);
      const deletedAt = new Date().toISOString();
      await this.deps.redactions.redactConversation(uow.trx, id, tombstonePatch(deletedAt));
      await this.deps.conversations.delete(id, uow.trx);
      uow.emit({
        type: "conversation.deleted",
        conversationId: id,
        audience,
        frame: { type: "conversation.deleted", data: { id } },
      });
    });
  }

  addMember(callerId: string, conversationId: unknown, input: unknown): Promise<Member> {
    return this.memberOps.addMember(callerId, conversationId, input);
  }

  removeMember(callerId: string, conversationId: unknown, userId: unknown): Promise<void> {
    return this.memberOps.removeMember(callerId, conversationId, userId);
  }

  async otherMemberIds(callerId: string, conversationId: unknown): Promise<string[]> {
    const id = validate(conversationIdSchema, conversationId);
    const ids = await this.deps.members.memberIds(id, this.deps.db);
    if (!ids.includes(callerId)) throw notFound("conversation");
    return ids.filter((userId) => userId !== callerId);
  }

  contactIds(userId: string): Promise<string[]> {
    return this.deps.members.contactIds(userId, this.deps.db);
  }
}
