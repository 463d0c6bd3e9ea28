-- cancel: marks a major event cancelled (once) and notes it on its timeline.
--
-- KEYS[1] ev                 hash    event id → JSON event
-- KEYS[2] ev:log:<eventId>   stream  the event's timeline
--
-- ARGV[1] event id
-- ARGV[2] now, ms
-- ARGV[3] who cancelled it (username)
--
-- Returns {status, JSON event}: 'ok' (cancelled now), 'same' (it already was), 'missing' ('').

local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then return {'missing', ''} end
local event = cjson.decode(json)
if event.cancelled and event.cancelled ~= cjson.null then return {'same', json} end
event.cancelled = { by = ARGV[3], at = tonumber(ARGV[2]) }
local out = cjson.encode(event)
redis.call('HSET', KEYS[1], ARGV[1], out)
redis.call('XADD', KEYS[2], '*', 'k', 'cancelled', 'by', ARGV[3], 't', ARGV[2])
return {'ok', out}
