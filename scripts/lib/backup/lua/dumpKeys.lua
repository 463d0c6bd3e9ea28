#!lua flags=no-writes,allow-cross-slot-keys
--[[
Dumps keys for a backup, all in one atomic step (see scripts/lib/backup/snapshot.ts).
KEYS[1..n]  the keys to dump (any slots this node serves; nothing is written, so it also runs
            on a replica)
Returns     { server time (ms), then per key: PTTL (-2 when the key is gone), DUMP payload or false }
]]
local t = redis.call('TIME')
local out = { tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) }
for i = 1, #KEYS do
  local payload = redis.call('DUMP', KEYS[i])
  if payload then
    out[#out + 1] = redis.call('PTTL', KEYS[i])
    out[#out + 1] = payload
  else
    out[#out + 1] = -2
    out[#out + 1] = false
  end
end
return out
