-- createAssignment: writes a patrol assignment (排班) unless its id exists or the team already
-- has a shift overlapping it; the check and the write are one, so two coordinators on two
-- server processes can never give one team overlapping shifts.
--
-- KEYS[1] assign                 hash    assignment id → JSON Assignment
-- KEYS[2] assign:start           zset    assignment id → shift start
-- KEYS[3] assign:team:<teamId>   zset    assignment id → shift start, of the assignment's team
-- KEYS[4] assign:version         string  bumped by every write
--
-- ARGV[1] assignment id
-- ARGV[2] its JSON
-- ARGV[3] shift start, ms
-- ARGV[4] shift end, ms
-- ARGV[5] the longest shift, ms (how far back a start may lie and the shift still overlap)
--
-- Returns {'exists', stored JSON} | {'overlap', the other shift's JSON} | {'ok', JSON}.

local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then return { 'exists', stored } end
local from, to = tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. string.format('%d', from - tonumber(ARGV[5])), '(' .. ARGV[4])
for _, id in ipairs(ids) do
  local other = redis.call('HGET', KEYS[1], id)
  if other then
    local o = cjson.decode(other)
    if o.to > from and o.from < to then return { 'overlap', other } end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('INCR', KEYS[4])
return { 'ok', ARGV[2] }
