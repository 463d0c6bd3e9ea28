-- bulkAssignments: writes a batch of patrol assignments (排班, e.g. a holiday's shifts for many
-- teams) all or nothing. Shifts whose id exists already (a retry of the same batch) are left as
-- they are; if any other shift overlaps one of its team's stored shifts, nothing is written and
-- every such conflict is answered. One script, so no other write can come between the check and
-- the writes. The caller has made sure the batch's own shifts do not overlap one another.
--
-- KEYS[1]     assign                 hash    assignment id → JSON Assignment
-- KEYS[2]     assign:start           zset    assignment id → shift start
-- KEYS[3]     assign:version         string  bumped by every write
-- KEYS[4…]    assign:team:<teamId>   zset    assignment id → shift start, one per team of the batch
--
-- ARGV[1]     the longest shift, ms
-- ARGV[2]     how many shifts follow (n)
-- then per shift, five values: id, team key index (4…), start ms, end ms, JSON
--
-- Returns {'conflicts', JSON [[shift index (1-based), the other shift's JSON], …]}
--       | {'ok', created count, JSON array of the existing ids}.

local maxShift = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local conflicts = {}
local fresh = {}
local existing = {}
for i = 1, n do
  local base = 2 + (i - 1) * 5
  local id, teamKey = ARGV[base + 1], KEYS[tonumber(ARGV[base + 2])]
  local from, to = tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
  if redis.call('HEXISTS', KEYS[1], id) == 1 then
    existing[#existing + 1] = id
  else
    fresh[#fresh + 1] = base
    local ids = redis.call('ZRANGEBYSCORE', teamKey, '(' .. string.format('%d', from - maxShift), '(' .. ARGV[base + 4])
    for _, other in ipairs(ids) do
      local json = redis.call('HGET', KEYS[1], other)
      if json then
        local o = cjson.decode(json)
        if o.to > from and o.from < to then
          conflicts[#conflicts + 1] = { i, json }
          break
        end
      end
    end
  end
end
if #conflicts > 0 then return { 'conflicts', cjson.encode(conflicts) } end
for _, base in ipairs(fresh) do
  local id, teamKey = ARGV[base + 1], KEYS[tonumber(ARGV[base + 2])]
  redis.call('HSET', KEYS[1], id, ARGV[base + 5])
  redis.call('ZADD', KEYS[2], ARGV[base + 3], id)
  redis.call('ZADD', teamKey, ARGV[base + 3], id)
end
if #fresh > 0 then redis.call('INCR', KEYS[3]) end
return { 'ok', #fresh, cjson.encode(existing) }
