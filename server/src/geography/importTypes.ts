/** Messages between the importer and its validation worker. */
import type { Grid, KeyLocation, ValidationResult } from '@lianfang/geo';

export type Crs = 'wgs84' | 'gcj02' | 'bd09';

export interface ImportRequest {
  kind: 'grids' | 'locations';
  format: 'geojson' | 'csv';
  text: string;
  crs: Crs;
}

export type ImportValidation =
  | { kind: 'grids'; result: ValidationResult<Grid> }
  | { kind: 'locations'; result: ValidationResult<KeyLocation> };
