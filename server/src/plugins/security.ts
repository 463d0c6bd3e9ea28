/**
 * Security headers. The Content-Security-Policy allows our own origin only (command centres
 * run on intranets, and nothing should load from outside), plus what MapLibre needs: blob:
 * workers and images. The SPA's inline bootstrap script is allowed by its hash.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

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
          connectSrc: ["'self'", 'data:', 'blob:', ...tiles],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
        },
      },
      // Served over plain http on many intranets: HSTS only makes sense behind TLS.
      hsts: false,
      crossOriginEmbedderPolicy: false,
    });
  },
  { name: 'security', dependencies: ['config'] },
);
