#!lua flags=no-writes,allow-cross-slot-keys
--[[
Dumps keys for a backup, all in one atomic step (see scripts/lib/backup/snapshot.ts).
KEYS        none: the keys come in ARGV, because one cluster node's keys span many slots and
            Redis refuses declared keys of different slots even with allow-cross-slot-keys
ARGV[1..n]  the keys to dump, all served by this node (nothing is written, so a replica runs it too)
Returns     { server time (ms), then per key: PTTL (-2 when the key is gone), DUMP payload or false }
]]
local t = redis.call('TIME')
local out = { tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) }
for i = 1, #ARGV do
  local payload = redis.call('DUMP', ARGV[i])
  if payload then
    out[#out + 1] = redis.call('PTTL', ARGV[i])
    out[#out + 1] = payload
  else
    out[#out + 1] = -2
    out[#out + 1] = false
  end
end
return out
