/**
 * Lua run inside Redis, so routing is atomic and one order holds for every node.
 *
 * Keys under the bus prefix: `u:<user>` the nodes with a connection of the user,
 * `nodes` every node (for node-wide events, audience `*`),
 * `nu:<node>` the users of a node, `through` the last log position routed, `pending`
 * batches numbered past `through` (their predecessor not routed yet), `last` per node the
 * last position routed to it, published with each batch as its `prev` so a node can tell
 * a lost batch from silence. Channels: `n:<node>` stored events, `e:<node>` ephemeral.
 *
 * A batch is routed only when every position before it has been (positions are numbered
 * under one lock, but published by many nodes in any order): each node then receives its
 * events in position order. A batch that gets ahead waits in `pending` for its
 * predecessor; a predecessor that never comes (its node died, Redis dropped it) is read
 * from the database by the bus's healer.
 */
export const ROUTE_SCRIPT = `
local prefix = ARGV[1]
local through_key = prefix .. 'through'
local pending_key = prefix .. 'pending'
local last_key = prefix .. 'last'

local function route(args)
  local q = tonumber(args[2])
  local n = tonumber(args[3])
  local lists, order = {}, {}
  for i = 0, n - 1 do
    local json = args[5 + i * 2]
    local seen = {}
    local audience = args[4 + i * 2]
    local sets = {}
    if audience == '*' then
      sets[1] = prefix .. 'nodes'
    else
      for user in string.gmatch(audience, '[^,]+') do sets[#sets + 1] = prefix .. 'u:' .. user end
    end
    for _, set in ipairs(sets) do
      for _, node in ipairs(redis.call('SMEMBERS', set)) do
        if not seen[node] then
          seen[node] = true
          local list = lists[node]
          if not list then
            list = {}
            lists[node] = list
            order[#order + 1] = node
          end
          list[#list + 1] = json
        end
      end
    end
  end
  for _, node in ipairs(order) do
    local prev = redis.call('HGET', last_key, node) or 'null'
    redis.call('HSET', last_key, node, q)
    redis.call('PUBLISH', prefix .. 'n:' .. node,
      '{"prev":' .. prev .. ',"through":' .. q .. ',"events":[' .. table.concat(lists[node], ',') .. ']}')
  end
  return q
end

local function drain_pending(through)
  while redis.call('HLEN', pending_key) > 0 do
    local found = nil
    for _, key in ipairs(redis.call('HKEYS', pending_key)) do
      if tonumber(key) <= through + 1 then found = key break end
    end
    if not found then break end
    local args = cjson.decode(redis.call('HGET', pending_key, found))
    redis.call('HDEL', pending_key, found)
    if tonumber(args[2]) > through then through = route(args) end
  end
  redis.call('SET', through_key, through)
  return through
end

local stored = redis.call('GET', through_key)
if ARGV[2] == 'advance' then
  local to = tonumber(ARGV[3])
  if stored and tonumber(stored) > to then to = tonumber(stored) end
  -- The advancing node delivered what it numbered alone by itself; a node that joined
  -- meanwhile heard none of it. Each other node is told routing reached 'to' (an empty
  -- batch whose prev is 'to'), so one whose position is behind reads the rest from the log.
  for _, node in ipairs(redis.call('SMEMBERS', prefix .. 'nodes')) do
    if node ~= ARGV[4] and tonumber(redis.call('HGET', last_key, node) or '0') < to then
      redis.call('HSET', last_key, node, to)
      redis.call('PUBLISH', prefix .. 'n:' .. node,
        '{"prev":' .. to .. ',"through":' .. to .. ',"events":[]}')
    end
  end
  return drain_pending(to)
end
if ARGV[2] == 'start' then
  -- A starting node has read the log's head: its first batch follows on from what is routed.
  redis.call('HSETNX', last_key, ARGV[4], stored or ARGV[3])
  redis.call('SADD', prefix .. 'nodes', ARGV[4])
  return 0
end

local args = {}
for i = 3, #ARGV do args[#args + 1] = ARGV[i] end
local p, q = tonumber(args[1]), tonumber(args[2])
local through = stored and tonumber(stored) or p - 1
if q <= through then return through end
if p - 1 > through then
  redis.call('HSET', pending_key, p, cjson.encode(args))
  return through
end
return drain_pending(route(args))
`;

/** ARGV: prefix, this node, users (comma-separated), payload. */
export const EPHEMERAL_SCRIPT = `
local prefix = ARGV[1]
local seen = { [ARGV[2]] = true }
for user in string.gmatch(ARGV[3], '[^,]+') do
  for _, node in ipairs(redis.call('SMEMBERS', prefix .. 'u:' .. user)) do
    if not seen[node] then
      seen[node] = true
      redis.call('PUBLISH', prefix .. 'e:' .. node, ARGV[4])
    end
  end
end
return 0
`;

/** ARGV: prefix, node, user. Returns how far the log is routed (every later event of the
 * user reaches the node). */
export const JOIN_SCRIPT = `
redis.call('SADD', ARGV[1] .. 'u:' .. ARGV[3], ARGV[2])
redis.call('SADD', ARGV[1] .. 'nu:' .. ARGV[2], ARGV[3])
return redis.call('GET', ARGV[1] .. 'through')
`;

/** ARGV: prefix, node, user. */
export const LEAVE_SCRIPT = `
redis.call('SREM', ARGV[1] .. 'u:' .. ARGV[3], ARGV[2])
redis.call('SREM', ARGV[1] .. 'nu:' .. ARGV[2], ARGV[3])
return 0
`;

/** ARGV: prefix, node. Takes a node out of the directory (it is stopping). */
export const FORGET_NODE_SCRIPT = `
local users = redis.call('SMEMBERS', ARGV[1] .. 'nu:' .. ARGV[2])
for _, user in ipairs(users) do redis.call('SREM', ARGV[1] .. 'u:' .. user, ARGV[2]) end
redis.call('DEL', ARGV[1] .. 'nu:' .. ARGV[2])
redis.call('HDEL', ARGV[1] .. 'last', ARGV[2])
redis.call('SREM', ARGV[1] .. 'nodes', ARGV[2])
return #users
`;
