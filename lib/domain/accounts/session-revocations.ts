import type { TokenClaims } from "../../auth/tokens";
import type { SequencedEvent } from "../../events/event-types";

/** A user's token policy as stored: the time before which tokens are refused, or deleted. */
export interface TokenPolicyRow {
  id: string;
  tokens_valid_after: Date | null;
  deleted_at: Date | null;
}

/** When a token was issued, in ms: `iat_ms` when it agrees with `iat`, else the start of `iat`'s second. */
export function issuedAtMs(claims: Pick<TokenClaims, "iat" | "iat_ms">): number {
  const { iat, iat_ms: ms } = claims;
  if (typeof ms === "number" && typeof iat === "number" && Math.floor(ms / 1000) === iat) return ms;
  // A token without `iat` counts as older than any sign-out.
  return typeof iat === "number" ? iat * 1000 : -Infinity;
}

/**
 * This node's view of every user's "tokens valid after" time (sign out everywhere, password
 * change) and of deleted accounts (no token ever again), so checking a token costs a map
 * lookup, no query. Loaded at start and kept current by `user.sessions_revoked` and
 * `user.deleted`, which reach every node in log order, and at once on the node that made
 * the change (the same pattern as SuspendedUsers).
 */
export class SessionRevocations {
  private readonly validAfter = new Map<string, number>();
  private touched: Set<string> | null = null;

  /** Whether a token with these claims of `userId` is refused. */
  refuses(userId: string, claims: Pick<TokenClaims, "iat" | "iat_ms">): boolean {
    const after = this.validAfter.get(userId);
    return after !== undefined && issuedAtMs(claims) < after;
  }

  isDeleted(userId: string): boolean {
    return this.validAfter.get(userId) === Infinity;
  }

  /** Tokens of `userId` issued before `afterMs` (Infinity: all, the account is deleted) are refused. */
  set(userId: string, afterMs: number): void {
    this.touched?.add(userId);
    this.validAfter.set(userId, Math.max(this.validAfter.get(userId) ?? -Infinity, afterMs));
  }

  /** Start after the realtime hub follows the log, so no change falls between the two. */
  async load(read: () => Promise<TokenPolicyRow[]>): Promise<void> {
    this.touched = new Set();
    try {
      for (const row of await read()) {
        if (this.touched.has(row.id)) continue;
        this.validAfter.set(
          row.id,
          row.deleted_at ? Infinity : new Date(row.tokens_valid_after!).getTime(),
        );
      }
    } finally {
      this.touched = null;
    }
  }

  /** The hub's observer. */
  observe(event: SequencedEvent): void {
    if (event.type !== "user.sessions_revoked" && event.type !== "user.deleted") return;
    const data = event.frame.data as { user_id?: string; tokens_valid_after?: string } | undefined;
    if (!data?.user_id) return;
    this.set(
      data.user_id,
      event.type === "user.deleted" ? Infinity : Date.parse(data.tokens_valid_after ?? ""),
    );
  }
}
