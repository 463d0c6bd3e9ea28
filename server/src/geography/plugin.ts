/** Registers the geography store, its cached service, the one read model of places (`app.geography.places`) and its routes. */
import fp from 'fastify-plugin';
import { createGeographyStore, type GeographyStore } from './store.ts';
import { createGeographyService, type GeographyService } from './service.ts';
import { createGeographyReadModel, type GeographyReadModel } from './readModel.ts';
import geographyRoutes from './routes.ts';
import importRoutes from './importRoutes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    geography: GeographyService & { store: GeographyStore; places: GeographyReadModel };
  }
}

export default fp(
  async (app) => {
    const store = createGeographyStore(app.redis, app.keys);
    const service = createGeographyService(store);
    const places = createGeographyReadModel(service, (err) => app.log.warn({ err: err.message }, 'could not refresh the geography read model'));
    app.decorate('geography', Object.assign(service, { store, places }));
    await app.register(geographyRoutes);
    await app.register(importRoutes);
  },
  { name: 'geography', dependencies: ['redis', 'access'] },
);
