/** Registers the device store (`app.devices`) and the device routes. */
import fp from 'fastify-plugin';
import { createDeviceStore, type DeviceStore } from './store.ts';
import deviceRoutes from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    devices: { store: DeviceStore };
  }
}

export default fp(
  async (app) => {
    app.decorate('devices', { store: createDeviceStore(app.redis, app.keys) });
    await app.register(deviceRoutes);
  },
  { name: 'devices', dependencies: ['redis', 'access', 'tracking'] },
);
