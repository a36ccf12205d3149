import type { PresenceStatus } from "../domain/types";
import { effectiveStatus } from "./presence-store";
import type { ConnectionRef, PresenceChange, PresenceRecord } from "./presence-store";
import type { PresenceStore, ReviewClaim } from "./presence-store";

interface UserState {
  connections: Map<string, number>;
  announced: PresenceStatus;
  lastSeenAt: number | null;
}

/**
 * Presence for a single node (no Redis configured): the same rules, in this process. A
 * user's state is forgotten `retentionMs` after they were last seen with no connection left
 * and nothing to announce; a chosen status is kept until changed.
 */
export class MemoryPresenceStore implements PresenceStore {
  private readonly users = new Map<string, UserState>();
  private readonly chosen = new Map<string, PresenceStatus>();
  /** user → ms from when it may be claimed (see PresenceStore). */
  private readonly review = new Map<string, number>();

  constructor(private readonly retentionMs: number) {}

  private state(userId: string): UserState {
    let state = this.users.get(userId);
    if (!state) {
      state = { connections: new Map(), announced: "offline", lastSeenAt: null };
      this.users.set(userId, state);
    }
    return state;
  }

  private statusOf(userId: string, now: number): PresenceStatus {
    let live = 0;
    for (const expiresAt of this.users.get(userId)?.connections.values() ?? []) {
      if (expiresAt > now) live += 1;
    }
    return effectiveStatus(live, this.chosen.get(userId));
  }

  async touch(connections: ConnectionRef[], expiresAt: number, now: number): Promise<string[]> {
    const missing = new Set<string>();
    for (const { userId, connectionId } of connections) {
      const state = this.state(userId);
      if (!state.connections.has(connectionId)) missing.add(userId);
      state.connections.set(connectionId, expiresAt);
      state.lastSeenAt = now;
    }
    return [...missing];
  }

  async sweepExpired(now: number, limit: number): Promise<number> {
    let removed = 0;
    for (const [userId, state] of this.users) {
      for (const [connectionId, expiresAt] of state.connections) {
        if (removed >= limit) return removed;
        if (expiresAt > now) continue;
        state.connections.delete(connectionId);
        removed += 1;
        if (state.connections.size === 0 && !this.review.has(userId)) this.review.set(userId, now);
      }
      this.forgetIfStale(userId, state, now);
    }
    return removed;
  }

  private forgetIfStale(userId: string, state: UserState, now: number): void {
    const idle = state.connections.size === 0 && state.announced === "offline";
    const old = (state.lastSeenAt ?? 0) + this.retentionMs <= now;
    if (idle && old && !this.review.has(userId)) this.users.delete(userId);
  }

  async setChosen(userId: string, status: PresenceStatus | null): Promise<void> {
    if (status) this.chosen.set(userId, status);
    else this.chosen.delete(userId);
  }

  async read(userIds: string[], now: number): Promise<PresenceRecord[]> {
    return userIds.map((userId) => ({
      userId,
      status: this.statusOf(userId, now),
      lastSeenAt: this.users.get(userId)?.lastSeenAt ?? null,
    }));
  }

  async claimReviews(
    now: number,
    leaseUntil: number,
    limit: number,
    userIds?: string[],
  ): Promise<ReviewClaim> {
    for (const userId of userIds ?? []) if (!this.review.has(userId)) this.review.set(userId, now);
    const due = (userIds ?? [...this.review.keys()]).filter((id) => this.review.get(id)! <= now);
    const users = userIds ? due : due.slice(0, limit);
    const changes: PresenceChange[] = [];
    for (const userId of users) {
      const status = this.statusOf(userId, now);
      if (status === (this.users.get(userId)?.announced ?? "offline")) {
        this.review.delete(userId);
        continue;
      }
      this.review.set(userId, leaseUntil);
      changes.push({ userId, status });
    }
    return { claimed: users.length, changes };
  }

  async recordAnnounced(changes: PresenceChange[], now: number): Promise<void> {
    for (const { userId, status } of changes) {
      this.state(userId).announced = status;
      if (this.statusOf(userId, now) === status) this.review.delete(userId);
      else this.review.set(userId, now);
    }
  }

  async listOnline(afterUserId: string | null, limit: number): Promise<string[]> {
    return [...this.users]
      .filter(
        ([userId, state]) =>
          state.announced !== "offline" && (!afterUserId || userId > afterUserId),
      )
      .map(([userId]) => userId)
      .sort()
      .slice(0, limit);
  }

  async close(): Promise<void> {}
}
