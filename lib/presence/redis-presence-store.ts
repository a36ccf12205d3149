import type { Redis } from "ioredis";
import type { PresenceStatus } from "../domain/types";
import { ConnectionRef, effectiveStatus, PresenceRecord, PresenceStore } from "./presence-store";

// Removes expired entries (a bounded number per call) and names the users left with none.
const SWEEP_SCRIPT = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
local emptied = {}
local seen = {}
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  local sep = string.find(member, '/', 1, true)
  local user = string.sub(member, 1, sep - 1)
  local key = ARGV[2] .. 'conns:' .. user
  redis.call('ZREM', key, string.sub(member, sep + 1))
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  if redis.call('ZCARD', key) == 0 and not seen[user] then
    seen[user] = true
    emptied[#emptied + 1] = user
  end
end
return emptied`;

// The status now versus the one announced; records and returns it when they differ.
const RECONCILE_SCRIPT = `
local live = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[1], '+inf')
local status = 'offline'
if live > 0 then status = redis.call('HGET', KEYS[2], 'chosen') or 'online' end
local announced = redis.call('HGET', KEYS[2], 'announced') or 'offline'
if status == announced then return false end
redis.call('HSET', KEYS[2], 'announced', status)
if status == 'offline' then
  redis.call('ZREM', KEYS[3], ARGV[2])
else
  redis.call('ZADD', KEYS[3], 0, ARGV[2])
end
return status`;

/**
 * Presence shared by every node through Redis. Keys under `<key_prefix>presence:`:
 * `expiry` (zset "user/connection" → expiry ms, what sweepers scan), `conns:<user>` (zset
 * connection → expiry ms), `user:<user>` (hash chosen, announced, last_seen) and `online`
 * (zset of users announced as not offline, for paging by id). The scripts build keys from
 * the prefix, so this expects one Redis (not a cluster).
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.prefix = `${keyPrefix}presence:`;
  }

  private key(...parts: string[]): string {
    return this.prefix + parts.join(":");
  }

  async touch(connections: ConnectionRef[], expiresAt: number, now: number): Promise<void> {
    if (connections.length === 0) return;
    const pipeline = this.redis.pipeline();
    const users = new Set<string>();
    for (const { userId, connectionId } of connections) {
      pipeline.zadd(this.key("expiry"), expiresAt, `${userId}/${connectionId}`);
      pipeline.zadd(this.key("conns", userId), expiresAt, connectionId);
      users.add(userId);
    }
    for (const userId of users) pipeline.hset(this.key("user", userId), "last_seen", now);
    await pipeline.exec();
  }

  async sweepExpired(now: number): Promise<string[]> {
    return (await this.redis.eval(
      SWEEP_SCRIPT,
      1,
      this.key("expiry"),
      now,
      this.prefix,
    )) as string[];
  }

  async setChosen(userId: string, status: PresenceStatus | null): Promise<void> {
    if (status) await this.redis.hset(this.key("user", userId), "chosen", status);
    else await this.redis.hdel(this.key("user", userId), "chosen");
  }

  async read(userIds: string[], now: number): Promise<PresenceRecord[]> {
    if (userIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) {
      pipeline.zcount(this.key("conns", userId), `(${now}`, "+inf");
      pipeline.hmget(this.key("user", userId), "chosen", "last_seen");
    }
    const results = (await pipeline.exec()) ?? [];
    return userIds.map((userId, index) => {
      const [countError, live] = results[index * 2];
      const [hashError, fields] = results[index * 2 + 1];
      if (countError || hashError) throw countError ?? hashError;
      const [chosen, lastSeen] = fields as (string | null)[];
      return {
        userId,
        status: effectiveStatus(Number(live), chosen as PresenceStatus | null),
        lastSeenAt: lastSeen ? Number(lastSeen) : null,
      };
    });
  }

  async reconcile(userId: string, now: number): Promise<PresenceStatus | null> {
    const keys = [this.key("conns", userId), this.key("user", userId), this.key("online")];
    return (await this.redis.eval(
      RECONCILE_SCRIPT,
      3,
      ...keys,
      now,
      userId,
    )) as PresenceStatus | null;
  }

  async listOnline(afterUserId: string | null, limit: number): Promise<string[]> {
    const from = afterUserId ? `(${afterUserId}` : "-";
    return this.redis.zrangebylex(this.key("online"), from, "+", "LIMIT", 0, limit);
  }

  async close(): Promise<void> {}
}
