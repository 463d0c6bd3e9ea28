/**
 * `npm run admin -- COMMAND`: user administration from the command line, e.g. the first admin.
 *
 *   npm run admin -- create-user --username NAME --role admin [--name 显示名] [--org ORG] [--team TEAM]
 *   npm run admin -- list-users
 *
 * The password comes from LIANFANG_PASSWORD, or is asked for (not echoed), never an argument.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { connectStore } from './lib/store.ts';
import { createAccessStore } from '../server/src/access/store.ts';
import { createAuditLog } from '../server/src/access/audit.ts';
import { createAccessService } from '../server/src/access/service.ts';
import { ROLES, type Role } from '../server/src/access/roles.ts';
import { systemClock } from '../server/src/clock.ts';

const USAGE = `usage:
  npm run admin -- create-user --username NAME --role ${ROLES.join('|')} [--name NAME] [--org ORG_ID] [--team TEAM_ID]
  npm run admin -- list-users
The password is read from LIANFANG_PASSWORD or asked for.`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function askPassword(): Promise<string> {
  if (process.env.LIANFANG_PASSWORD) return process.env.LIANFANG_PASSWORD;
  if (!process.stdin.isTTY) fail('set LIANFANG_PASSWORD (no terminal to ask on)');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  process.stdout.write('password: ');
  out._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

const [command, ...rest] = process.argv.slice(2);
if (command !== 'create-user' && command !== 'list-users') fail(USAGE);
const { values } = parseArgs({
  args: rest,
  options: { username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, org: { type: 'string' }, team: { type: 'string' } },
  strict: true,
});

const { redis, keys, url } = await connectStore();
try {
  const store = createAccessStore(redis, keys);
  if (command === 'list-users') {
    for (const u of await store.listUsers()) console.log([u.username, u.role, u.organisationId ?? '-', u.disabled ? 'disabled' : 'active'].join('\t'));
  } else {
    const { username, role, name, org, team } = values;
    if (!username || !/^[A-Za-z0-9_.@-]{2,64}$/.test(username)) fail('--username: 2–64 letters, digits or _ . @ -');
    if (!role || !ROLES.includes(role as Role)) fail(`--role: one of ${ROLES.join(', ')}`);
    if ((role === 'coordinator' || role === 'patrol') && !org) fail(`--org: a ${role} acts for an organisation`);
    if (role === 'patrol' && !team) fail('--team: a patrol account reports for a team');
    const password = await askPassword();
    if (password.length < 8) fail('password: at least 8 characters');
    const audit = createAuditLog(redis, keys);
    const service = createAccessService({ redis, keys, store, audit, clock: systemClock, sessionTtlSeconds: 3600 });
    const user = await service.createUser({ username, name: name ?? username, role: role as Role, organisationId: org ?? null, teamId: team ?? null, password });
    if (!user) fail(`username ${username} is taken`);
    await audit.record({ at: Date.now(), actor: 'cli', role: 'admin', action: 'user_create', target: user.username, ip: 'cli', detail: { role } });
    console.log(`created ${role} ${user.username} in ${url}`);
  }
} finally {
  await redis.close();
}
