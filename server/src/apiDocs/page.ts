/**
 * The browsable API page at /api/docs (Swagger UI) and its document at /api/docs/json, for
 * signed-in users (apiDocs/openapi.ts marks these routes so the access layer checks the
 * session). Swagger UI's files come from the package, served by this server: nothing loads from
 * another origin, and the page runs under the app's own Content-Security-Policy (its scripts are
 * files, no inline script; the validator badge, which would call out, is off).
 */
import fp from 'fastify-plugin';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { API_DOCS_PREFIX } from './openapi.ts';

export default fp(
  async (app) => {
    await app.register(fastifySwaggerUi, {
      routePrefix: API_DOCS_PREFIX,
      validatorUrl: false,
      uiConfig: { deepLinking: true, docExpansion: 'list', tryItOutEnabled: false },
      theme: { title: 'Lianfang API' },
    });
  },
  { name: 'api-docs', dependencies: ['openapi', 'access', 'security'] },
);
