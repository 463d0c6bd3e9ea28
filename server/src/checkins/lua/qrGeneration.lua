-- qrGeneration: a location's current QR code generation and when it was issued, issuing the
-- next one when asked (a rotation) or when the current one has expired (scheduled rotation).
-- Atomic, so two processes fetching an expired code at once issue one new generation.
--
-- KEYS[1] checkin:qr  hash  `gen:<locationId>` → generation, `at:<locationId>` → issued at (ms)
--
-- ARGV[1] location id
-- ARGV[2] now, ms (app clock)
-- ARGV[3] lifetime of a generation, ms (0: never expires)
-- ARGV[4] mode: 'read' (never issues), 'current' (issues the next when expired), 'rotate'
--         (always issues the next)
--
-- Returns {generation, issuedAt}. A location never issued is at generation 1; a generation with
-- no issue time (issued before times were kept) is stamped now, so its lifetime starts today.

local loc, now, lifetime, mode = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local genField, atField = 'gen:' .. loc, 'at:' .. loc
local found = redis.call('HMGET', KEYS[1], genField, atField)
local gen = tonumber(found[1]) or 1
local at = tonumber(found[2])
local expired = lifetime > 0 and at ~= nil and now >= at + lifetime
if mode == 'rotate' or (mode == 'current' and expired) then
  gen = gen + 1
  at = now
  redis.call('HSET', KEYS[1], genField, gen, atField, at)
elseif at == nil then
  at = now
  redis.call('HSET', KEYS[1], atField, at)
end
return {gen, at}
