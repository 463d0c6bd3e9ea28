/** GET /api/config's shape: what the map needs to know about this deployment (its basemap, its time zone). */
import { Type as T, type Static } from '@sinclair/typebox';
import { StringEnum } from '../schemaKit.ts';

const Crs = StringEnum(['wgs84', 'gcj02']);
export const MapConfigSchema = T.Object({
  basemap: T.Union([
    T.Object({ kind: T.Literal('none') }),
    T.Object({ kind: T.Literal('xyz'), url: T.String(), crs: Crs, attribution: T.String() }),
    T.Object({ kind: T.Literal('pmtiles'), url: T.String(), crs: Crs, attribution: T.String() }),
  ]),
  timezone: T.String(),
  /** BATTERY_LOW_PERCENT: a phone below it is shown low, as the low-battery alert counts it. */
  batteryLowPercent: T.Integer({ minimum: 1, maximum: 95 }),
  /** WALL_CYCLE_S: seconds the wall shows each stop of its cycle; 0 holds the whole scope. */
  wallCycleS: T.Integer({ minimum: 0, maximum: 3600 }),
});
export type MapConfigResponse = Static<typeof MapConfigSchema>;
