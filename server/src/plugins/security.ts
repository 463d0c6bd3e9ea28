/**
 * Security headers. The Content-Security-Policy allows our own origin only (command centres
 * run on intranets, and nothing should load from outside), plus what MapLibre needs: blob:
 * workers and images. The SPA's inline bootstrap script is allowed by its hash. HSTS on requests
 * that arrived over TLS. Cookie-authenticated writes and sign-in must come from our own origin:
 * SameSite alone lets another port of the same host (same site) send them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import { HttpError } from './errors.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Signing in carries no session yet, but a forged sign-in (into the attacker's account) is a write too. */
const LOGIN_URL = '/api/auth/login';
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * True when the browser says the request comes from another origin than `ownHost` (the Host the
 * request was sent to): its Origin names another host or port, or, without an Origin, its
 * Sec-Fetch-Site is same-site or cross-site. Requests with neither (curl, tracker apps) pass:
 * only browsers send them, and browsers are what a forged request rides on.
 */
export function isCrossOrigin(headers: IncomingHttpHeaders, ownHost: string | undefined): boolean {
  const origin = headers.origin;
  if (origin !== undefined) {
    if (!ownHost) return true;
    try {
      const from = new URL(origin);
      // Same scheme on both sides, so a default port is dropped the same way (a TLS proxy may not tell us the scheme).
      return from.host !== new URL(`${from.protocol}//${ownHost}`).host;
    } catch {
      return true; // "null" (sandboxed frames, file:) or garbage
    }
  }
  const site = headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** The Host a raw request (the socket handshake) was sent to, X-Forwarded-Host when proxies are trusted, as Fastify reads it. */
export function requestedHost(headers: IncomingHttpHeaders, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? headers['x-forwarded-host'] : undefined;
  if (typeof forwarded === 'string' && forwarded) return forwarded.split(',').at(-1)?.trim();
  return headers.host;
}

/** sha256 sources for every inline <script> of the built index.html. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1] ?? '').digest('base64')}'`,
  );
}

export default fp(
  async (app) => {
    const index = app.config.webRoot ? join(app.config.webRoot, 'index.html') : '';
    // Re-read when index.html changes, so a rebuilt web app works without a server restart.
    let cached = { mtime: -1, checked: 0, sources: "'self'" };
    const scriptSources = () => {
      const now = Date.now();
      if (!index || now - cached.checked < 1000) return cached.sources;
      cached.checked = now;
      try {
        const mtime = statSync(index).mtimeMs;
        if (mtime !== cached.mtime) cached = { mtime, checked: now, sources: ["'self'", ...inlineScriptHashes(readFileSync(index, 'utf8'))].join(' ') };
      } catch {
        cached = { mtime: -1, checked: now, sources: "'self'" };
      }
      return cached.sources;
    };
    // A configured XYZ basemap (an intranet tile server) is the one other origin the map may load from.
    const tiles = app.config.basemapTilesUrl?.startsWith('http') ? [new URL(app.config.basemapTilesUrl.replace(/\{[a-z]\}/g, '0')).origin] : [];
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: [() => scriptSources()],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'", 'data:'],
          // The command map's alarm tones are synthesised in the page (blob: WAVs), nothing fetched.
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'", 'data:', 'blob:', ...tiles],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
        },
      },
      // Served over plain http on many intranets: HSTS only on requests that came over TLS (below).
      hsts: false,
      crossOriginEmbedderPolicy: false,
    });

    app.addHook('onRequest', async (request, reply) => {
      // protocol is https on a TLS socket, or from X-Forwarded-Proto when TRUST_PROXY trusts the hop.
      if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
      if (!WRITES.has(request.method)) return;
      // Any cookie, not the session's by name: this server sets no other, and plugins/ does not import access/.
      if (request.headers.cookie === undefined && request.url !== LOGIN_URL) return;
      if (isCrossOrigin(request.headers, request.host)) throw new HttpError(403, 'cross-origin request refused: this server accepts writes from its own pages only');
    });
  },
  { name: 'security', dependencies: ['config'] },
);
