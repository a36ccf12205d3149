import type { PresenceStatus } from "../domain/types";
import { ConnectionRef, effectiveStatus, PresenceRecord, PresenceStore } from "./presence-store";

interface UserState {
  connections: Map<string, number>;
  chosen: PresenceStatus | null;
  announced: PresenceStatus;
  lastSeenAt: number | null;
}

/** Presence for a single node (no Redis configured): the same rules, in this process. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly users = new Map<string, UserState>();

  private state(userId: string): UserState {
    let state = this.users.get(userId);
    if (!state) {
      state = { connections: new Map(), chosen: null, announced: "offline", lastSeenAt: null };
      this.users.set(userId, state);
    }
    return state;
  }

  private live(state: UserState, now: number): number {
    let count = 0;
    for (const expiresAt of state.connections.values()) if (expiresAt > now) count += 1;
    return count;
  }

  async touch(connections: ConnectionRef[], expiresAt: number, now: number): Promise<void> {
    for (const { userId, connectionId } of connections) {
      const state = this.state(userId);
      state.connections.set(connectionId, expiresAt);
      state.lastSeenAt = now;
    }
  }

  async sweepExpired(now: number): Promise<string[]> {
    const emptied: string[] = [];
    for (const [userId, state] of this.users) {
      let removed = false;
      for (const [connectionId, expiresAt] of state.connections) {
        if (expiresAt <= now) {
          state.connections.delete(connectionId);
          removed = true;
        }
      }
      if (removed && state.connections.size === 0) emptied.push(userId);
    }
    return emptied;
  }

  async setChosen(userId: string, status: PresenceStatus | null): Promise<void> {
    this.state(userId).chosen = status;
  }

  async read(userIds: string[], now: number): Promise<PresenceRecord[]> {
    return userIds.map((userId) => {
      const state = this.users.get(userId);
      return {
        userId,
        status: state ? effectiveStatus(this.live(state, now), state.chosen) : "offline",
        lastSeenAt: state?.lastSeenAt ?? null,
      };
    });
  }

  async reconcile(userId: string, now: number): Promise<PresenceStatus | null> {
    const state = this.state(userId);
    const status = effectiveStatus(this.live(state, now), state.chosen);
    if (status === state.announced) return null;
    state.announced = status;
    return status;
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
