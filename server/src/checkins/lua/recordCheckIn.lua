-- recordCheckIn: records an explicit or QR check-in under its client-generated id, unless the
-- id is taken (a retry): then answers what is stored under it and writes nothing.
--
-- KEYS[1] checkin:id:<teamId>:<id>   string  the record under the client id (PX retention)
-- KEYS[2] checkins:loc:<locationId>  stream  check-ins at the location
-- KEYS[3] checkins:team:<teamId>     stream  check-ins by the team
--
-- ARGV[1] the record, tab-separated (checkins/record.ts)
-- ARGV[2] retention, ms
-- ARGV[3] min stream id: entries older than the retention are trimmed
-- ARGV[4] now, ms (the stream ids' millisecond)
-- ARGV[5…] the stream entry's field, value pairs
--
-- Returns {'1', record} when recorded, {'0', stored record} when the id was taken.
--- @include "xaddAt"

local now = tonumber(ARGV[4])
local existing = redis.call('GET', KEYS[1])
if existing then return {'0', existing} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local f = {}
for i = 5, #ARGV do f[#f + 1] = ARGV[i] end
xaddAt(KEYS[2], now, ARGV[3], unpack(f))
xaddAt(KEYS[3], now, ARGV[3], unpack(f))
return {'1', ARGV[1]}
