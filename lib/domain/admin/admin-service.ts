import Joi from "joi";
import { forbidden, notFound } from "../../errors";
import type { TransactionRunner } from "../../event-log/transaction-runner";
import type { AccountRepository, AccountRow } from "../../store/account-repository";
import {
  Page,
  decodeCursor,
  encodeCursor,
  pageQuery,
  text,
  uuid,
  validate,
} from "../../validation";
import type { MessageService } from "../contracts";
import { Principal, assertAdmin, mayTouchConversation } from "../integrations/principal";
import type { AdminAccess } from "./admin-access";
import type { AuditLog, AuditRecord } from "./audit-log";
import type { SuspendedUsers } from "./suspended-users";

/** A user as service admins see it. */
export interface AdminUser {
  id: string;
  username: string;
  display_name: string;
  created_at: string;
  kind: "user" | "bot";
  /** A service admin: named in `admin.users` or granted. */
  is_admin: boolean;
  /** Named in `admin.users`: the role cannot be revoked over the API. */
  admin_by_config: boolean;
  suspended_at: string | null;
  suspended_reason: string | null;
  /** A bot's owning API key. */
  owner_key_id: string | null;
}

const userIdSchema = uuid().required().label("id");
const listSchema = Joi.object({
  ...pageQuery,
  q: Joi.string().trim().max(64).allow(""),
  kind: Joi.string().valid("user", "bot"),
  suspended: Joi.boolean(),
});
const suspendSchema = Joi.object({ reason: text(1, 500) });

export interface AdminServiceDeps {
  accounts: AccountRepository;
  access: AdminAccess;
  audit: AuditLog;
  transactions: TransactionRunner;
  suspended: SuspendedUsers;
  messages: Pick<MessageService, "deleteAnyMessage">;
}

/**
 * The admin API: users (list, suspend, restore, grant and revoke the admin role), deleting
 * any message, usage and the audit log. Every call checks the principal; every change is
 * audited in its own transaction.
 */
export class AdminService {
  constructor(private readonly deps: AdminServiceDeps) {}

  private view(row: AccountRow): AdminUser {
    const byConfig = row.kind === "user" && this.deps.access.isConfigured(row.username);
    return {
      id: row.id,
      username: row.username,
      display_name: row.display_name,
      created_at: new Date(row.created_at).toISOString(),
      kind: row.kind,
      is_admin: row.kind === "user" && (row.is_admin || byConfig),
      admin_by_config: byConfig,
      suspended_at: row.suspended_at ? new Date(row.suspended_at).toISOString() : null,
      suspended_reason: row.suspended_reason,
      owner_key_id: row.owner_key_id,
    };
  }

  async listUsers(principal: Principal, query: unknown): Promise<Page<AdminUser>> {
    assertAdmin(principal);
    const q = validate(listSchema, query ?? {});
    const after = decodeCursor<{ u: string }>(
      q.cursor,
      (v) => typeof (v as { u?: unknown })?.u === "string",
    );
    const rows = await this.deps.accounts.page(
      { q: q.q || undefined, kind: q.kind, suspended: q.suspended },
      q.limit + 1,
      after?.u,
    );
    const page = rows.slice(0, q.limit);
    return {
      data: page.map((row) => this.view(row)),
      next_cursor: rows.length > q.limit ? encodeCursor({ u: page.at(-1)!.username }) : null,
    };
  }

  async getUser(principal: Principal, userId: unknown): Promise<AdminUser> {
    assertAdmin(principal);
    const row = await this.deps.accounts.find(validate(userIdSchema, userId));
    if (!row) throw notFound("user");
    return this.view(row);
  }

  /**
   * Suspends a user or bot: their tokens (and a bot's key) are refused from now on, on every
   * node, and every open connection of theirs gets `user.suspended` and is closed.
   */
  async suspendUser(principal: Principal, userId: unknown, input: unknown): Promise<AdminUser> {
    assertAdmin(principal);
    const id = validate(userIdSchema, userId);
    const { reason } = validate(suspendSchema, input ?? {}) as { reason?: string };
    if (id === principal.userId) throw forbidden("an admin cannot suspend themselves");
    const row = await this.deps.transactions.run(async ({ trx, emit }) => {
      const current = await this.deps.accounts.find(id, trx);
      if (!current) throw notFound("user");
      if (current.suspended_at) return current;
      const updated = (await this.deps.accounts.setSuspended(id, { reason: reason ?? null }, trx))!;
      await this.deps.audit.record(trx, principal, {
        action: "user.suspend",
        target: { type: "user", id },
        details: reason ? { reason } : {},
      });
      emit({
        type: "user.suspended",
        conversationId: null,
        audience: [id],
        frame: {
          type: "user.suspended",
          data: {
            user_id: id,
            suspended_at: new Date(updated.suspended_at!).toISOString(),
            reason: reason ?? null,
          },
        },
      });
      return updated;
    });
    this.deps.suspended.set(id, true);
    return this.view(row);
  }

  async restoreUser(principal: Principal, userId: unknown): Promise<AdminUser> {
    assertAdmin(principal);
    const id = validate(userIdSchema, userId);
    const row = await this.deps.transactions.run(async ({ trx, emit }) => {
      const current = await this.deps.accounts.find(id, trx);
      if (!current) throw notFound("user");
      if (!current.suspended_at) return current;
      const updated = (await this.deps.accounts.setSuspended(id, null, trx))!;
      await this.deps.audit.record(trx, principal, {
        action: "user.restore",
        target: { type: "user", id },
      });
      emit({
        type: "user.restored",
        conversationId: null,
        audience: [id],
        frame: { type: "user.restored", data: { user_id: id } },
      });
      return updated;
    });
    this.deps.suspended.set(id, false);
    return this.view(row);
  }

  /** Grants or revokes the admin role; a role given by config cannot be revoked here. */
  async setAdmin(principal: Principal, userId: unknown, isAdmin: boolean): Promise<AdminUser> {
    assertAdmin(principal);
    const id = validate(userIdSchema, userId);
    const row = await this.deps.transactions.run(async ({ trx }) => {
      const current = await this.deps.accounts.find(id, trx);
      if (!current) throw notFound("user");
      if (current.kind === "bot") throw forbidden("a bot cannot be a service admin");
      if (!isAdmin && this.deps.access.isConfigured(current.username)) {
        throw forbidden("this admin is named in the configuration (admin.users)");
      }
      if (current.is_admin === isAdmin) return current;
      const updated = (await this.deps.accounts.setAdmin(id, isAdmin, trx))!;
      await this.deps.audit.record(trx, principal, {
        action: isAdmin ? "admin.grant" : "admin.revoke",
        target: { type: "user", id },
      });
      return updated;
    });
    return this.view(row);
  }

  /** Any message, whoever sent it; a key restricted to conversations only reaches those. */
  async deleteMessage(principal: Principal, messageId: unknown): Promise<void> {
    assertAdmin(principal);
    await this.deps.messages.deleteAnyMessage(messageId, async (trx, row) => {
      if (!mayTouchConversation(principal, row.conversation_id)) throw notFound("message");
      if (row.deleted_at) return;
      await this.deps.audit.record(trx, principal, {
        action: "message.delete",
        target: { type: "message", id: row.id },
        details: { conversation_id: row.conversation_id, sender_id: row.sender_id },
      });
    });
  }

  async usage(principal: Principal): Promise<Record<string, number>> {
    assertAdmin(principal);
    return this.deps.accounts.usage();
  }

  async auditLog(principal: Principal, query: unknown): Promise<Page<AuditRecord>> {
    assertAdmin(principal);
    return this.deps.audit.list(query);
  }
}
