/**
 * Builds the Lianfang server without listening: tests call build() and inject or listen on
 * port 0; main.ts listens. Plugins are registered in dependency order.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCompress from '@fastify/compress';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fastifyTrustProxy, type Config } from './config.ts';
import { systemClock, type Clock } from './clock.ts';
import configPlugin from './plugins/appConfig.ts';
import errorsPlugin from './plugins/errors.ts';
import redisPlugin from './plugins/redis.ts';
import socketPlugin from './plugins/socket.ts';
import accessPlugin from './access/plugin.ts';
import securityPlugin from './plugins/security.ts';
import openApiPlugin from './apiDocs/openapi.ts';
import apiDocsPlugin from './apiDocs/page.ts';
import healthRoutes from './health/routes.ts';
import mapConfigRoutes from './mapconfig/routes.ts';
import geographyPlugin from './geography/plugin.ts';
import teamsPlugin from './teams/plugin.ts';
import scopePlugin from './scope/plugin.ts';
import trackingPlugin from './tracking/plugin.ts';
import demoPlugin from './demo/plugin.ts';
import simulatorPlugin from './simulator/plugin.ts';
import webPlugin from './web/plugin.ts';
import alertsPlugin from './alerts/plugin.ts';
import coveragePlugin from './coverage/plugin.ts';
import devicesPlugin from './devices/plugin.ts';
import checkinsPlugin from './checkins/plugin.ts';
import { requestForLog } from './devices/requestLog.ts';
import trackingIngestPlugin from './tracking/ingestPlugin.ts';
import incidentsPlugin from './incidents/plugin.ts';
import assignmentsPlugin from './assignments/plugin.ts';
import patrolPlugin from './patrol/plugin.ts';
import ordersPlugin from './orders/plugin.ts';
import tlsRoutes from './tls/routes.ts';
import webhooksPlugin from './webhooks/plugin.ts';
import displaysPlugin from './displays/plugin.ts';
import wallPlugin from './wall/routes.ts';
import reportsPlugin from './reports/plugin.ts';
import majorEventsPlugin from './majorEvents/plugin.ts';
import mediationPlugin from './mediation/plugin.ts';

export type { Config } from './config.ts';
export { loadConfig, ConfigError } from './config.ts';
export type { Clock } from './clock.ts';

export interface BuildOptions {
  clock?: Clock;
  /** pino logger options or false; defaults to the configured level. */
  logger?: boolean | object;
}

export async function build(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger === false ? false : { ...(typeof options.logger === 'object' ? options.logger : { level: config.logLevel }), serializers: { req: requestForLog } };
  // TLS_CERT_FILE and TLS_KEY_FILE: the main port speaks HTTPS itself (the OsmAnd port stays plain HTTP).
  const https = config.tlsCertFile && config.tlsKeyFile ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } } : {};
  const app = Fastify({
    ...https,
    logger,
    bodyLimit: 1024 * 1024,
    // Ajv: drop unknown fields, coerce query strings, report every error's path.
    ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', allErrors: false } },
    forceCloseConnections: true,
    trustProxy: fastifyTrustProxy(config.trustProxy),
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(configPlugin, { config, clock: options.clock ?? systemClock });
  await app.register(errorsPlugin);
  // Before every route, so the OpenAPI document sees them all.
  await app.register(openApiPlugin);
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['gzip', 'br'] });
  await app.register(redisPlugin);
  await app.register(socketPlugin);
  await app.register(securityPlugin);
  await app.register(accessPlugin);
  await app.register(apiDocsPlugin);
  await app.register(healthRoutes);
  await app.register(mapConfigRoutes);
  await app.register(tlsRoutes);
  await app.register(geographyPlugin);
  await app.register(teamsPlugin);
  await app.register(scopePlugin);
  await app.register(trackingPlugin);
  await app.register(devicesPlugin);
  await app.register(checkinsPlugin);
  await app.register(trackingIngestPlugin);
  await app.register(assignmentsPlugin);
  await app.register(mediationPlugin);
  await app.register(demoPlugin);
  await app.register(simulatorPlugin);
  await app.register(alertsPlugin);
  await app.register(ordersPlugin);
  await app.register(webhooksPlugin);
  await app.register(reportsPlugin);
  await app.register(coveragePlugin);
  await app.register(incidentsPlugin);
  await app.register(majorEventsPlugin);
  await app.register(patrolPlugin);
  await app.register(displaysPlugin);
  await app.register(wallPlugin);
  await app.register(webPlugin);
  return app;
}
