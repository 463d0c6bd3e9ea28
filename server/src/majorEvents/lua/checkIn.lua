-- checkIn: a team checks in at a major event's post under a client-generated id, unless the id
-- is taken (a retry): then it answers what is stored and writes nothing, so a check-in sent to
-- two processes counts once.
--
-- KEYS[1] ev:ci:<eventId>:<id>  string  the check-in under its client id (PX)
-- KEYS[2] ev:last:<eventId>     hash    team id → "<postId>\t<time>" of its latest check-in
-- KEYS[3] ev:log:<eventId>      stream  the event's timeline
--
-- ARGV[1] the record "<teamId>\t<postId>\t<time>\t<by>"
-- ARGV[2] how long the id is kept, ms
-- ARGV[3] team id
-- ARGV[4] post id
-- ARGV[5] time, ms
-- ARGV[6] by (username)
--
-- Returns {'1', record} when recorded, {'0', stored record} when the id was taken.
--- @include "xaddAt"

local existing = redis.call('GET', KEYS[1])
if existing then return {'0', existing} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local t = tonumber(ARGV[5])
local last = redis.call('HGET', KEYS[2], ARGV[3])
if not last or tonumber(string.match(last, '\t(%d+)$')) <= t then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4] .. '\t' .. ARGV[5])
end
xaddAt(KEYS[3], t, '0', 'k', 'checkin', 'p', ARGV[4], 'tm', ARGV[3], 'by', ARGV[6], 't', ARGV[5])
return {'1', ARGV[1]}
