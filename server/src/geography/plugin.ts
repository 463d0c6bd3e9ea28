/** Registers the geography store, its cached service and its routes. */
import fp from 'fastify-plugin';
import { createGeographyStore, type GeographyStore } from './store.ts';
import { createGeographyService, type GeographyService } from './service.ts';
import geographyRoutes from './routes.ts';
import importRoutes from './importRoutes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    geography: GeographyService & { store: GeographyStore };
  }
}

export default fp(
  async (app) => {
    const store = createGeographyStore(app.redis, app.keys);
    app.decorate('geography', Object.assign(createGeographyService(store), { store }));
    await app.register(geographyRoutes);
    await app.register(importRoutes);
  },
  { name: 'geography', dependencies: ['redis', 'access'] },
);
