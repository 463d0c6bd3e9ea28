/** Exposes the checked configuration as `app.config` and the server's clock as `app.clock`. */
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import type { Clock } from '../clock.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    clock: Clock;
  }
}

export default fp<{ config: Config; clock: Clock }>(
  async (app, opts) => {
    app.decorate('config', opts.config);
    app.decorate('clock', opts.clock);
  },
  { name: 'config' },
);
