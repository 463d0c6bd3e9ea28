-- forgetIncidents: deletes incidents resolved before a time, with every index entry, at most
-- ARGV[2] a call (the caller repeats while a call finds that many).
--
-- KEYS[1] inc         hash  incident id → JSON
-- KEYS[2] inc:time    zset  incident id → createdAt
-- KEYS[3] inc:open    set   ids of incidents not resolved
-- KEYS[4] inc:closed  zset  incident id → resolvedAt
-- KEYS[5] inc:due     zset  incident id → deadline of its next step
-- KEYS[6] inc:ref     hash  reference number → incident id
-- KEYS[7] inc:client  hash  "<scope>:<client id>" → incident id
--
-- ARGV[1] forget incidents resolved before this, ms
-- ARGV[2] the most to forget in this call
--
-- Returns how many were forgotten.

local ids = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  local j = redis.call('HGET', KEYS[1], id)
  if j then
    local d = cjson.decode(j)
    if type(d.reference) == 'string' then redis.call('HDEL', KEYS[6], d.reference) end
    if type(d.clientKey) == 'string' then redis.call('HDEL', KEYS[7], d.clientKey) end
  end
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[4], id)
  redis.call('ZREM', KEYS[5], id)
  redis.call('SREM', KEYS[3], id)
end
return #ids
