import type { PresenceStatus } from "../domain/types";

/** One realtime connection of a user, on some node. */
export interface ConnectionRef {
  userId: string;
  connectionId: string;
}

/** A user's presence as the store sees it at a moment. */
export interface PresenceRecord {
  userId: string;
  /** `online` (or the chosen away/busy/offline) while a connection entry lives, else offline. */
  status: PresenceStatus;
  /** Epoch ms of the last open, heartbeat or close of any connection; null if never. */
  lastSeenAt: number | null;
}

/**
 * Where presence lives: Redis when several nodes share it, memory for a single node. One
 * entry per connection with an expiry (a node that dies stops refreshing its entries and
 * they lapse), the user's chosen status, and the last status announced, which the store
 * updates atomically so that exactly one node announces each change.
 *
 * Every implementation passes `test/contract/presence-store.contract.ts`.
 */
export interface PresenceStore {
  /** Adds or refreshes connection entries to expire at `expiresAt`; sets last_seen to `now`. */
  touch(connections: ConnectionRef[], expiresAt: number, now: number): Promise<void>;
  /** Removes entries expired at `now`; returns the users left with no entry (each once). */
  sweepExpired(now: number): Promise<string[]>;
  /** A chosen status, kept until changed; null returns to plain `online`. */
  setChosen(userId: string, status: Exclude<PresenceStatus, "online"> | null): Promise<void>;
  read(userIds: string[], now: number): Promise<PresenceRecord[]>;
  /**
   * Compares the user's status now with the last one announced; when they differ, records
   * and returns the new one (so exactly one caller announces it), else null.
   */
  reconcile(userId: string, now: number): Promise<PresenceStatus | null>;
  /** Users whose announced status is not offline, by id, after `afterUserId`. */
  listOnline(afterUserId: string | null, limit: number): Promise<string[]>;
  close(): Promise<void>;
}

/** The status a user shows: their choice while connected, offline otherwise. */
export function effectiveStatus(
  liveConnections: number,
  chosen: PresenceStatus | null | undefined,
): PresenceStatus {
  return liveConnections > 0 ? (chosen ?? "online") : "offline";
}
