import { AppError, conflict, notFound } from "../../errors";
import type { TransactionRunner, UnitOfWork } from "../../event-log/transaction-runner";
import type { ConversationRepository, ConversationRow } from "../../store/conversation-repository";
import { MemberRepository, MemberRow, toMember } from "../../store/member-repository";
import { validate } from "../../validation";
import type { Member, Role } from "../types";
import { addMemberSchema, conversationIdSchema, userIdSchema } from "./conversation-schemas";
import type { ConversationViews } from "./conversation-views";

/** Refuses (by throwing) users who may not join a conversation; see ConversationServiceDeps. */
export type JoinGuard = (conversationId: string, userIds: string[], trx: Tx) => Promise<void>;
import { assertMayAdd, assertMayRemove, nextOwner } from "./member-rules";
import { BadgeRepository } from "../../store/badge-repository";
import { readStateEvent } from "../messages/read-state-service";
import type { Db, Tx } from "../../store/handles";

/** A user id in a body that names nobody is a validation error of that field (400). */
export async function assertUsersExist(
  conversations: ConversationRepository,
  ids: string[],
  field: string,
  db: Db,
): Promise<void> {
  const existing = await conversations.existingUserIds(ids, db);
  const missing = ids.filter((id) => !existing.has(id));
  if (missing.length === 0) return;
  throw new AppError("validation_error", `unknown user: ${missing.join(", ")}`, {
    details: missing.map((id) => ({ field, message: `user ${id} does not exist` })),
  });
}

/**
 * Membership changes: adding, removing and leaving, ownership handover, and bringing a
 * direct conversation's pair back together. Each runs with the conversation row locked,
 * so concurrent changes to one conversation see each other's result.
 */
export class MemberOperations {
  private readonly badges = new BadgeRepository();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly conversations: ConversationRepository,
    private readonly members: MemberRepository,
    private readonly views: ConversationViews,
    private readonly joinGuard?: JoinGuard,
  ) {}

  /** The locked conversation and the caller's membership; not_found for a non-member. */
  async lockAsMember(
    trx: Tx,
    conversationId: string,
    callerId: string,
  ): Promise<{ row: ConversationRow; me: MemberRow }> {
    const row = await this.conversations.lock(conversationId, trx);
    const me = row && (await this.members.find(conversationId, callerId, trx));
    if (!row || !me) throw notFound("conversation");
    return { row, me };
  }

  async addMember(callerId: string, conversationId: unknown, input: unknown): Promise<Member> {
    const id = validate(conversationIdSchema, conversationId);
    const body = validate(addMemberSchema, input);
    return this.transactions.run(async (uow) => {
      const { row, me } = await this.lockAsMember(uow.trx, id, callerId);
      assertMayAdd(row.type, me.role, body.role);
      await assertUsersExist(this.conversations, [body.user_id], "user_id", uow.trx);
      await this.joinGuard?.(id, [body.user_id], uow.trx);
      if (await this.members.find(id, body.user_id, uow.trx)) {
        throw conflict("the user is already a member");
      }
      const [added] = await this.conversations.insertMembers(
        id,
        [{ user_id: body.user_id, role: body.role }],
        uow.trx,
      );
      await this.announceAdded(uow, id, [added]);
      return toMember(added);
    });
  }

  /** Leaving (userId is the caller) or removing someone; the last one out deletes it. */
  async removeMember(callerId: string, conversationId: unknown, userId: unknown): Promise<void> {
    const id = validate(conversationIdSchema, conversationId);
    const targetId = validate(userIdSchema, userId);
    await this.transactions.run(async (uow) => {
      const { row, me } = await this.lockAsMember(uow.trx, id, callerId);
      const self = targetId === callerId;
      const target = self ? me : await this.members.find(id, targetId, uow.trx);
      if (!target) throw notFound("member");
      assertMayRemove(row.type, me.role, target.role, self);

      const audience = await this.members.memberIds(id, uow.trx);
      await this.conversations.deleteMember(id, targetId, uow.trx);
      uow.emit({
        type: "member.removed",
        conversationId: id,
        audience,
        frame: {
          type: "member.removed",
          data: { conversation_id: id, user_id: targetId, role: target.role },
        },
      });
      await this.afterDeparture(uow, row, targetId);
    });
  }

  /**
   * After someone left: nobody left deletes the conversation; a conversation left without
   * an owner gets the longest-standing admin (else member) as owner, announced as
   * conversation.updated (its members carry the new role).
   */
  private async afterDeparture(
    uow: UnitOfWork,
    row: ConversationRow,
    departedId: string,
  ): Promise<void> {
    const remaining = await this.members.list(row.id, uow.trx);
    if (remaining.length === 0) {
      await this.conversations.delete(row.id, uow.trx);
      uow.emit({
        type: "conversation.deleted",
        conversationId: row.id,
        audience: [departedId],
        frame: { type: "conversation.deleted", data: { id: row.id } },
      });
      return;
    }
    const heir = nextOwner(remaining);
    if (!heir) return;
    await this.conversations.setRole(row.id, heir.user_id, "owner", uow.trx);
    await this.views.announce(uow, "conversation.updated", row, heir.user_id);
  }

  /**
   * Asking for a pair's direct conversation again brings back whichever of the two had
   * left it (as plain members, or owner when nobody holds that role).
   */
  async restoreDirectMembers(uow: UnitOfWork, row: ConversationRow, pair: string[]): Promise<void> {
    const current = await this.members.list(row.id, uow.trx);
    const present = new Set(current.map((member) => member.user_id));
    let ownerless = !current.some((member) => member.role === "owner");
    const missing: { user_id: string; role: Role }[] = [];
    for (const userId of pair.filter((id) => !present.has(id))) {
      missing.push({ user_id: userId, role: ownerless ? "owner" : "member" });
      ownerless = false;
    }
    if (missing.length === 0) return;
    const added = await this.conversations.insertMembers(row.id, missing, uow.trx);
    await this.announceAdded(uow, row.id, added);
  }

  /** member.added to every member, the new ones included (they start hearing at once). */
  private async announceAdded(
    uow: UnitOfWork,
    conversationId: string,
    added: MemberRow[],
  ): Promise<void> {
    const audience = await this.members.memberIds(conversationId, uow.trx);
    for (const member of added) {
      uow.emit({
        type: "member.added",
        conversationId,
        audience,
        frame: {
          type: "member.added",
          data: { conversation_id: conversationId, user_id: member.user_id, role: member.role },
        },
      });
      // The newcomer's badge starts from the history they can now read.
      const counts = await this.badges.forMember(conversationId, member.user_id, uow.trx);
      uow.emit(
        readStateEvent({
          conversation_id: conversationId,
          user_id: member.user_id,
          last_read_seq: Number(member.last_read_seq),
          thread_id: null,
          thread_last_read_seq: null,
          thread_unread_count: null,
          ...counts,
        }),
      );
    }
  }
}
