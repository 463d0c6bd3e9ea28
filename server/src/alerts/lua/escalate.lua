-- Escalates to level 2 the raised alerts nobody acknowledged in time, and forgets resolved
-- alerts past the retention (at most 1,000 per call).
--
-- KEYS[1..7]  the prelude's alert keys
-- ARGV[1..4]  the prelude's: key prefix, now, escalate-after, log MINID
-- ARGV[5]     limit: the most alerts to escalate
-- ARGV[6]     forget-before, epoch ms: resolved alerts closed before it are deleted
-- Returns finish(status): 'more' (limit reached: call again) | 'ok'.
--- @include "includes/prelude"

local limit = tonumber(ARGV[5])
local due = redis.call('ZRANGEBYSCORE', K_ESC, '-inf', NOWS, 'LIMIT', 0, limit)
for _, id in ipairs(due) do
  escalate(id)
  zrem(K_ESC, id)
end
local old = redis.call('ZRANGEBYSCORE', K_CLOSED, '-inf', '(' .. ARGV[6], 'LIMIT', 0, 1000)
if #old > 0 then
  redis.call('HDEL', K_ALERTS, unpack(old))
  redis.call('ZREM', K_CLOSED, unpack(old))
end
return finish(#due == limit and 'more' or 'ok')
