import crypto from "node:crypto";
import type { HashQueue } from "../../auth/hash-queue";
import { hashPassword, verifyPassword } from "../../auth/passwords";
import type { TokenService } from "../../auth/tokens";
import { forbidden, unauthorized } from "../../errors";
import type { TransactionRunner, UnitOfWork } from "../../event-log/transaction-runner";
import { newId } from "../../ids";
import type { SessionRepository } from "../../store/session-repository";
import { toUser, User, UserRepository } from "../../store/user-repository";
import { validate } from "../../validation";
import type { SessionRevocations } from "./session-revocations";
import { changePasswordSchema, refreshSchema } from "./session-schemas";
import type { Db, Tx } from "../../store/handles";

/** What a login, a registration, a refresh or a password change answers. */
export interface SessionTokens {
  token: string;
  /** With a refresh token: the opaque value to trade for the next token (once). */
  refresh_token?: string;
  /** With a refresh token: seconds until `token` expires. */
  expires_in?: number;
}

export interface SessionServiceDeps {
  db: Db;
  users: UserRepository;
  sessions: SessionRepository;
  tokens: TokenService;
  transactions: TransactionRunner;
  revocations: SessionRevocations;
  suspended: { has(userId: string): boolean };
  hashes: HashQueue;
  passwordCost: number;
  accessExpiryMs: number;
  refreshExpiryMs: number;
  /**
   * The user's push devices, unregistered with their sessions: a lost or sold phone stops
   * showing message previews once its owner signs out everywhere.
   */
  pushDevices?: { deleteAllOf(userId: string, tx: Tx): Promise<number> };
}

const REFRESH_PREFIX = "rt_";
const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

/**
 * Sessions of the service's own login: tokens (long-lived as before, or short-lived with a
 * rotating refresh token when the client asks for one), refresh with reuse detection, sign
 * out of one session or everywhere, and password changes. Tokens minted elsewhere with the
 * shared secret are untouched, except that a sign-out everywhere refuses them too when
 * issued before it.
 */
export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  /** Tokens for a user who just proved who they are (register, login, password change). */
  async issue(userId: string, username: string, withRefresh: boolean): Promise<SessionTokens> {
    if (!withRefresh) return { token: this.deps.tokens.issue(userId, username) };
    const familyId = newId();
    const refresh = await this.newRefreshToken(userId, familyId, this.deps.db);
    return this.accessFor(userId, username, familyId, refresh);
  }

  /** Trades a refresh token for a new pair; a token used twice ends its whole session. */
  async refresh(input: unknown): Promise<{ user: User } & SessionTokens> {
    const { refresh_token: presented } = validate(refreshSchema, input);
    const outcome = await this.deps.transactions.run(async ({ trx }) => {
      const row = await this.deps.sessions.findRefreshForUpdate(sha256(presented), trx);
      if (!row || row.revoked_at || row.expires_at.getTime() < Date.now()) return "invalid";
      if (row.used_at) {
        // Reuse: a stolen copy or a stolen original; either way the session ends.
        await this.deps.sessions.revokeFamily(row.family_id, trx);
        return "reused";
      }
      const user = await this.deps.users.findById(row.user_id, trx);
      if (!user || this.refusesUser(user.id, row.created_at)) return "invalid";
      await this.deps.sessions.markUsed(row.id, trx);
      const refresh = await this.newRefreshToken(user.id, row.family_id, trx);
      return { user, familyId: row.family_id, refresh };
    });
    if (outcome === "reused") {
      throw unauthorized("this refresh token was already used: the session has been ended");
    }
    if (outcome === "invalid") throw unauthorized("invalid or expired refresh token");
    const { user, familyId, refresh } = outcome;
    return {
      user: toUser(user),
      ...this.accessFor(user.id, user.username, familyId, refresh),
    };
  }

  /** Ends the session of a refresh token (its access token lapses within its short life). */
  async logout(input: unknown): Promise<void> {
    const { refresh_token: presented } = validate(refreshSchema, input);
    await this.deps.transactions.run(async ({ trx }) => {
      const row = await this.deps.sessions.findRefreshForUpdate(sha256(presented), trx);
      if (row) await this.deps.sessions.revokeFamily(row.family_id, trx);
    });
  }

  /**
   * Every token of the user issued before now is refused on every node, every refresh
   * token goes, and every open connection is closed (user.sessions_revoked).
   */
  async logoutAll(userId: string): Promise<void> {
    const at = await this.deps.transactions.run((uow) => this.revokeAll(uow, userId));
    this.deps.revocations.set(userId, at.getTime());
  }

  /**
   * The current password is required; every other session ends (as logoutAll), and the
   * caller gets new tokens issued after the change.
   */
  async changePassword(
    userId: string,
    input: unknown,
    address: string,
  ): Promise<{ user: User } & SessionTokens> {
    const body = validate(changePasswordSchema, input);
    const row = await this.deps.users.findById(userId);
    if (!row) throw unauthorized();
    if (!row.password_hash) throw forbidden("this account has no password (it signs in elsewhere)");
    const { hashes, passwordCost } = this.deps;
    const hash = row.password_hash;
    const ok = await hashes.run(address, () => verifyPassword(body.current_password, hash));
    if (!ok) throw forbidden("the current password is wrong");
    const newHash = await hashes.run(address, () => hashPassword(body.new_password, passwordCost));
    const at = await this.deps.transactions.run(async (uow) => {
      await this.deps.users.setPassword(userId, newHash, uow.trx);
      return this.revokeAll(uow, userId);
    });
    this.deps.revocations.set(userId, at.getTime());
    return { user: toUser(row), ...(await this.issue(row.id, row.username, body.refresh_token)) };
  }

  /**
   * In the caller's transaction: the policy moves to now, refresh tokens and push devices
   * go, the event.
   */
  async revokeAll(uow: UnitOfWork, userId: string): Promise<Date> {
    const at = new Date();
    await this.deps.sessions.setTokensValidAfter(userId, at, uow.trx);
    await this.deps.sessions.deleteAllForUser(userId, uow.trx);
    await this.deps.pushDevices?.deleteAllOf(userId, uow.trx);
    uow.emit({
      type: "user.sessions_revoked",
      conversationId: null,
      audience: [userId],
      frame: {
        type: "user.sessions_revoked",
        data: { user_id: userId, tokens_valid_after: at.toISOString() },
      },
    });
    return at;
  }

  private refusesUser(userId: string, issuedAt: Date): boolean {
    const ms = issuedAt.getTime();
    return (
      this.deps.suspended.has(userId) ||
      this.deps.revocations.refuses(userId, { iat: Math.floor(ms / 1000), iat_ms: ms })
    );
  }

  private async newRefreshToken(userId: string, familyId: string, db: Db): Promise<string> {
    const token = REFRESH_PREFIX + crypto.randomBytes(32).toString("base64url");
    await this.deps.sessions.insertRefresh(
      {
        id: newId(),
        family_id: familyId,
        user_id: userId,
        token_hash: sha256(token),
        expires_at: new Date(Date.now() + this.deps.refreshExpiryMs),
      },
      db,
    );
    return token;
  }

  private accessFor(
    userId: string,
    username: string,
    familyId: string,
    refresh: string,
  ): SessionTokens {
    const expiryMs = this.deps.accessExpiryMs;
    return {
      token: this.deps.tokens.issue(userId, username, { expiryMs, sessionId: familyId }),
      refresh_token: refresh,
      expires_in: Math.floor(expiryMs / 1000),
    };
  }
}
