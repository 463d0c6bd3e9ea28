/** @lianfang/geo: pure domain logic and geometry, no I/O. */
export * from './types.ts';
export { createRandom, type Random } from './createRandom.ts';
export { distanceMetres, EARTH_RADIUS_METRES, METRES_PER_DEGREE } from './distanceMetres.ts';
export { pointInPolygon } from './pointInPolygon.ts';
export { generateDemoCounty } from './generateDemoCounty.ts';
export { patrolRoute } from './patrolRoute.ts';
export { patrolRouteThrough } from './patrolRouteThrough.ts';
export { routeLength } from './routeLength.ts';
export { pointAlongRoute, type RoutePoint } from './pointAlongRoute.ts';
export { createGridIndex, type GridIndex } from './createGridIndex.ts';
export { createLocationIndex, type LocationIndex, type NearbyLocation } from './createLocationIndex.ts';
export { validateGrids, type ValidateGridsOptions } from './validateGrids.ts';
export { validateLocations } from './validateLocations.ts';
export { parseLocationsCsv } from './parseLocationsCsv.ts';
export * from './coverage/index.ts';
export * from './incidents/index.ts';
export { randomPointIn } from './randomPointIn.ts';
export { checkFix, checkRanges, FixError, MAX_LAT, MAX_SPEED, type Fix, type FixLimits } from './checkFix.ts';
