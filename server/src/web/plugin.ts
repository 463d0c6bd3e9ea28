/**
 * Serves the built web app from the same origin as the API: hashed assets cached for a year,
 * every other page path answered with the SPA's index.html. Unknown /api paths get a JSON 404.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

const API_PATH = /^\/(api|socket\.io|osmand)(\/|$)/;

export default fp(
  async (app) => {
    const root = app.config.webRoot;
    const hasWeb = root !== '' && existsSync(join(root, 'index.html'));
    if (root !== '' && !hasWeb) app.log.warn({ root }, 'web app not built: run `npm run build`; serving the API only');
    if (hasWeb) {
      await app.register(fastifyStatic, {
        root,
        prefix: '/',
        wildcard: false,
        index: false,
        setHeaders(res, path) {
          res.setHeader('cache-control', path.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      app.get('/', (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    }
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (hasWeb && (request.method === 'GET' || request.method === 'HEAD') && !API_PATH.test(path)) {
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      }
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${path}`, code: 'not_found' });
    });
  },
  { name: 'web', dependencies: ['config'] },
);
