-- The bench's floor for storing states: what Redis alone needs to store n location states in one
-- script, nothing computed (no engine that keeps a state per location can beat it).
--
-- KEYS[1]  bench hash    location id → state
-- KEYS[2]  bench zset    location id → deadline
-- ARGV[1]  n: locations that follow
-- ARGV[2..] n × (location id, state, deadline)
-- Returns n.
local n = tonumber(ARGV[1])
for i = 1, n do
  local b = 2 + (i - 1) * 3
  redis.call('HSET', KEYS[1], ARGV[b], ARGV[b + 1])
  redis.call('ZADD', KEYS[2], ARGV[b + 2], ARGV[b])
end
return n
