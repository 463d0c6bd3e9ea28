/**
 * Entry point: reads the configuration, builds the app, listens, and shuts down cleanly on
 * SIGINT/SIGTERM (stop accepting, disconnect sockets, quit Redis, exit 0).
 */
import { ConfigError, loadConfig } from './config.ts';
import { loggerOptions } from './logger.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}

// Imported after the configuration is checked, so a bad value fails fast and alone.
const { build } = await import('./app.ts');
// Readable lines in a terminal, JSON lines in a pipe, Docker or CI (LOG_FORMAT overrides).
const app = await build(config, { logger: loggerOptions(config.logLevel, config.logFormat, process.stdout.isTTY === true) });
// A command centre's map must stay up: log a stray rejection instead of dying on it.
process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled rejection'));

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

try {
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info({ address }, 'Lianfang listening');
} catch (err) {
  app.log.fatal({ err }, 'could not listen');
  process.exit(1);
}
