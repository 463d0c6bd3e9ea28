/**
 * The geography API's shapes: GeoJSON of the county, townships, grids and key locations (their
 * properties as schemas, the GeoJSON envelope as the `geojson` types), details and name search.
 * Types are `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static, type TSchema } from '@sinclair/typebox';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson';
import { LOCATION_CATEGORIES } from '@lianfang/geo';
import { IntegerEnum, Nullable, StringEnum } from '../schemaKit.ts';

const Position = T.Array(T.Number(), { minItems: 2, maxItems: 3 });
const Area = T.Union([
  T.Object({ type: T.Literal('Polygon'), coordinates: T.Array(T.Array(Position)) }),
  T.Object({ type: T.Literal('MultiPolygon'), coordinates: T.Array(T.Array(T.Array(Position))) }),
]);
const PointGeometry = T.Object({ type: T.Literal('Point'), coordinates: Position });

/** A GeoJSON Feature of `geometry` with `properties`, typed as the `geojson` package's Feature. */
const feature = <G extends Geometry, P extends TSchema>(geometry: TSchema, properties: P) =>
  T.Unsafe<Feature<G, Static<P>>>(T.Object({ type: T.Literal('Feature'), id: T.Optional(T.Union([T.String(), T.Number()])), geometry, properties }));
const featureCollection = <G extends Geometry, P extends TSchema>(geometry: TSchema, properties: P) =>
  T.Unsafe<FeatureCollection<G, Static<P>>>(T.Object({ type: T.Literal('FeatureCollection'), features: T.Array(feature<G, P>(geometry, properties)) }));

/** GET /api/geo/county: the county outline. */
const CountyProperties = T.Object({ name: T.String() });
export const CountySchema = feature<Polygon | MultiPolygon, typeof CountyProperties>(Area, CountyProperties);
export type CountyResponse = Static<typeof CountySchema>;

export const TownshipPropertiesSchema = T.Object({
  id: T.String(),
  name: T.String(),
  pinyin: T.String(),
  kind: StringEnum(['town', 'township', 'street']),
  /** A point inside the township for its label. */
  labelLon: T.Number(),
  labelLat: T.Number(),
  /** 0–7, so neighbouring townships get different fill colours. */
  colour: T.Integer(),
});
export type TownshipProperties = Static<typeof TownshipPropertiesSchema>;
/** GET /api/geo/townships */
export const TownshipsSchema = featureCollection<Polygon | MultiPolygon, typeof TownshipPropertiesSchema>(Area, TownshipPropertiesSchema);
export type TownshipsResponse = Static<typeof TownshipsSchema>;

const GridFields = {
  id: T.String(),
  name: T.String(),
  townshipId: T.String(),
  townshipName: T.String(),
  villageId: Nullable(T.String()),
  villageName: Nullable(T.String()),
  key: T.Boolean(),
  /** Same colour index as its township. */
  colour: T.Integer(),
};
export const GridPropertiesSchema = T.Object(GridFields);
export type GridProperties = Static<typeof GridPropertiesSchema>;
/** GET /api/geo/grids */
export const GridsSchema = featureCollection<Polygon | MultiPolygon, typeof GridPropertiesSchema>(Area, GridPropertiesSchema);
export type GridsResponse = Static<typeof GridsSchema>;

const Contact = T.Object({ name: T.String(), phone: T.String() });
/** GET /api/geo/grids/:id: who residents can phone (grid leader 网格长, workers 网格员). */
export const GridDetailSchema = T.Object({ ...GridFields, leader: Nullable(Contact), workers: T.Array(Contact), locationCount: T.Integer() });
export type GridDetail = Static<typeof GridDetailSchema>;

const LocationFields = {
  id: T.String(),
  name: T.String(),
  category: StringEnum(LOCATION_CATEGORIES),
  priority: IntegerEnum([1, 2, 3]),
  radius: T.Number(),
  gridId: Nullable(T.String()),
  townshipId: Nullable(T.String()),
};
export const LocationPropertiesSchema = T.Object(LocationFields);
export type LocationProperties = Static<typeof LocationPropertiesSchema>;
/** GET /api/geo/locations: every key location as a point (polygon locations by their centre). */
export const LocationsSchema = featureCollection<Point, typeof LocationPropertiesSchema>(PointGeometry, LocationPropertiesSchema);
export type LocationsResponse = Static<typeof LocationsSchema>;

/** GET /api/geo/locations/:id */
export const LocationDetailSchema = T.Object({
  ...LocationFields,
  lon: T.Number(),
  lat: T.Number(),
  gridName: Nullable(T.String()),
  townshipName: Nullable(T.String()),
  address: Nullable(T.String()),
  openingHours: Nullable(T.String()),
});
export type LocationDetail = Static<typeof LocationDetailSchema>;

export const SearchResultSchema = T.Object({
  kind: StringEnum(['township', 'village', 'grid', 'location']),
  id: T.String(),
  name: T.String(),
  /** Township (and village) it lies in, for telling equal names apart. */
  context: T.String(),
  lon: T.Number(),
  lat: T.Number(),
  /** [west, south, east, north] to fit the map to, when it is an area. */
  bbox: Nullable(T.Tuple([T.Number(), T.Number(), T.Number(), T.Number()])),
});
export type SearchResult = Static<typeof SearchResultSchema>;
/** GET /api/geo/search?q=…&limit=… : by Chinese name or pinyin (full or initials). */
export const SearchSchema = T.Object({ results: T.Array(SearchResultSchema) });
export type SearchResponse = Static<typeof SearchSchema>;
export const SearchQuery = T.Object({
  q: T.String({ minLength: 1, maxLength: 64 }),
  limit: T.Integer({ minimum: 1, maximum: 50, default: 10 }),
});
export const GeoIdParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }) });
