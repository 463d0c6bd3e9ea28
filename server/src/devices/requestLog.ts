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

/**
 * Query parameters whose values are credentials wherever they appear: a tracker's identifier
 * sent to a mistyped path (a 404 on the main port is not a device route) still must not reach
 * the log. Lower case; matched case-insensitively.
 */
const SECRET_PARAMS = new Set(['id', 'deviceid', 'token', 'password', 'secret', 'key']);

/** A URL with the values of credential-like query parameters replaced by `…`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent
      }
      return eq >= 0 && SECRET_PARAMS.has(decoded.toLowerCase()) ? `${name}=…` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/** Every request as logged: Fastify's default fields, the URL with credential-like parameters redacted. */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
