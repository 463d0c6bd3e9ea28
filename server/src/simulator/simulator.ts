/**
 * The patrol simulator for the demo: each team walks (or rides) a loop along the outline of
 * its assigned grids and reports through the same tracking pipeline as real devices. Its
 * position is a function of the clock, so it needs no state of its own, and only one process
 * (the holder of a Redis lease) simulates at a time.
 */
import { patrolRoute, pointAlongRoute, routeLength, type Agency, type Grid, type LonLat, type Team, type TeamPosition } from '@lianfang/geo';

/** Typical patrol speeds, m/s: volunteers and guards on foot, police and grid workers on e-bikes. */
export const AGENCY_SPEED: Record<Agency, number> = {
  police: 5,
  security: 1.4,
  grid: 4,
  volunteer: 1.2,
  joint: 1.4,
};

interface Route {
  teamId: string;
  points: LonLat[];
  length: number;
  speed: number;
  /** Where on the loop the team started, metres: spreads teams apart. */
  offset: number;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** Builds each team's loop from its grids; teams without grids are left out. */
export function planRoutes(teams: Team[], grids: Grid[]): Route[] {
  const byId = new Map(grids.map((g) => [g.id, g]));
  const routes: Route[] = [];
  for (const team of teams) {
    const own = team.gridIds.map((id) => byId.get(id)).filter((g): g is Grid => g !== undefined);
    if (own.length === 0) continue;
    const points = patrolRoute(own);
    const length = routeLength(points);
    if (!(length > 0)) continue;
    routes.push({ teamId: team.id, points, length, speed: AGENCY_SPEED[team.agency], offset: hash(team.id) * length });
  }
  return routes;
}

/** Where every team is at `now` (epoch ms), moving `speedup` times faster than real life. */
export function simulatePositions(routes: Route[], now: number, speedup: number): TeamPosition[] {
  return routes.map((r) => {
    const travelled = r.offset + (r.speed * speedup * now) / 1000;
    const at = pointAlongRoute(r.points, travelled % r.length);
    return {
      teamId: r.teamId,
      lon: Math.round(at.lon * 1e6) / 1e6,
      lat: Math.round(at.lat * 1e6) / 1e6,
      time: now,
      heading: Math.round(at.heading),
      speed: r.speed,
      accuracy: 5,
    };
  });
}
