/**
 * Position ingest over HTTP, every form landing in the same pipeline (`app.positions`):
 *   POST /api/positions          one fix        { deviceId, lon, lat, time, heading?, speed?, accuracy? }
 *   POST /api/positions/batch    1–1000 fixes   { deviceId, positions: [...] } (more: 413)
 *   POST /api/owntracks          OwnTracks HTTP mode (?id= or Basic password)
 *   GET|POST|PUT /osmand         OsmAnd / Traccar Client (also at / on OSMAND_PORT)
 * Who may call: a registered, unrevoked device (`access: 'device'`): the identifier in the
 * request is the credential. Unknown → 401, revoked → 403, logged and counted; past the
 * per-address or per-device limits (INGEST_*) → 429. All of that before any fix is looked at
 * (devices/admission.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import { HttpError, StoreUnavailableError } from '../plugins/errors.ts';
import { hashDeviceIdentifier, IDENTIFIER_PATTERN } from '../devices/identifier.ts';
import type { Fix } from '@lianfang/geo';
import type { FixSchema } from './schemas.ts';
import { strictCompiler } from '../plugins/strict.ts';
import { DEVICE_LOG_SERIALIZERS } from '../devices/requestLog.ts';
import { createDeviceAdmission, type DeviceAdmission } from '../devices/admission.ts';
import { MAX_BATCH, PositionBatchBody, PositionsAcceptedSchema, SinglePositionBody } from './schemas.ts';
import type { FieldNamer, IngestSource } from './ingest.ts';
import { osmAndJsonField, osmAndParamsField, parseOsmAndJson, parseOsmAndParams, type Parsed } from './osmand.ts';
import { ownTracksField, ownTracksIdentifier, parseOwnTracks } from './owntracks.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which ingest form a route is: its rejections are counted under it. */
    ingestSource?: IngestSource;
  }
}

/**
 * Trackers never render what we answer (an empty body or a few bytes of JSON), so the browser
 * security headers and response compression are skipped on ingest routes: @fastify/helmet
 * rebuilds its middleware on every request, and the two hooks cost a third of the throughput.
 * The request log leaves out their query string and headers: they carry the identifier.
 */
const DEVICE_ROUTE = { helmet: false, compress: false, logSerializers: DEVICE_LOG_SERIALIZERS } as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toFix(p: Static<typeof FixSchema>): Fix {
  const fix: Fix = { lon: p.lon, lat: p.lat, time: p.time };
  if (p.heading !== undefined) fix.heading = p.heading;
  if (p.speed !== undefined) fix.speed = p.speed;
  if (p.accuracy !== undefined) fix.accuracy = p.accuracy;
  return fix;
}

/** Hashes of identifiers seen lately: a device reports every few seconds, hashing it each time is waste. */
const hashes = new Map<string, string>();

/** The device's hash, or 401 without asking Redis when the identifier cannot be one. */
export function deviceHash(identifier: string, field: string): string {
  const known = hashes.get(identifier);
  if (known) return known;
  if (!IDENTIFIER_PATTERN.test(identifier)) throw new HttpError(401, `${field} is not a registered device`, field);
  if (hashes.size >= 50_000) hashes.clear();
  const hash = hashDeviceIdentifier(identifier);
  hashes.set(identifier, hash);
  return hash;
}

/** One admission gate per server (keyed by its device store: plugin scopes and the OsmAnd listener share it). */
const admissions = new WeakMap<object, DeviceAdmission>();

function admissionOf(app: FastifyInstance): DeviceAdmission {
  let admission = admissions.get(app.devices);
  if (!admission) {
    const c = app.config;
    admission = createDeviceAdmission({
      limiter: app.rateLimiter,
      store: app.devices.store,
      now: () => app.clock.now(),
      limits: {
        perDevice: { max: c.ingestDevicePerMinute, windowMs: 60_000 },
        batchesPerDevice: { max: c.ingestDeviceBatchesPerHour, windowMs: 3_600_000 },
        perAddress: { max: c.ingestAddressPerMinute, windowMs: 60_000 },
      },
    });
    admissions.set(app.devices, admission);
  }
  return admission;
}

/** Rate limits and (for a device not seen lately) the device itself are checked before its fixes. */
async function ingestFrom(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, identifier: string, fixes: Fix[], source: IngestSource, field: FieldNamer, deviceField: string) {
  const hash = deviceHash(identifier, deviceField);
  const admission = admissionOf(app);
  try {
    await admission.admit(hash, request.ip, fixes.length, deviceField, reply);
    return await app.positions.ingest({ deviceHash: hash }, fixes, source, field, deviceField);
  } catch (err) {
    if (err instanceof HttpError && (err.statusCode === 401 || err.statusCode === 403)) admission.forget(hash);
    // Redis at its maxmemory refuses writes (noeviction): 503, so trackers keep the fixes and retry.
    if (err instanceof Error && err.message.startsWith('OOM ')) throw new StoreUnavailableError(err);
    throw err;
  }
}

/** Counts (and, for unknown or revoked devices, logs) every rejected ingest request. */
export function countRejections(scope: FastifyInstance, app: FastifyInstance, fallback: IngestSource): void {
  scope.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 400) return;
    const source = request.routeOptions.config?.ingestSource ?? fallback;
    if (reply.statusCode === 401 || reply.statusCode === 403) {
      request.log.warn({ source, status: reply.statusCode, ip: request.ip }, reply.statusCode === 401 ? 'position from an unknown device refused' : 'position from a revoked device refused');
    }
    await app.redis.hIncrBy(app.keys.ingestStats, `rejected:${source}:${reply.statusCode}`, 1).catch(() => {});
  });
}

