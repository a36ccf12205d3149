/**
 * The Lua scripts of RedisPresenceStore. Each runs atomically, so no node can stop between
 * two of its steps. Keys are built from the prefix passed as an argument (one Redis, not a
 * cluster). Layout under `<prefix>`: `expiry` (zset "user/connection" → expiry ms),
 * `conns:<user>` (zset connection → expiry ms), `user:<user>` (hash announced, last_seen;
 * expires after the record retention), `chosen:<user>` (string), `online` (zset of users
 * announced as not offline, paged by id) and `review` (zset user → ms from when it may be
 * claimed: now when queued, the lease's end while a node announces it).
 */

// The status a user shows now, and the one last announced.
const STATUS_FUNCTIONS = `
local function status_of(prefix, user, now)
  local live = redis.call('ZCOUNT', prefix .. 'conns:' .. user, '(' .. now, '+inf')
  if live == 0 then return 'offline' end
  return redis.call('GET', prefix .. 'chosen:' .. user) or 'online'
end
local function announced_of(prefix, user)
  return redis.call('HGET', prefix .. 'user:' .. user, 'announced') or 'offline'
end`;

/**
 * KEYS: expiry, review. ARGV: now, prefix, limit. Removes up to `limit` expired entries and
 * queues the users left without one (keeping the place and lease of one already queued).
 */
export const SWEEP_SCRIPT = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  local sep = string.find(member, '/', 1, true)
  local user = string.sub(member, 1, sep - 1)
  local key = ARGV[2] .. 'conns:' .. user
  redis.call('ZREM', key, string.sub(member, sep + 1))
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
  if redis.call('EXISTS', key) == 0 then redis.call('ZADD', KEYS[2], 'NX', ARGV[1], user) end
end
return #expired`;

/**
 * KEYS: review. ARGV: now, leaseUntil, limit, prefix, users... Claims the given users (queued
 * first if they were not) or up to `limit` of the queue, when due; returns
 * {claimed, {user, status, ...}} for those whose status differs from the one announced.
 */
export const CLAIM_SCRIPT = `${STATUS_FUNCTIONS}
local now, prefix = ARGV[1], ARGV[4]
local users = {}
if #ARGV > 4 then
  for i = 5, #ARGV do
    redis.call('ZADD', KEYS[1], 'NX', now, ARGV[i])
    if tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i])) <= tonumber(now) then
      users[#users + 1] = ARGV[i]
    end
  end
else
  users = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
end
local changes = {}
for _, user in ipairs(users) do
  local status = status_of(prefix, user, now)
  if status == announced_of(prefix, user) then
    redis.call('ZREM', KEYS[1], user)
  else
    redis.call('ZADD', KEYS[1], ARGV[2], user)
    changes[#changes + 1] = user
    changes[#changes + 1] = status
  end
end
return {#users, changes}`;

/**
 * KEYS: review, online. ARGV: now, prefix, retentionMs, user, status, ... Records each status
 * as announced; the user leaves the queue, or is due again at once if its status moved.
 */
export const RECORD_SCRIPT = `${STATUS_FUNCTIONS}
local now, prefix = ARGV[1], ARGV[2]
for i = 4, #ARGV, 2 do
  local user, status = ARGV[i], ARGV[i + 1]
  local hash = prefix .. 'user:' .. user
  redis.call('HSET', hash, 'announced', status)
  redis.call('PEXPIRE', hash, ARGV[3])
  if status == 'offline' then
    redis.call('ZREM', KEYS[2], user)
  else
    redis.call('ZADD', KEYS[2], 0, user)
  end
  if status_of(prefix, user, now) == status then
    redis.call('ZREM', KEYS[1], user)
  else
    redis.call('ZADD', KEYS[1], now, user)
  end
end
return 0`;
