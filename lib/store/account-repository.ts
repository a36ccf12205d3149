import type { Knex } from "knex";
import { Db, dbOf, sql } from "./handles";
import { mappingErrors } from "./store-errors";

/** A user row as admins see it: kind, admin grant, suspension and owning key. */
export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  created_at: Date;
  kind: "user" | "bot";
  is_admin: boolean;
  suspended_at: Date | null;
  suspended_reason: string | null;
  owner_key_id: string | null;
}

const COLUMNS = [
  "id",
  "username",
  "display_name",
  "created_at",
  "kind",
  "is_admin",
  "suspended_at",
  "suspended_reason",
  "owner_key_id",
];

export interface AccountFilter {
  q?: string;
  kind?: "user" | "bot";
  suspended?: boolean;
}

/** Accounts for the admin API, bots and suspension. */
export class AccountRepository {
  constructor(private readonly knex: Knex) {}

  async find(id: string, db: Db = dbOf(this.knex)): Promise<AccountRow | undefined> {
    return (await sql(db)("users").select(COLUMNS).where({ id }).first()) as AccountRow | undefined;
  }

  async findByOwnerKey(keyId: string): Promise<AccountRow | undefined> {
    return (await this.knex("users").select(COLUMNS).where({ owner_key_id: keyId }).first()) as
      AccountRow | undefined;
  }

  /** By username, after `afterUsername`. */
  async page(filter: AccountFilter, limit: number, afterUsername?: string): Promise<AccountRow[]> {
    const query = this.knex("users").select(COLUMNS).orderByRaw("lower(username)").limit(limit);
    if (filter.q) {
      const pattern = filter.q.toLowerCase().replace(/[\\%_]/g, (c) => "\\" + c) + "%";
      query.where((q) => {
        q.whereRaw("lower(username) LIKE ?", [pattern]);
        q.orWhereRaw("lower(display_name) LIKE ?", [pattern]);
      });
    }
    if (filter.kind) query.where("kind", filter.kind);
    if (filter.suspended !== undefined) {
      query[filter.suspended ? "whereNotNull" : "whereNull"]("suspended_at");
    }
    if (afterUsername !== undefined) query.whereRaw("lower(username) > lower(?)", [afterUsername]);
    return (await query) as AccountRow[];
  }

  /** Sets or clears the suspension; undefined when the user does not exist. */
  async setSuspended(
    id: string,
    suspended: { reason: string | null } | null,
    db: Db,
  ): Promise<AccountRow | undefined> {
    const [row] = (await sql(db)("users")
      .where({ id })
      .update({
        suspended_at: suspended ? sql(db).fn.now() : null,
        suspended_reason: suspended?.reason ?? null,
        updated_at: sql(db).fn.now(),
      })
      .returning(COLUMNS)) as AccountRow[];
    return row;
  }

  async setAdmin(id: string, isAdmin: boolean, db: Db): Promise<AccountRow | undefined> {
    const [row] = (await sql(db)("users")
      .where({ id })
      .update({ is_admin: isAdmin, updated_at: sql(db).fn.now() })
      .returning(COLUMNS)) as AccountRow[];
    return row;
  }

  async suspendedIds(): Promise<string[]> {
    const rows = (await this.knex("users").whereNotNull("suspended_at").select("id")) as {
      id: string;
    }[];
    return rows.map((row) => row.id);
  }

  /**
   * A bot user owned by `ownerKeyId`; undefined when the username is taken.
   * @throws DuplicateKeyError when the key already has a bot
   */
  async insertBot(
    row: { id: string; username: string; display_name: string; owner_key_id: string },
    db: Db = dbOf(this.knex),
  ): Promise<AccountRow | undefined> {
    const [inserted] = (await mappingErrors(
      sql(db)("users")
        .insert({ ...row, kind: "bot", password_hash: null })
        .onConflict()
        .ignore()
        .returning(COLUMNS),
    )) as AccountRow[];
    return inserted;
  }

  /**
   * Those of `userIds` that are bots whose key is restricted to conversations other than
   * `conversationId` (they may not join it).
   */
  async botsBarredFrom(conversationId: string, userIds: string[], db: Db): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = (await sql(db)("users as u")
      .join("api_keys as k", "k.id", "u.owner_key_id")
      .whereIn("u.id", userIds)
      .whereNotNull("k.conversation_ids")
      .whereRaw("NOT (?::uuid = ANY(k.conversation_ids))", [conversationId])
      .select("u.id")) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** Counts for GET /admin/usage, in one round trip. */
  async usage(): Promise<Record<string, number>> {
    const { rows } = (await this.knex.raw(
      `SELECT
         (SELECT count(*) FROM users WHERE kind = 'user')::int AS users,
         (SELECT count(*) FROM users WHERE kind = 'bot')::int AS bots,
         (SELECT count(*) FROM users WHERE suspended_at IS NOT NULL)::int AS suspended_users,
         (SELECT count(*) FROM conversations)::int AS conversations,
         (SELECT count(*) FROM messages)::int AS messages,
         (SELECT count(*) FROM messages WHERE created_at > now() - interval '24 hours')::int
           AS messages_last_24h,
         (SELECT count(*) FROM files)::int AS files,
         (SELECT coalesce(sum(size), 0) FROM files)::float8 AS file_bytes,
         (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL)::int AS api_keys,
         (SELECT count(*) FROM webhook_subscriptions WHERE enabled)::int AS webhooks_enabled,
         (SELECT count(*) FROM webhook_subscriptions WHERE NOT enabled)::int AS webhooks_disabled,
         (SELECT count(*) FROM webhook_dead_letters WHERE replayed_at IS NULL)::int
           AS webhook_dead_letters`,
    )) as { rows: Record<string, number>[] };
    return rows[0];
  }
}
