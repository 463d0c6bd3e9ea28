/**
 * `npm test`: also a valid first command after clone. Installs what is missing (npm
 * dependencies, redis-server, Chromium and a CJK font for the browser tests, mkcert and caddy
 * for the HTTPS ones, xmllint to validate the GPX export), builds the web app, then runs unit,
 * integration and browser tests with vitest. The checks are tests too, so vitest filters pick them like any other: the type check
 * (tsc and svelte-check, tests/unit/typecheck.test.ts), Lua lint, import cycles between server
 * domains and the Redis key table in the docs. Each test file starts its own redis-server on a
 * free port; nothing is left running. Extra args go to vitest.
 */
import { spawnSync } from 'node:child_process';
import { checkNode, ensureNpmDependencies, ensureSystemPackages, ensureWebBuild, root, say } from './lib/setup.mjs';

checkNode();
ensureSystemPackages({ 'redis-server': 'redis-server', 'redis-cli': 'redis-tools', luacheck: 'lua-check', mkcert: 'mkcert', caddy: 'caddy', '/usr/bin/chromium': 'chromium', '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc': 'fonts-noto-cjk', xmllint: 'libxml2-utils' });
ensureNpmDependencies();
ensureWebBuild();
say('running tests …');
const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
