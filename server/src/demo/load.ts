/**
 * Loads the generated demo county into an empty store, once, whichever process gets there
 * first (a Redis lock keeps two processes from loading it twice).
 */
import { generateDemoCounty } from '@lianfang/geo';
import type { FastifyBaseLogger } from 'fastify';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { GeographyStore } from '../geography/store.ts';
import type { TeamStore } from '../teams/store.ts';

export interface DemoDeps {
  redis: Redis;
  keys: Keys;
  geography: GeographyStore;
  teams: Pick<TeamStore, 'count' | 'save'>;
  log: FastifyBaseLogger;
}

/** Returns true when this call loaded the demo, false when the store already held data. */
export async function loadDemoIfEmpty(deps: DemoDeps): Promise<boolean> {
  const { redis, keys, log } = deps;
  if ((await deps.geography.version()) > 0 || (await deps.teams.count()) > 0) return false;
  const locked = await redis.set(keys.demoLock, String(process.pid), { NX: true, PX: 60_000 });
  if (locked !== 'OK') return false;
  try {
    const started = performance.now();
    const county = generateDemoCounty();
    const { teams, ...geography } = county;
    await deps.teams.save(teams);
    await deps.geography.replaceAll(geography);
    log.info(
      {
        townships: geography.townships.length,
        grids: geography.grids.length,
        locations: geography.locations.length,
        teams: teams.length,
        ms: Math.round(performance.now() - started),
      },
      'demo county loaded',
    );
    return true;
  } finally {
    await redis.del(keys.demoLock);
  }
}

/** The demo's accounts, one per role that watches or manages the map. */
export const DEMO_ACCOUNTS = [
  { username: 'admin', name: '系统管理员', role: 'admin' },
  { username: 'dispatcher', name: '县局指挥中心值班员', role: 'dispatcher' },
  { username: 'coordinator', name: '保安公司调度员', role: 'coordinator' },
  { username: 'leader', name: '县委政法委领导', role: 'leader' },
] as const;

/** What ensureDemoAccounts did: the password to print, only when this call made it up. */
export interface DemoAccounts {
  /** Accounts created by this call. */
  created: string[];
  /** A password generated for the accounts just created: shown once, stored nowhere in clear. */
  generatedPassword?: string;
}

/**
 * Makes sure the demo accounts exist. With DEMO_PASSWORD they are (re)set to it on every start;
 * without it, missing accounts get a generated password that is returned for printing once and
 * kept only hashed, like any other password (`npm start` keeps its own in var/demo-password).
 */
export async function ensureDemoAccounts(deps: {
  redis: Redis;
  keys: Keys;
  access: import('../access/service.ts').AccessService;
  organisations: { id: string; kind: string }[];
  password: string | undefined;
}): Promise<DemoAccounts> {
  const { randomBytes } = await import('node:crypto');
  const { hashPassword } = await import('../access/passwords.ts');
  // Earlier versions kept the generated password here in clear text.
  await deps.redis.del(`${deps.keys.prefix}demo:password`);
  const generated = deps.password ? undefined : randomBytes(12).toString('base64url');
  const password = deps.password ?? generated!;
  const company = deps.organisations.find((o) => o.kind === 'security_company')?.id ?? null;
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const organisationId = account.role === 'coordinator' ? company : null;
    const existing = await deps.access.store.findByUsername(account.username);
    if (!existing) {
      if (await deps.access.createUser({ ...account, organisationId, teamId: null, password })) created.push(account.username);
    } else if (deps.password) {
      await deps.access.store.saveUser({ ...existing, passwordHash: await hashPassword(password) });
    }
  }
  return created.length > 0 && generated ? { created, generatedPassword: generated } : { created };
}
