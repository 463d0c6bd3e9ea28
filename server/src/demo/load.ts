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

/**
 * Makes sure the demo accounts exist with the demo password: DEMO_PASSWORD when set, otherwise
 * one generated on first start and kept in Redis, so every start prints the same one.
 */
export async function ensureDemoAccounts(deps: {
  redis: Redis;
  keys: Keys;
  access: import('../access/service.ts').AccessService;
  organisations: { id: string; kind: string }[];
  password: string | undefined;
}): Promise<string> {
  const { randomBytes } = await import('node:crypto');
  const { hashPassword } = await import('../access/passwords.ts');
  const key = `${deps.keys.prefix}demo:password`;
  let password = deps.password;
  if (!password) {
    await deps.redis.set(key, randomBytes(9).toString('base64url'), { NX: true });
    password = (await deps.redis.get(key))!;
  }
  const company = deps.organisations.find((o) => o.kind === 'security_company')?.id ?? null;
  for (const account of DEMO_ACCOUNTS) {
    const organisationId = account.role === 'coordinator' ? company : null;
    const existing = await deps.access.store.findByUsername(account.username);
    if (!existing) {
      await deps.access.createUser({ ...account, organisationId, teamId: null, password });
    } else if (deps.password) {
      await deps.access.store.saveUser({ ...existing, passwordHash: await hashPassword(password) });
    }
  }
  return password;
}
