-- updateAssignment: changes a patrol assignment's times, places or note, unless it has ended or
-- its new times overlap another of the team's shifts; the check and the write are one, so an
-- edit and a create racing on two server processes can never give one team overlapping shifts.
--
-- KEYS[1] assign                 hash    assignment id → JSON Assignment
-- KEYS[2] assign:start           zset    assignment id → shift start
-- KEYS[3] assign:team:<teamId>   zset    assignment id → shift start, of the assignment's team
-- KEYS[4] assign:version         string  bumped by every write
--
-- ARGV[1] assignment id
-- ARGV[2] its new JSON (same team)
-- ARGV[3] new shift start, ms
-- ARGV[4] new shift end, ms
-- ARGV[5] the longest shift, ms
-- ARGV[6] now, ms: a shift that has ended is not edited
-- ARGV[7] the team id the caller read (the stored one must still be that team's)
--
-- Returns {'missing', ''} | {'ended', stored JSON} | {'overlap', the other shift's JSON}
--       | {'ok', the JSON before}.

local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return { 'missing', '' } end
local before = cjson.decode(stored)
if before.teamId ~= ARGV[7] then return { 'missing', '' } end
if before.to <= tonumber(ARGV[6]) then return { 'ended', stored } end
local from, to = tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. string.format('%d', from - tonumber(ARGV[5])), '(' .. ARGV[4])
for _, id in ipairs(ids) do
  if id ~= ARGV[1] then
    local other = redis.call('HGET', KEYS[1], id)
    if other then
      local o = cjson.decode(other)
      if o.to > from and o.from < to then return { 'overlap', other } end
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('INCR', KEYS[4])
return { 'ok', stored }
