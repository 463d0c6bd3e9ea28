-- create: stores a new major event under its client-generated id, its start index and the
-- first line of its timeline, in one step: of two racing retries one writes, the other finds it.
--
-- KEYS[1] ev                 hash    event id → JSON event
-- KEYS[2] ev:start           zset    event id → start
-- KEYS[3] ev:log:<eventId>   stream  the event's timeline
--
-- ARGV[1] event id
-- ARGV[2] JSON event
-- ARGV[3] start, ms
-- ARGV[4] now, ms (the timeline entry's id)
-- ARGV[5] who created it (username)
--
-- Returns 1 when stored, 0 when the id already existed (nothing written).
--- @include "xaddAt"

if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), ARGV[1])
xaddAt(KEYS[3], tonumber(ARGV[4]), '0', 'k', 'created', 'by', ARGV[5], 't', ARGV[4])
return 1
