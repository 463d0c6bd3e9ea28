-- saveTeam: writes one team into the registry unless another team already has its call sign,
-- atomically, so two managers creating or renaming teams at once cannot both take one call sign.
-- Creating (mode 'create') is idempotent: the same team sent again (a retry) answers 'same'.
--
-- KEYS[1] teams  hash  team id → JSON Team
--
-- ARGV[1] mode: 'create' (refused when the id exists with other content) or 'replace'
-- ARGV[2] team id; '' on create: the next free TMnnn is taken
-- ARGV[3] the team's JSON without its id: '{"callSign":…}' (the id is put first)
-- ARGV[4] its call sign, trimmed and lower-cased, to compare with the others'
--
-- Returns {'ok', id, json} written; {'same', id, json} a create retried with the same content;
-- {'id_taken', id} another team has that id (create); {'call_sign_taken', otherId}.

local mode, id, rest, callSign = ARGV[1], ARGV[2], ARGV[3], ARGV[4]

if id == '' then
  local highest = 0
  for _, existing in ipairs(redis.call('HKEYS', KEYS[1])) do
    local n = tonumber(string.match(existing, '^TM(%d+)$'))
    if n and n > highest then highest = n end
  end
  id = string.format('TM%03d', highest + 1)
end

local json = '{"id":' .. cjson.encode(id) .. ',' .. string.sub(rest, 2)

local current = redis.call('HGET', KEYS[1], id)
if mode == 'create' and current then
  if current == json then return {'same', id, json} end
  return {'id_taken', id}
end

local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i] ~= id then
    local ok, team = pcall(cjson.decode, all[i + 1])
    if ok and type(team.callSign) == 'string' then
      local other = string.lower((string.gsub(team.callSign, '^%s*(.-)%s*$', '%1')))
      if other == callSign then return {'call_sign_taken', all[i]} end
    end
  end
end

redis.call('HSET', KEYS[1], id, json)
return {'ok', id, json}
