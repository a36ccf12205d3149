import type { Knex } from "knex";
import { Db, dbOf, sql } from "./handles";

export type AccountJobKind = "erase" | "export";

export interface AccountJobRow {
  id: string;
  kind: AccountJobKind;
  user_id: string;
  status: "pending" | "running" | "done" | "failed";
  progress: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
  created_at: Date;
  completed_at: Date | null;
  expires_at: Date | null;
}

/** What one step of a job leaves behind. */
export interface JobUpdate {
  status?: AccountJobRow["status"];
  progress?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: string | null;
  attempts?: number;
  /** Not before this many ms from now (a retry, or waiting for the relay). */
  delayMs?: number;
  expiresAt?: Date;
}

/** `account_jobs`: erasures and exports, leased by one node at a time, resumable by any. */
export class AccountJobRepository {
  constructor(private readonly knex: Knex) {}

  async insert(
    row: Pick<AccountJobRow, "id" | "kind" | "user_id"> & { progress?: Record<string, unknown> },
    db: Db = dbOf(this.knex),
  ): Promise<AccountJobRow> {
    const [inserted] = (await sql(db)("account_jobs")
      .insert({ ...row, progress: JSON.stringify(row.progress ?? {}) })
      .returning("*")) as AccountJobRow[];
    return inserted;
  }

  async find(id: string, db: Db = dbOf(this.knex)): Promise<AccountJobRow | undefined> {
    return (await sql(db)("account_jobs").where({ id }).first()) as AccountJobRow | undefined;
  }

  /** The user's unfinished job of a kind (one export at a time). */
  async pendingFor(userId: string, kind: AccountJobKind): Promise<AccountJobRow | undefined> {
    return (await this.knex("account_jobs")
      .where({ user_id: userId, kind })
      .whereIn("status", ["pending", "running"])
      .first()) as AccountJobRow | undefined;
  }

  /** Takes the oldest due job nobody holds (or whose holder's lease ran out). */
  async claim(owner: string, leaseMs: number): Promise<AccountJobRow | undefined> {
    const { rows } = (await this.knex.raw(
      `UPDATE account_jobs
       SET lease_owner = ?, lease_expires_at = now() + ? * interval '1 millisecond',
           status = 'running'
       WHERE id = (
         SELECT id FROM account_jobs
         WHERE status IN ('pending', 'running') AND run_after <= now()
           AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [owner, leaseMs],
    )) as { rows: AccountJobRow[] };
    return rows[0];
  }

  /** Records a step (only while `owner` holds the lease); renews or gives back the lease. */
  async update(
    id: string,
    owner: string,
    change: JobUpdate,
    leaseMs: number,
    db: Db = dbOf(this.knex),
  ): Promise<boolean> {
    const finished = change.status === "done" || change.status === "failed";
    const release = finished || change.delayMs !== undefined;
    const fields: Record<string, unknown> = {
      lease_owner: release ? null : owner,
      lease_expires_at: release
        ? null
        : sql(db).raw("now() + ? * interval '1 millisecond'", [leaseMs]),
    };
    if (change.status) fields.status = change.status;
    if (change.progress) fields.progress = JSON.stringify(change.progress);
    if (change.result) fields.result = JSON.stringify(change.result);
    if (change.error !== undefined) fields.error = change.error;
    if (change.attempts !== undefined) fields.attempts = change.attempts;
    if (change.expiresAt) fields.expires_at = change.expiresAt.toISOString();
    if (finished) fields.completed_at = sql(db).fn.now();
    if (change.delayMs !== undefined) {
      fields.run_after = sql(db).raw("now() + ? * interval '1 millisecond'", [change.delayMs]);
    }
    const count = await sql(db)("account_jobs").where({ id, lease_owner: owner }).update(fields);
    return count > 0;
  }

  /** Exports whose link has expired (their archives are deleted). */
  async expiredExports(limit: number): Promise<AccountJobRow[]> {
    return (await this.knex("account_jobs")
      .where({ kind: "export" })
      .whereNotNull("expires_at")
      .where("expires_at", "<", this.knex.fn.now())
      .limit(limit)) as AccountJobRow[];
  }

  async exportsOf(userId: string, db: Db = dbOf(this.knex)): Promise<AccountJobRow[]> {
    return (await sql(db)("account_jobs").where({
      user_id: userId,
      kind: "export",
    })) as AccountJobRow[];
  }

  async delete(ids: string[], db: Db = dbOf(this.knex)): Promise<void> {
    if (ids.length > 0) await sql(db)("account_jobs").whereIn("id", ids).delete();
  }
}
