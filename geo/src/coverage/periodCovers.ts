/**
 * Whether a key period's scope (townships, grids, location categories, named locations) takes in a location.
 */
import type { CoverageLocation, KeyPeriod } from './types.ts';

/**
 * True when every list the scope gives contains the location's township, grid and category
 * (a missing or empty list takes in everything).
 *
 * @example
 * periodCovers({ id: 'p', name: '庙会', kind: 'event', scope: { townshipIds: ['T01'] } },
 *   { id: 'L1', category: 'crowded', priority: 1, townshipId: 'T01' }); // true
 */
export function periodCovers(period: Pick<KeyPeriod, 'scope'>, location: CoverageLocation): boolean {
  const scope = period.scope;
  if (!scope) return true;
  if (scope.townshipIds?.length && !(location.townshipId && scope.townshipIds.includes(location.townshipId))) return false;
  if (scope.gridIds?.length && !(location.gridId && scope.gridIds.includes(location.gridId))) return false;
  if (scope.categories?.length && !scope.categories.includes(location.category)) return false;
  if (scope.locationIds?.length && !scope.locationIds.includes(location.id)) return false;
  return true;
}
