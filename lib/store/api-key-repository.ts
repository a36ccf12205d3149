import type { Knex } from "knex";
import type { Scope } from "../domain/integrations/principal";
import { Db, dbOf, sql } from "./handles";

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  conversation_ids: string[] | null;
  created_by_user_id: string | null;
  created_by_key_id: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** The bot the key owns (users.owner_key_id), joined in. */
  bot_user_id: string | null;
}

const COLUMNS = [
  "k.id",
  "k.name",
  "k.prefix",
  "k.scopes",
  "k.conversation_ids",
  "k.created_by_user_id",
  "k.created_by_key_id",
  "k.created_at",
  "k.last_used_at",
  "k.revoked_at",
  "u.id as bot_user_id",
];

/** API keys, stored by the sha256 of the key (the key itself is never stored). */
export class ApiKeyRepository {
  constructor(private readonly knex: Knex) {}

  private select(db: Db = dbOf(this.knex)) {
    return sql(db)("api_keys as k")
      .leftJoin("users as u", "u.owner_key_id", "k.id")
      .select(COLUMNS);
  }

  async insert(
    row: Omit<ApiKeyRow, "created_at" | "last_used_at" | "revoked_at" | "bot_user_id"> & {
      secret_hash: string;
    },
    db: Db = dbOf(this.knex),
  ): Promise<void> {
    await sql(db)("api_keys").insert(row);
  }

  /** The live key whose hash this is. */
  async findActiveByHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    return (await this.select()
      .where("k.secret_hash", secretHash)
      .whereNull("k.revoked_at")
      .first()) as ApiKeyRow | undefined;
  }

  async findById(id: string, db: Db = dbOf(this.knex)): Promise<ApiKeyRow | undefined> {
    return (await this.select(db).where("k.id", id).first()) as ApiKeyRow | undefined;
  }

  /** Newest first, after the key with id `afterId` (ids are time-ordered). */
  async page(limit: number, afterId?: string): Promise<ApiKeyRow[]> {
    const query = this.select().orderBy("k.id", "desc").limit(limit);
    if (afterId) query.where("k.id", "<", afterId);
    return (await query) as ApiKeyRow[];
  }

  /** @returns when it was revoked; undefined when it already was (or does not exist) */
  async revoke(id: string, db: Db): Promise<Date | undefined> {
    const [row] = (await sql(db)("api_keys")
      .where({ id })
      .whereNull("revoked_at")
      .update({ revoked_at: sql(db).fn.now() })
      .returning(["revoked_at"])) as { revoked_at: Date }[];
    return row?.revoked_at;
  }

  async touch(id: string): Promise<void> {
    await this.knex("api_keys").where({ id }).update({ last_used_at: this.knex.fn.now() });
  }

  async countActive(): Promise<number> {
    const row = await this.knex("api_keys").whereNull("revoked_at").count({ n: "*" }).first();
    return Number(row?.n ?? 0);
  }
}
