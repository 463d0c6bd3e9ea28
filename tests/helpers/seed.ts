/** Writes a county (geography and teams) into a test app's Redis through the real stores. */
import type { FastifyInstance } from 'fastify';
import type { DemoCounty } from '@lianfang/geo';
import { whenReady } from '../../server/src/plugins/redis.ts';

export async function seedCounty(app: FastifyInstance, county: DemoCounty): Promise<void> {
  await whenReady(app.redis, 10_000);
  const { teams, ...geography } = county;
  await app.teams.save(teams);
  await app.geography.store.replaceAll(geography);
}
