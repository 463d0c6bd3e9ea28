-- dropIncidentDue: takes an incident out of the due set if it is still due at this deadline
-- (a late alert was raised for it); a newer deadline written meanwhile stays.
--
-- KEYS[1] inc:due  zset  incident id → deadline of its next step
--
-- ARGV[1] incident id
-- ARGV[2] the deadline the late alert was raised for, ms
--
-- Returns 1 when removed, 0 when the deadline had changed (or it was gone).

local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 1
end
return 0
