import { forbidden } from "../../errors";

/** What an API key may do (see docs/integrations.md). */
export const SCOPES = ["read", "write", "admin", "webhooks"] as const;
export type Scope = (typeof SCOPES)[number];

/** The API key a request was authenticated with. */
export interface KeyIdentity {
  id: string;
  name: string;
  scopes: Scope[];
  /** The only conversations the key (and its bot) may touch; null: any. */
  conversationIds: string[] | null;
  /** The key's bot, which requests made with the key act as; null before one is created. */
  botUserId: string | null;
}

/**
 * Who is calling: a user by token, or an API key (acting as its bot, if it has one).
 * Every admin action records its principal in the audit log.
 */
export interface Principal {
  /** The user the request acts as: the token's user or the key's bot; null for a key without a bot. */
  userId: string | null;
  key: KeyIdentity | null;
  /** A service admin (by config or grant) calling with a token; a key needs the `admin` scope. */
  isServiceAdmin: boolean;
}

/** The audit log's columns for a principal: the key when there is one, else the user. */
export function actorOf(principal: Principal): { userId: string | null; keyId: string | null } {
  return principal.key
    ? { userId: null, keyId: principal.key.id }
    : { userId: principal.userId, keyId: null };
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.key ? principal.key.scopes.includes(scope) : false;
}

/** Admins: a service admin's token, or a key with the `admin` scope. */
export function assertAdmin(principal: Principal): void {
  if (principal.key ? hasScope(principal, "admin") : principal.isServiceAdmin) return;
  throw forbidden(
    principal.key ? "this API key lacks the admin scope" : "only service admins may do this",
  );
}

/** Whether the key's conversation restriction (if any) lets it touch `conversationId`. */
export function mayTouchConversation(principal: Principal, conversationId: string): boolean {
  const allowed = principal.key?.conversationIds;
  return !allowed || allowed.includes(conversationId);
}
