-- Stores a new order and its indexes in one step: the order itself (HSETNX on its client id: of
-- two racing retries one writes), the time index, each recipient team's list, and per team the
-- unread deadline and (go-to orders) the open arrival. Nothing is half written: a retry of an id
-- that exists answers it and writes nothing.
--
-- KEYS[1]  orders         hash  order id → JSON order
-- KEYS[2]  orders:time    zset  order id → sent time
-- KEYS[3]  orders:unread  zset  "<orderId>\t<teamId>" → when it is overdue unless read
-- KEYS[4]  orders:goto    zset  "<orderId>\t<teamId>" → sent time (go-to orders)
-- ARGV[1]  the deployment's key prefix (for the teams' lists)
-- ARGV[2]  order id
-- ARGV[3]  JSON order
-- ARGV[4]  sent time, ms
-- ARGV[5]  unread deadline, ms
-- ARGV[6]  '1' for a go-to order (it has a place), '0' if not
-- ARGV[7]  the report's tally of the order (each team received one; '' none)
-- ARGV[8..] recipient team ids
-- Returns 1 when stored, 0 when the id already existed (nothing written).
--- @include "keys"
--- @include "tally"

local id, at = ARGV[2], tonumber(ARGV[4])
if redis.call('HSETNX', KEYS[1], id, ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], at, id)
tally(ARGV[7])
for i = 8, #ARGV do
  local team = ARGV[i]
  local member = id .. '\t' .. team
  redis.call('ZADD', key.teamOrders(team), at, id)
  redis.call('ZADD', KEYS[3], tonumber(ARGV[5]), member)
  if ARGV[6] == '1' then redis.call('ZADD', KEYS[4], at, member) end
end
return 1
