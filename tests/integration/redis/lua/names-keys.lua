-- Test script for the loader: names keys through the generated include.
-- KEYS: none. ARGV[1] key prefix, ARGV[2] a team id. Returns { key.teams, key.teamTrack(team), key.rateLimit(...) }.
--- @include "keys"
--- @include "xaddAt"
--- @include "xaddAt"
local team = ARGV[2]
local id = xaddAt(key.teamTrack(team), 5, '0', 'f', 'v')
return { key.teams, key.teamTrack(team), key.rateLimit('login', team, 7), id }
