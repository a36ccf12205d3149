import type { Knex } from "knex";
import type { TokenPolicyRow } from "../domain/accounts/session-revocations";
import { Db, sql } from "./handles";

/** One refresh token (only its sha256 is stored). */
export interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Sessions: the per-user token policy and the rotating refresh tokens. */
export class SessionRepository {
  constructor(private readonly knex: Knex) {}

  /** Users with a "tokens valid after" time or a deleted account (each node loads them at start). */
  async tokenPolicies(): Promise<TokenPolicyRow[]> {
    return (await this.knex("users")
      .whereNotNull("tokens_valid_after")
      .orWhereNotNull("deleted_at")
      .select("id", "tokens_valid_after", "deleted_at")) as TokenPolicyRow[];
  }

  async setTokensValidAfter(userId: string, at: Date, db: Db): Promise<void> {
    await sql(db)("users")
      .where({ id: userId })
      .update({ tokens_valid_after: at.toISOString(), updated_at: sql(db).fn.now() });
  }

  async insertRefresh(row: Omit<RefreshTokenRow, "created_at" | "used_at" | "revoked_at">, db: Db) {
    await sql(db)("refresh_tokens").insert(row);
  }

  async findRefreshForUpdate(hash: string, db: Db): Promise<RefreshTokenRow | undefined> {
    return (await sql(db)("refresh_tokens").where({ token_hash: hash }).forUpdate().first()) as
      RefreshTokenRow | undefined;
  }

  async markUsed(id: string, db: Db): Promise<void> {
    await sql(db)("refresh_tokens")
      .where({ id })
      .update({ used_at: sql(db).fn.now() });
  }

  async revokeFamily(familyId: string, db: Db): Promise<void> {
    await sql(db)("refresh_tokens")
      .where({ family_id: familyId })
      .whereNull("revoked_at")
      .update({ revoked_at: sql(db).fn.now() });
  }

  /** Every refresh token of the user goes (sign out everywhere, password change, deletion). */
  async deleteAllForUser(userId: string, db: Db): Promise<void> {
    await sql(db)("refresh_tokens").where({ user_id: userId }).delete();
  }
}
