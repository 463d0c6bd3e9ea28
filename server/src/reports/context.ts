/** What the reports read besides their figures: the teams, places and names, and the county's name. */
import type { FastifyInstance } from 'fastify';
import type { ReportContext } from './report.ts';

export type CountyContext = ReportContext & { county: string };

export async function reportContext(app: Pick<FastifyInstance, 'geography' | 'teams' | 'redis' | 'keys'>): Promise<CountyContext> {
  const [places, teams, countyJson] = await Promise.all([app.geography.places.current(), app.teams.list(), app.redis.get(app.keys.county)]);
  let county = '';
  try {
    const c = JSON.parse(countyJson ?? '{}') as { name?: string; properties?: { name?: string } };
    county = c.name ?? c.properties?.name ?? '';
  } catch {
    county = '';
  }
  return {
    county,
    teams,
    locations: places.locations,
    townshipName: (id) => places.townships.get(id)?.name ?? id,
    organisationName: (id) => places.organisations.get(id)?.name ?? id,
  };
}
