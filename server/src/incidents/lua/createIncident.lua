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
-- ARGV[1] client key ("<scope>:<client id>")
-- ARGV[2] reference number
-- ARGV[3] the incident's JSON without its id (an object: the id is put first)
-- ARGV[4] createdAt, ms
-- ARGV[5] deadline of its next step, ms ('' none)
--
-- Returns {'exists', JSON} | {'ref_taken', ''} | {'ok', JSON}.
--- @include "includes/setDue"

local existing = redis.call('HGET', KEYS[7], ARGV[1])
if existing then
  local j = redis.call('HGET', KEYS[1], existing)
  if j then return { 'exists', j } end
end
if redis.call('HEXISTS', KEYS[6], ARGV[2]) == 1 then return { 'ref_taken', '' } end
local id = tostring(redis.call('INCR', KEYS[2]))
local json = '{"id":"' .. id .. '",' .. string.sub(ARGV[3], 2)
redis.call('HSET', KEYS[1], id, json)
redis.call('ZADD', KEYS[3], ARGV[4], id)
redis.call('SADD', KEYS[4], id)
setDue(KEYS[5], id, ARGV[5])
redis.call('HSET', KEYS[6], ARGV[2], id)
redis.call('HSET', KEYS[7], ARGV[1], id)
return { 'ok', json }
