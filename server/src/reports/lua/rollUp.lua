-- rollUp: counts one window of tracks and check-ins (duty, distance, visits) into the report's
-- day and month hashes, if the roll-up cursor is still where the caller read it: of two
-- processes rolling up the same window one counts it, and a process that died before this call
-- left the window to the next.
--
-- KEYS[1] rep:rollup  hash  `at` → cursor (arrival ms), `p:<teamId>` → the team's last fix counted
--
-- ARGV[1] key prefix (the day and month hashes are named from the days in the tally)
-- ARGV[2] the cursor the caller read ('' none)
-- ARGV[3] the new cursor
-- ARGV[4] the tally (redis/lua/tally.lua)
-- ARGV[5..] pairs: team id, its last fix counted (`time,lon,lat`)
--
-- Returns 1 when counted, 0 when another process moved the cursor first (nothing written).
--- @include "keys"
--- @include "tally"

local cur = redis.call('HGET', KEYS[1], 'at') or ''
if cur ~= ARGV[2] then return 0 end
tally(ARGV[4])
redis.call('HSET', KEYS[1], 'at', ARGV[3])
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[1], 'p:' .. ARGV[i], ARGV[i + 1]) end
return 1
