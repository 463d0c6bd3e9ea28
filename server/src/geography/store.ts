/**
 * Redis storage of the county's geography: townships, villages, grids, key locations and
 * organisations, one hash each (id → JSON), plus a version counter that caches key on.
 */
import type { DemoCounty, Grid, KeyLocation, Organisation, Village } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

export type StoredTownship = DemoCounty['townships'][number];
export type Geography = Omit<DemoCounty, 'teams'>;

const CHUNK = 500;

async function writeHash(multi: ReturnType<Redis['multi']>, key: string, items: { id: string }[]) {
  multi.del(key);
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    multi.hSet(key, Object.fromEntries(chunk.map((item) => [item.id, JSON.stringify(item)])));
  }
}

function parseAll<T>(hash: Record<string, string>): T[] {
  return Object.keys(hash)
    .sort()
    .map((id) => JSON.parse(hash[id]!) as T);
}

export function createGeographyStore(redis: Redis, keys: Keys) {
  return {
    /** Replaces the whole geography in one transaction: readers see the old or the new, never half. */
    async replaceAll(geo: Geography): Promise<number> {
      const multi = redis.multi();
      multi.set(keys.county, JSON.stringify(geo.county));
      await writeHash(multi, keys.townships, geo.townships);
      await writeHash(multi, keys.villages, geo.villages);
      await writeHash(multi, keys.grids, geo.grids);
      await writeHash(multi, keys.locations, geo.locations);
      await writeHash(multi, keys.organisations, geo.organisations);
      multi.incr(keys.geoVersion);
      const replies = await multi.exec();
      return Number(replies[replies.length - 1]);
    },

    /**
     * Adds or updates grids, townships and locations (or replaces all grids / all locations)
     * in one transaction with a new version. Resolves the new version.
     */
    async merge(change: { grids?: Grid[]; townships?: StoredTownship[]; locations?: KeyLocation[]; replaceGrids?: boolean; replaceLocations?: boolean }): Promise<number> {
      const multi = redis.multi();
      const put = (key: string, items: { id: string }[], replace: boolean) => {
        if (replace) multi.del(key);
        for (let i = 0; i < items.length; i += CHUNK) {
          multi.hSet(key, Object.fromEntries(items.slice(i, i + CHUNK).map((item) => [item.id, JSON.stringify(item)])));
        }
      };
      if (change.grids) put(keys.grids, change.grids, change.replaceGrids ?? false);
      if (change.townships) put(keys.townships, change.townships, false);
      if (change.locations) put(keys.locations, change.locations, change.replaceLocations ?? false);
      multi.incr(keys.geoVersion);
      const replies = await multi.exec();
      return Number(replies[replies.length - 1]);
    },

    /** 0 when no geography was ever written. */
    async version(): Promise<number> {
      return Number((await redis.get(keys.geoVersion)) ?? 0);
    },

    async load(): Promise<Geography & { version: number }> {
      const multi = redis.multi();
      multi.get(keys.geoVersion);
      multi.get(keys.county);
      multi.hGetAll(keys.townships);
      multi.hGetAll(keys.villages);
      multi.hGetAll(keys.grids);
      multi.hGetAll(keys.locations);
      multi.hGetAll(keys.organisations);
      const [version, county, townships, villages, grids, locations, orgs] = (await multi.exec()) as unknown as [
        string | null,
        string | null,
        Record<string, string>,
        Record<string, string>,
        Record<string, string>,
        Record<string, string>,
        Record<string, string>,
      ];
      return {
        version: Number(version ?? 0),
        county: county ? JSON.parse(county) : { name: '', geometry: { type: 'Polygon', coordinates: [] } },
        townships: parseAll<StoredTownship>(townships),
        villages: parseAll<Village>(villages),
        grids: parseAll<Grid>(grids),
        locations: parseAll<KeyLocation>(locations),
        organisations: parseAll<Organisation>(orgs),
      };
    },
  };
}

export type GeographyStore = ReturnType<typeof createGeographyStore>;
