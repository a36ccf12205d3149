import type { Knex } from "knex";
import { Db, dbOf, sql } from "./handles";

export interface AuditRow {
  id: string;
  actor_user_id: string | null;
  actor_key_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}

export interface AuditFilter {
  action?: string;
  actorUserId?: string;
  actorKeyId?: string;
  targetId?: string;
}

/** The audit log: one row per admin action, written in the action's transaction. */
export class AuditRepository {
  constructor(private readonly knex: Knex) {}

  async insert(row: Omit<AuditRow, "created_at">, db: Db = dbOf(this.knex)): Promise<void> {
    await sql(db)("audit_log").insert({ ...row, details: JSON.stringify(row.details) });
  }

  /** Newest first, before the entry with id `beforeId` (ids are time-ordered). */
  async page(filter: AuditFilter, limit: number, beforeId?: string): Promise<AuditRow[]> {
    const query = this.knex("audit_log").select("*").orderBy("id", "desc").limit(limit);
    if (filter.action) query.where("action", filter.action);
    if (filter.actorUserId) query.where("actor_user_id", filter.actorUserId);
    if (filter.actorKeyId) query.where("actor_key_id", filter.actorKeyId);
    if (filter.targetId) query.where("target_id", filter.targetId);
    if (beforeId) query.where("id", "<", beforeId);
    return (await query) as AuditRow[];
  }
}
