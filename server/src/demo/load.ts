/**
 * Loads the generated demo county into an empty store, once, whichever process gets there
 * first (a Redis lock keeps two processes from loading it twice).
 */
import { generateDemoCounty } from '@lianfang/geo';
import type { FastifyBaseLogger } from 'fastify';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { GeographyStore } from '../geography/store.ts';
import type { TrackingStore } from '../tracking/store.ts';

export interface DemoDeps {
  redis: Redis;
  keys: Keys;
  geography: GeographyStore;
  tracking: TrackingStore;
  log: FastifyBaseLogger;
}

/** Returns true when this call loaded the demo, false when the store already held data. */
export async function loadDemoIfEmpty(deps: DemoDeps): Promise<boolean> {
  const { redis, keys, log } = deps;
  if ((await deps.geography.version()) > 0 || (await deps.tracking.countTeams()) > 0) return false;
  const locked = await redis.set(keys.demoLock, String(process.pid), { NX: true, PX: 60_000 });
  if (locked !== 'OK') return false;
  try {
    const started = performance.now();
    const county = generateDemoCounty();
    const { teams, ...geography } = county;
    await deps.tracking.saveTeams(teams);
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
