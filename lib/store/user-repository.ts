import type { Knex } from "knex";
import { Db, dbOf, sql } from "./handles";

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string | null;
  created_at: Date;
  kind?: "user" | "bot";
  /** Set once the account is deleted (the row stays, emptied, for the ids that point at it). */
  deleted_at?: Date | null;
}

/** The public shape of a user (never the password hash). */
export interface User {
  id: string;
  username: string;
  display_name: string;
  created_at: string;
  /** `bot` for a bot owned by an API key (an addition to the contract's User). */
  kind: "user" | "bot";
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  display_name: row.display_name,
  created_at: new Date(row.created_at).toISOString(),
  kind: row.kind ?? "user",
});

const COLUMNS = [
  "id",
  "username",
  "display_name",
  "password_hash",
  "created_at",
  "kind",
  "deleted_at",
];

export class UserRepository {
  constructor(private readonly knex: Knex) {}

  async findById(id: string, db: Db = dbOf(this.knex)): Promise<UserRow | undefined> {
    return sql(db)("users").select(COLUMNS).where({ id }).first() as Promise<UserRow | undefined>;
  }

  async findByIds(ids: string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    return this.knex("users").select(COLUMNS).whereIn("id", ids) as Promise<UserRow[]>;
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.knex("users")
      .select(COLUMNS)
      .whereRaw("lower(username) = lower(?)", [username])
      .first() as Promise<UserRow | undefined>;
  }

  /** Inserts a user; returns undefined when the username (or id) is taken. */
  async insert(
    row: Omit<UserRow, "created_at">,
    db: Db = dbOf(this.knex),
  ): Promise<UserRow | undefined> {
    const [inserted] = (await sql(db)("users")
      .insert(row)
      .onConflict()
      .ignore()
      .returning(COLUMNS)) as UserRow[];
    return inserted;
  }

  async setPassword(id: string, passwordHash: string, db: Db): Promise<void> {
    await sql(db)("users")
      .where({ id })
      .update({ password_hash: passwordHash, updated_at: sql(db).fn.now() });
  }

  /** Users whose username or display name starts with `prefix`, by username (never deleted ones). */
  async searchByPrefix(prefix: string, limit: number, afterUsername?: string): Promise<UserRow[]> {
    const pattern = prefix.toLowerCase().replace(/[\\%_]/g, (c) => "\\" + c) + "%";
    const query = this.knex("users")
      .select(COLUMNS)
      .where((q) => {
        q.whereRaw("lower(username) LIKE ?", [pattern]);
        q.orWhereRaw("lower(display_name) LIKE ?", [pattern]);
      })
      .whereNull("deleted_at")
      .orderByRaw("lower(username)")
      .limit(limit);
    if (afterUsername !== undefined) query.whereRaw("lower(username) > lower(?)", [afterUsername]);
    return (await query) as UserRow[];
  }
}
