-- removeAssignment: deletes a patrol assignment and its index entries.
--
-- KEYS[1] assign                 hash    assignment id → JSON Assignment
-- KEYS[2] assign:start           zset    assignment id → shift start
-- KEYS[3] assign:team:<teamId>   zset    assignment id → shift start, of the assignment's team
-- KEYS[4] assign:version         string  bumped by every write
--
-- ARGV[1] assignment id
--
-- Returns {'missing', ''} | {'ok', the removed JSON}.

local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return { 'missing', '' } end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return { 'ok', stored }
