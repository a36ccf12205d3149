import { v5 as uuidv5 } from "uuid";
import type { HashQueue } from "../../auth/hash-queue";
import { hashPassword, verifyPassword } from "../../auth/passwords";
import type { TokenClaims, TokenService } from "../../auth/tokens";
import { AppError, conflict, notFound, unauthorized } from "../../errors";
import { isUuid, newId } from "../../ids";
import { User, UserRepository, toUser } from "../../store/user-repository";
import { Page, decodeCursor, encodeCursor, uuid as uuidSchema, validate } from "../../validation";
import { USERNAME_PATTERN, loginSchema, registerSchema, userSearchSchema } from "./user-schemas";

/** Namespace for mapping non-UUID `sub` claims of external identity providers to user ids. */
const EXTERNAL_SUBJECT_NAMESPACE = "6f1d3c2e-8a4b-4f7e-9c1d-2b3a4c5d6e7f";
const KNOWN_USERS_CACHE_LIMIT = 50_000;

export interface AuthResult {
  user: User;
  token: string;
  /** When the login asked for one (`refresh_token: true`): see SessionService. */
  refresh_token?: string;
  expires_in?: number;
}

/** Issues a login's tokens (SessionService: with a refresh token when asked). */
export type SessionIssuer = (
  userId: string,
  username: string,
  withRefresh: boolean,
) => Promise<Omit<AuthResult, "user">>;

/** Token checks beyond the signature (sign-outs, deleted accounts): a map lookup each. */
export interface TokenRevocations {
  refuses(userId: string, claims: TokenClaims): boolean;
}

/** Accounts: registration, login, lookup, and first-sight provisioning of external tokens. */
export class UserService {
  private readonly knownUserIds = new Set<string>();
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly passwordCost: number,
    /** Where every password hash runs (bounded, per client address). */
    private readonly hashes: HashQueue,
    /** Suspended users: their tokens are refused (a set lookup, no query). */
    private readonly suspended?: { has(userId: string): boolean },
    private readonly sessions?: { issue: SessionIssuer; revocations: TokenRevocations },
  ) {}

  private issue(row: { id: string; username: string }, withRefresh?: boolean) {
    if (this.sessions) return this.sessions.issue(row.id, row.username, withRefresh === true);
    return Promise.resolve({ token: this.tokens.issue(row.id, row.username) });
  }

  /** @param address the client's address, whose share of the hash queue this spends */
  async register(input: unknown, address: string): Promise<AuthResult> {
    const body = validate(registerSchema, input);
    const hash = await this.hashes.run(address, () =>
      hashPassword(body.password, this.passwordCost),
    );
    const row = await this.users.insert({
      id: newId(),
      username: body.username,
      display_name: body.display_name ?? body.username,
      password_hash: hash,
    });
    if (!row) throw conflict("username is taken");
    return { user: toUser(row), ...(await this.issue(row, body.refresh_token)) };
  }

  /**
   * Wrong password and unknown user fail the same way, in about the same time (an unknown
   * user's password is checked against a dummy hash, through the same queue).
   */
  async login(input: unknown, address: string): Promise<AuthResult> {
    const body = validate(loginSchema, input);
    const row = await this.users.findByUsername(body.username);
    const hash =
      row?.password_hash ??
      (await (this.dummyHash ??= hashPassword(`nobody-${Math.random()}`, this.passwordCost)));
    const ok = await this.hashes.run(address, () => verifyPassword(body.password, hash));
    if (!row || !row.password_hash || !ok) throw unauthorized("wrong username or password");
    this.assertNotSuspended(row.id);
    return { user: toUser(row), ...(await this.issue(row, body.refresh_token)) };
  }

  /** Verifies a token and returns its user id, creating the user on first sight. */
  async authenticate(token: string | undefined | null): Promise<string> {
    return this.userIdFromClaims(this.tokens.verify(token));
  }

  async userIdFromClaims(claims: TokenClaims): Promise<string> {
    const userId = isUuid(claims.sub)
      ? claims.sub.toLowerCase()
      : uuidv5(claims.sub, EXTERNAL_SUBJECT_NAMESPACE);
    this.assertNotSuspended(userId);
    if (this.sessions?.revocations.refuses(userId, claims)) {
      throw unauthorized("this token was revoked (signed out, or the account is deleted)");
    }
    if (this.knownUserIds.has(userId)) return userId;
    if (!(await this.users.findById(userId))) await this.provision(userId, claims);
    if (this.knownUserIds.size >= KNOWN_USERS_CACHE_LIMIT) this.knownUserIds.clear();
    this.knownUserIds.add(userId);
    return userId;
  }

  private assertNotSuspended(userId: string): void {
    if (this.suspended?.has(userId)) throw unauthorized("this account is suspended");
  }

  private async provision(userId: string, claims: TokenClaims): Promise<void> {
    const wanted = deriveUsername(claims.preferred_username ?? claims.name ?? claims.sub);
    const displayName = (claims.name ?? claims.preferred_username ?? wanted).slice(0, 64);
    for (const username of [
      wanted,
      `${wanted.slice(0, 23)}-${userId.slice(-8)}`,
      `user-${userId}`.slice(0, 32),
    ]) {
      const row = await this.users.insert({
        id: userId,
        username,
        display_name: displayName,
        password_hash: null,
      });
      if (row || (await this.users.findById(userId))) return;
    }
    throw new AppError("internal", "could not provision user");
  }

  async getUser(id: unknown): Promise<User> {
    const userId = validate(uuidSchema().required().label("id"), id);
    const row = await this.users.findById(userId);
    if (!row) throw notFound("user");
    return toUser(row);
  }

  async searchUsers(query: unknown): Promise<Page<User>> {
    const { q, limit, cursor } = validate(userSearchSchema, query);
    const after = decodeCursor<{ u: string }>(
      cursor,
      (v) => typeof (v as { u?: unknown })?.u === "string",
    );
    const rows = await this.users.searchByPrefix(q.trim(), limit + 1, after?.u);
    const page = rows.slice(0, limit);
    return {
      data: page.map(toUser),
      next_cursor: rows.length > limit ? encodeCursor({ u: page[page.length - 1].username }) : null,
    };
  }
}

/** A valid username from whatever an identity provider calls the user. */
export function deriveUsername(source: string): string {
  const cleaned = source
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
  return USERNAME_PATTERN.test(cleaned) ? cleaned : `user-${cleaned}`.slice(0, 32).padEnd(3, "0");
}
