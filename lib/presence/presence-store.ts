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

/** A user whose status differs from the one last announced. */
export interface PresenceChange {
  userId: string;
  status: PresenceStatus;
}

/** What one claim took: how many users it claimed, and those of them with a change to announce. */
export interface ReviewClaim {
  claimed: number;
  changes: PresenceChange[];
}

/**
 * Where presence lives: Redis when several nodes share it, memory for a single node. One
 * entry per connection with an expiry (a node that dies stops refreshing its entries and
 * they lapse), the user's chosen status, the last status announced, and a review queue.
 *
 * Announcing is resumable by any node: whatever may change a status (a sweep emptying a
 * user, a connection opening, a chosen status) queues the user for review in the same
 * store operation; a node claims queued users under a lease, announces their changes and
 * only then records them as announced. A node that dies in between leaves its claims to
 * lapse, and the next claimer announces them. Every implementation passes
 * `test/contract/presence-store.contract.test.ts`.
 */
export interface PresenceStore {
  /**
   * Adds or refreshes connection entries to expire at `expiresAt`; sets last_seen to `now`.
   * Returns the users one of whose entries was not there (a new connection, or one the
   * store lost: swept while its node stalled, or a Redis that restarted empty).
   */
  touch(connections: ConnectionRef[], expiresAt: number, now: number): Promise<string[]>;
  /**
   * Removes up to `limit` entries expired at `now` and, in the same step, queues every user
   * left with none for review; returns how many entries it removed.
   */
  sweepExpired(now: number, limit: number): Promise<number>;
  /** A chosen status, kept until changed; null returns to plain `online`. */
  setChosen(userId: string, status: Exclude<PresenceStatus, "online"> | null): Promise<void>;
  read(userIds: string[], now: number): Promise<PresenceRecord[]>;
  /**
   * Claims users due for review until `leaseUntil`, so that no other node reviews them
   * meanwhile: up to `limit` of the queue, or, when `userIds` is given, those users (queued
   * first when they were not). A claimed user whose status is the one announced leaves the
   * queue at once; the others come back as changes, to announce and then `recordAnnounced`.
   */
  claimReviews(
    now: number,
    leaseUntil: number,
    limit: number,
    userIds?: string[],
  ): Promise<ReviewClaim>;
  /**
   * Records the changes as announced and takes their users off the queue, or makes them due
   * again at once when their status moved since the claim.
   */
  recordAnnounced(changes: PresenceChange[], now: number): Promise<void>;
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
