/** Types tests use, re-exported from where they live. */
export type { DemoCounty, Grid } from '@lianfang/geo';
export type { Polygon } from 'geojson';