/** JSON where an empty body means "no body" (OwnTracks' zero-length posts; OsmAnd POSTs with only a query). */
function lenientJson(scope: FastifyInstance): void {
  const parseJson = scope.getDefaultJsonParser('error', 'ignore');
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    parseJson(request, body as string, done);
  });
}

/** Registers the OsmAnd route at `url` on `scope` (the main app or the dedicated listener). */
export async function registerOsmAnd(scope: FastifyInstance, app: FastifyInstance, url: string): Promise<void> {
  lenientJson(scope);
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const params: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prev = params[k];
      params[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, params);
  });
  // Trackers send all sorts of content types with the data in the query: read the query, ignore the body.
  scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => done(null, undefined));
  countRejections(scope, app, 'osmand');

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    const body = request.body;
    let parsed: Parsed;
    let field: FieldNamer;
    const json = (request.headers['content-type'] ?? '').includes('json');
    if (json && body !== undefined) {
      parsed = parseOsmAndJson(body);
      field = osmAndJsonField(isObject(body) && Array.isArray(body.location));
    } else {
      // As Traccar: the query string, or the form body when the query is empty.
      const where = Object.keys(query).length === 0 && isObject(body) ? 'body' : 'query';
      parsed = parseOsmAndParams(where === 'body' ? (body as Record<string, unknown>) : query, app.clock.now(), where);
      field = osmAndParamsField(where);
    }
    if ('error' in parsed) throw new HttpError(parsed.error.status, parsed.error.message, parsed.error.field);
    await ingestFrom(app, request, reply, parsed.identifier, parsed.fixes, 'osmand', field, parsed.deviceField);
    return reply.status(200).send();
  };
  scope.route({ method: ['GET', 'POST', 'PUT'], url, ...DEVICE_ROUTE, config: { access: 'device', ingestSource: 'osmand' }, handler });
}

const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Our API: strict JSON schemas (no coercion), one round trip to Redis per request.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.setValidatorCompiler(strictCompiler);
    countRejections(scope, app, 'http');

    scope.post(
      '/api/positions',
      { ...DEVICE_ROUTE, config: { access: 'device', ingestSource: 'http' }, schema: { body: SinglePositionBody, response: { 200: PositionsAcceptedSchema } } },
      async (request, reply) => {
        const { deviceId, ...fix } = request.body;
        return ingestFrom(app, request, reply, deviceId, [toFix(fix)], 'http', (_i, f) => `body.${f}`, 'body.deviceId');
      },
    );

    scope.post(
      '/api/positions/batch',
      {
        ...DEVICE_ROUTE,
        config: { access: 'device', ingestSource: 'http' },
        schema: { body: PositionBatchBody, response: { 200: PositionsAcceptedSchema } },
        // Before validation, so an oversized batch is a 413, not a schema error.
        preValidation: async (request) => {
          const positions = (request.body as { positions?: unknown } | undefined)?.positions;
          if (Array.isArray(positions) && positions.length > MAX_BATCH) {
            throw new HttpError(413, `body.positions holds ${positions.length} positions, more than ${MAX_BATCH}: split the batch`, 'body.positions');
          }
        },
      },
      async (request, reply) => {
        const { deviceId, positions } = request.body;
        return ingestFrom(app, request, reply, deviceId, positions.map(toFix), 'http', (i, f) => `body.positions.${i}.${f}`, 'body.deviceId');
      },
    );
  });

  await app.register(async (scope) => {
    lenientJson(scope);
    countRejections(scope, app, 'owntracks');
    scope.post('/api/owntracks', { ...DEVICE_ROUTE, config: { access: 'device', ingestSource: 'owntracks' } }, async (request, reply) => {
      const who = ownTracksIdentifier(request.query as Record<string, unknown>, request.headers.authorization);
      if (!who) {
        reply.header('www-authenticate', 'Basic realm="lianfang"');
        throw new HttpError(401, 'query.id is required: the device identifier as ?id= or as the HTTP Basic password', 'query.id');
      }
      const parsed = request.body === undefined ? ({ kind: 'other', type: 'empty' } as const) : parseOwnTracks(request.body);
      if ('error' in parsed || parsed.kind === 'other') {
        // No position to record, but the device is checked first: an unknown or revoked one is told
        // so (never what was wrong with its message), and it counts towards the limits. Looked up
        // every time (forget): no ingest script runs here to catch a device revoked since.
        const hash = deviceHash(who.identifier, who.field);
        admissionOf(app).forget(hash);
        await admissionOf(app).admit(hash, request.ip, 0, who.field, reply);
        if ('error' in parsed) throw new HttpError(400, parsed.error.message, parsed.error.field);
        await app.redis.hIncrBy(app.keys.ingestStats, 'ignored:owntracks', 1);
        return reply.status(200).send([]);
      }
      await ingestFrom(app, request, reply, who.identifier, [parsed.fix], 'owntracks', ownTracksField, who.field);
      return reply.status(200).send([]);
    });
  });

  await app.register(async (scope) => registerOsmAnd(scope, app, '/osmand'));
};
export default ingestRoutes;
