-- Lint of Lianfang's Redis scripts (run on each script with its includes spliced in, by
-- tests/unit/server/lua-lint.test.ts). Redis's Lua 5.1 sandbox and its globals.
std = 'lua51'
read_globals = { 'redis', 'KEYS', 'ARGV', 'cjson', 'cmsgpack', 'bit', 'struct' }
max_line_length = false
