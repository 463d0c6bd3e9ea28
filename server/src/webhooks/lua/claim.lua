-- Claims webhook deliveries that are due, so one process sends each: moves each claimed one's
-- score to now + lease (should the process die while sending, another claims it after the lease).
--
-- KEYS[1]  webhooks:due         zset  delivery id → when its next attempt is due
-- KEYS[2]  webhooks:deliveries  hash  delivery id → JSON pending delivery
-- ARGV[1]  now, ms
-- ARGV[2]  lease, ms
-- ARGV[3]  at most this many
-- Returns the claimed deliveries' JSON.
local now, lease, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
local out = {}
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[2], id)
  if json then
    redis.call('ZADD', KEYS[1], now + lease, id)
    out[#out + 1] = json
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
