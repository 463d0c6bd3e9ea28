-- The bench's floor for raising alerts: what Redis alone needs to raise n bare alerts in one
-- script (4 writes each: the alert, the open index, the subject index, the location's state),
-- nothing computed.
--
-- KEYS[1]  bench hash    alert id → JSON
-- KEYS[2]  bench zset    alert id → order raised
-- KEYS[3]  bench hash    "uncovered:<location id>" → alert id
-- KEYS[4]  bench hash    location id → state
-- KEYS[5]  bench string  counter for alert ids
-- ARGV[1]  n: alerts that follow
-- ARGV[2..] n × (location id, alert JSON)
-- Returns n.
local n = tonumber(ARGV[1])
for i = 1, n do
  local b = 2 + (i - 1) * 2
  local id = tostring(redis.call('INCR', KEYS[5]))
  redis.call('HSET', KEYS[1], id, ARGV[b + 1])
  redis.call('ZADD', KEYS[2], i, id)
  redis.call('HSET', KEYS[3], 'uncovered:' .. ARGV[b], id)
  redis.call('HSET', KEYS[4], ARGV[b], 'uncovered')
end
return n
