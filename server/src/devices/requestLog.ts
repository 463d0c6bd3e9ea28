/**
 * What the request log may say about a device's request. On device routes the identifier is the
 * credential and it travels in the request itself (OsmAnd `?id=`/`?deviceid=`, OwnTracks `?id=`
 * or the Basic password; OwnTracks also names its user and device in `X-Limit-U`/`X-Limit-D`),
 * so their log lines keep the method, the path and the address, never the query string or a
 * header. Fastify's default `req` serializer writes the whole URL.
 */
import type { FastifyRequest } from 'fastify';

/** A request as logged on device routes: the query string is cut to `?…`, headers are left out. */
export function deviceRequestForLog(request: FastifyRequest) {
  const url = request.url;
  const q = url.indexOf('?');
  return {
    method: request.method,
    url: q < 0 ? url : `${url.slice(0, q)}?…`,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Fastify `logSerializers` for a device route (or a child logger's `serializers`). */
export const DEVICE_LOG_SERIALIZERS = { req: deviceRequestForLog };
