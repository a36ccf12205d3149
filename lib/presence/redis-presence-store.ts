import type { Redis } from "ioredis";
import type { PresenceStatus } from "../domain/types";
import {
  ConnectionRef,
  effectiveStatus,
  PresenceChange,
  PresenceRecord,
  PresenceStore,
  ReviewClaim,
} from "./presence-store";
import { CLAIM_SCRIPT, RECORD_SCRIPT, SWEEP_SCRIPT } from "./redis-presence-scripts";

/**
 * Presence shared by every node through Redis, under `<key_prefix>presence:` (the layout is
 * described in redis-presence-scripts.ts). A user's record (last seen, last announced)
 * expires `retentionMs` after its last write, so users who stopped coming leave nothing
 * behind; a chosen status is kept until changed.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly retentionMs: number,
  ) {
    this.prefix = `${keyPrefix}presence:`;
  }

  private key(...parts: string[]): string {
    return this.prefix + parts.join(":");
  }

  async touch(connections: ConnectionRef[], expiresAt: number, now: number): Promise<string[]> {
    if (connections.length === 0) return [];
    const pipeline = this.redis.pipeline();
    const users = new Set<string>();
    for (const { userId, connectionId } of connections) {
      pipeline.zadd(this.key("expiry"), expiresAt, `${userId}/${connectionId}`);
      pipeline.zadd(this.key("conns", userId), expiresAt, connectionId);
      users.add(userId);
    }
    for (const userId of users) {
      pipeline.hset(this.key("user", userId), "last_seen", now);
      pipeline.pexpire(this.key("user", userId), this.retentionMs);
    }
    const results = (await pipeline.exec()) ?? [];
    const missing = new Set<string>();
    connections.forEach(({ userId }, index) => {
      const [error, added] = results[index * 2];
      if (error) throw error;
      if (Number(added) > 0) missing.add(userId);
    });
    return [...missing];
  }

  async sweepExpired(now: number, limit: number): Promise<number> {
    const keys = [this.key("expiry"), this.key("review")];
    return Number(await this.redis.eval(SWEEP_SCRIPT, 2, ...keys, now, this.prefix, limit));
  }

  async setChosen(userId: string, status: PresenceStatus | null): Promise<void> {
    if (status) await this.redis.set(this.key("chosen", userId), status);
    else await this.redis.del(this.key("chosen", userId));
  }

  async read(userIds: string[], now: number): Promise<PresenceRecord[]> {
    if (userIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) {
      pipeline.zcount(this.key("conns", userId), `(${now}`, "+inf");
      pipeline.get(this.key("chosen", userId));
      pipeline.hget(this.key("user", userId), "last_seen");
    }
    const results = (await pipeline.exec()) ?? [];
    return userIds.map((userId, index) => {
      const [[countError, live], [chosenError, chosen], [seenError, lastSeen]] = results.slice(
        index * 3,
        index * 3 + 3,
      );
      const error = countError ?? chosenError ?? seenError;
      if (error) throw error;
      return {
        userId,
        status: effectiveStatus(Number(live), chosen as PresenceStatus | null),
        lastSeenAt: lastSeen ? Number(lastSeen) : null,
      };
    });
  }

  async claimReviews(
    now: number,
    leaseUntil: number,
    limit: number,
    userIds: string[] = [],
  ): Promise<ReviewClaim> {
    const [claimed, flat] = (await this.redis.eval(
      CLAIM_SCRIPT,
      1,
      this.key("review"),
      now,
      leaseUntil,
      limit,
      this.prefix,
      ...userIds,
    )) as [number, string[]];
    const changes: PresenceChange[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      changes.push({ userId: flat[i], status: flat[i + 1] as PresenceStatus });
    }
    return { claimed: Number(claimed), changes };
  }

  async recordAnnounced(changes: PresenceChange[], now: number): Promise<void> {
    if (changes.length === 0) return;
    const pairs = changes.flatMap(({ userId, status }) => [userId, status]);
    const keys = [this.key("review"), this.key("online")];
    await this.redis.eval(RECORD_SCRIPT, 2, ...keys, now, this.prefix, this.retentionMs, ...pairs);
  }

  async listOnline(afterUserId: string | null, limit: number): Promise<string[]> {
    const from = afterUserId ? `(${afterUserId}` : "-";
    return this.redis.zrangebylex(this.key("online"), from, "+", "LIMIT", 0, limit);
  }

  async close(): Promise<void> {}
}
