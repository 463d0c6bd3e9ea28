/**
 * Reads a key location's properties (id, name, category, priority, radius, …) from an imported
 * feature or CSV row: shared by validateLocations and parseLocationsCsv.
 */
import { LOCATION_CATEGORIES, type KeyLocation, type LocationCategory } from '../types.ts';
import type { AllowedGeometry } from './cleanGeometry.ts';
import type { EntitySpec } from './readFeatures.ts';
import { optionalId, optionalNumber, optionalString, requiredString } from './readProperties.ts';

/** Default reach of a key location, metres, when the import does not say. */
export const DEFAULT_RADIUS = 50;
/** Largest radius accepted, metres: beyond this it is an area, not a location. */
export const MAX_RADIUS = 5000;
const HOURS = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/**
 * The entity spec for key locations: Point or Polygon geometry plus typed properties.
 *
 * @example
 * readFeatures(json, LOCATION_SPEC, { crs: 'gcj02' });
 */
export const LOCATION_SPEC: EntitySpec<KeyLocation> = {
  what: 'location',
  geometryTypes: ['Point', 'Polygon'],
  read(geometry, properties, report, id) {
    const name = requiredString(properties, 'name', report);
    const category = properties.category;
    if (category === undefined || category === null || category === '') report.error('category', 'category is required');
    else if (!LOCATION_CATEGORIES.includes(category as LocationCategory)) {
      report.error('category', `unknown category ${JSON.stringify(category)}; expected one of ${LOCATION_CATEGORIES.join(', ')}`);
    }
    const priority = optionalNumber(properties, 'priority', report, { min: 1, max: 3, fallback: 3, integer: true });
    const radius = optionalNumber(properties, 'radius', report, { min: 0, max: MAX_RADIUS, fallback: DEFAULT_RADIUS, unit: 'metres' });
    const hours = optionalString(properties, 'openingHours', report) ?? optionalString(properties, 'opening_hours', report);
    if (hours !== undefined && !HOURS.test(hours)) report.error('openingHours', `opening hours must look like "08:00-22:00", got ${JSON.stringify(hours)}`);
    if (name === undefined || priority === undefined || radius === undefined) return undefined;
    const location: KeyLocation = {
      id,
      name,
      category: category as LocationCategory,
      priority: priority as 1 | 2 | 3,
      geometry: geometry as Exclude<AllowedGeometry, { type: 'MultiPolygon' }>,
      radius,
    };
    const address = optionalString(properties, 'address', report);
    const gridId = optionalId(properties, 'gridId', report);
    const townshipId = optionalId(properties, 'townshipId', report);
    if (address) location.address = address;
    if (hours) location.openingHours = hours;
    if (gridId) location.gridId = gridId;
    if (townshipId) location.townshipId = townshipId;
    return location;
  },
};
