-- createIncident: stores a new incident under the next id, unless the client key already names
-- one (a retried create: answers that one) or the reference number is taken (the caller draws
-- another).
--
-- KEYS[1] inc         hash    incident id → JSON
-- KEYS[2] inc:seq     string  counter for incident ids
-- KEYS[3] inc:time    zset    incident id → createdAt
-- KEYS[4] inc:open    set     ids of incidents not resolved
-- KEYS[5] inc:due     zset    incident id → deadline of its next step
-- KEYS[6] inc:ref     hash    reference number → incident id
-- KEYS[7] inc:client  hash    "<scope>:<client id>" → incident id
--
-- ARGV[1] key prefix (the report's day and month hashes are named from the day)
-- ARGV[2] client key ("<scope>:<client id>")
-- ARGV[3] reference number
-- ARGV[4] the incident's JSON without its id (an object: the id is put first)
-- ARGV[5] createdAt, ms
-- ARGV[6] deadline of its next step, ms ('' none)
-- ARGV[7] the report's tally of the new incident (redis/lua/tally.lua; '' none): counted only if stored
--
-- Returns {'exists', JSON} | {'ref_taken', ''} | {'ok', JSON}.
--- @include "keys"
--- @include "includes/setDue"
--- @include "tally"

local existing = redis.call('HGET', KEYS[7], ARGV[2])
if existing then
  local j = redis.call('HGET', KEYS[1], existing)
  if j then return { 'exists', j } end
end
if redis.call('HEXISTS', KEYS[6], ARGV[3]) == 1 then return { 'ref_taken', '' } end
local id = tostring(redis.call('INCR', KEYS[2]))
local json = '{"id":"' .. id .. '",' .. string.sub(ARGV[4], 2)
redis.call('HSET', KEYS[1], id, json)
redis.call('ZADD', KEYS[3], ARGV[5], id)
redis.call('SADD', KEYS[4], id)
setDue(KEYS[5], id, ARGV[6])
redis.call('HSET', KEYS[6], ARGV[3], id)
redis.call('HSET', KEYS[7], ARGV[2], id)
tally(ARGV[7])
return { 'ok', json }
