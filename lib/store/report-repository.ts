import type { Knex } from "knex";
import { Db, dbOf, sql } from "./handles";

export interface ReportRow {
  id: string;
  reporter_id: string;
  message_id: string;
  conversation_id: string;
  sender_id: string;
  reason: string;
  note: string | null;
  message: Record<string, unknown>;
  status: "open" | "resolved";
  resolution: string | null;
  resolution_note: string | null;
  resolved_by_user_id: string | null;
  resolved_by_key_id: string | null;
  resolved_at: Date | null;
  created_at: Date;
}

/** `reports`: reported messages, with the message as it was, for service admins. */
export class ReportRepository {
  constructor(private readonly knex: Knex) {}

  async insert(
    row: Omit<
      ReportRow,
      | "status"
      | "resolution"
      | "resolution_note"
      | "resolved_by_user_id"
      | "resolved_by_key_id"
      | "resolved_at"
      | "created_at"
    >,
    db: Db,
  ): Promise<ReportRow> {
    const [inserted] = (await sql(db)("reports")
      .insert({ ...row, message: JSON.stringify(row.message) })
      .returning("*")) as ReportRow[];
    return inserted;
  }

  async find(id: string, db: Db = dbOf(this.knex), lock = false): Promise<ReportRow | undefined> {
    const query = sql(db)("reports").where({ id }).first();
    if (lock) query.forUpdate();
    return (await query) as ReportRow | undefined;
  }

  /** Newest first, after `beforeId` (ids are time-ordered). */
  async page(status: string | undefined, limit: number, beforeId?: string): Promise<ReportRow[]> {
    const query = this.knex("reports").orderBy("id", "desc").limit(limit);
    if (status) query.where({ status });
    if (beforeId) query.where("id", "<", beforeId);
    return (await query) as ReportRow[];
  }

  async resolve(
    id: string,
    fields: Pick<
      ReportRow,
      "resolution" | "resolution_note" | "resolved_by_user_id" | "resolved_by_key_id"
    >,
    db: Db,
  ): Promise<ReportRow> {
    const [row] = (await sql(db)("reports")
      .where({ id })
      .update({ ...fields, status: "resolved", resolved_at: sql(db).fn.now() })
      .returning("*")) as ReportRow[];
    return row;
  }
}
