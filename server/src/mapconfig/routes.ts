/**
 * GET /api/config: the basemap the map should draw (none, an XYZ raster URL, or the local
 * PMTiles file served at /basemap/<file name> with range requests). Who may call: viewers.
 */
import { basename, dirname } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fastifyStatic from '@fastify/static';
import { VIEWERS } from '../access/roles.ts';
import { MapConfigSchema, type MapConfigResponse } from './schemas.ts';

const mapConfigRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { basemapTilesUrl, basemapPmtiles, basemapCrs, basemapAttribution } = app.config;
  const basemap: MapConfigResponse['basemap'] = basemapTilesUrl
    ? { kind: 'xyz', url: basemapTilesUrl, crs: basemapCrs, attribution: basemapAttribution }
    : basemapPmtiles
      ? { kind: 'pmtiles', url: `/basemap/${encodeURIComponent(basename(basemapPmtiles))}`, crs: basemapCrs, attribution: basemapAttribution }
      : { kind: 'none' };

  app.get('/api/config', { config: { access: VIEWERS }, schema: { response: { 200: MapConfigSchema } } }, async () => ({ basemap, timezone: app.config.timeZone, batteryLowPercent: app.config.batteryLowPercent, wallCycleS: app.config.wallCycleS }));

  if (basemapPmtiles) {
    // Only that one file of its folder is reachable; range requests come with @fastify/static.
    const file = basename(basemapPmtiles);
    await app.register(fastifyStatic, {
      root: dirname(basemapPmtiles),
      prefix: '/basemap/',
      decorateReply: false,
      index: false,
      allowedPath: (path) => path === `/${file}`,
      cacheControl: true,
      maxAge: 3600_000,
    });
  }
};
export default mapConfigRoutes;
