import Joi from "joi";
import { newId } from "../../ids";
import type { AuditRepository, AuditRow } from "../../store/audit-repository";
import { Page, decodeCursor, encodeCursor, pageQuery, uuid, validate } from "../../validation";
import { Principal, actorOf } from "../integrations/principal";
import type { Db } from "../../store/handles";

/** One admin action as GET /admin/audit-log shows it. */
export interface AuditRecord {
  id: string;
  actor: { user_id: string | null; api_key_id: string | null };
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  created_at: string;
}

/** What an action records: its name (`user.suspend`), its target and anything worth keeping. */
export interface AuditEntry {
  action: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

/** The service itself (e.g. disabling a failing webhook endpoint): no user, no key. */
export const SYSTEM_ACTOR = "system" as const;

const listSchema = Joi.object({
  ...pageQuery,
  action: Joi.string().max(64),
  actor_user_id: uuid(),
  actor_key_id: uuid(),
  target_id: Joi.string().max(128),
});

const toRecord = (row: AuditRow): AuditRecord => ({
  id: row.id,
  actor: { user_id: row.actor_user_id, api_key_id: row.actor_key_id },
  action: row.action,
  target_type: row.target_type,
  target_id: row.target_id,
  details: row.details ?? {},
  created_at: new Date(row.created_at).toISOString(),
});

/**
 * The audit log of admin actions. `record` takes the action's transaction, so an action
 * and its entry commit together (or neither does); any admin feature records through it.
 */
export class AuditLog {
  constructor(private readonly repository: AuditRepository) {}

  async record(db: Db, by: Principal | typeof SYSTEM_ACTOR, entry: AuditEntry): Promise<void> {
    const actor = by === SYSTEM_ACTOR ? { userId: null, keyId: null } : actorOf(by);
    await this.repository.insert(
      {
        id: newId(),
        actor_user_id: actor.userId,
        actor_key_id: actor.keyId,
        action: entry.action,
        target_type: entry.target?.type ?? null,
        target_id: entry.target?.id ?? null,
        details: entry.details ?? {},
      },
      db,
    );
  }

  /** Newest first; filter by action, actor or target. */
  async list(query: unknown): Promise<Page<AuditRecord>> {
    const q = validate(listSchema, query ?? {});
    const before = decodeCursor<{ b: string }>(
      q.cursor,
      (v) => typeof (v as { b?: unknown })?.b === "string",
    );
    const rows = await this.repository.page(
      {
        action: q.action,
        actorUserId: q.actor_user_id,
        actorKeyId: q.actor_key_id,
        targetId: q.target_id,
      },
      q.limit + 1,
      before?.b,
    );
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toRecord),
      next_cursor: rows.length > q.limit ? encodeCursor({ b: page.at(-1)!.id }) : null,
    };
  }
}
