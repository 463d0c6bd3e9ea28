/**
 * Entry point: reads the configuration, builds the app, listens, and shuts down cleanly on
 * SIGINT/SIGTERM (stop accepting, disconnect sockets, quit Redis, exit 0); an uncaught exception
 * or unhandled rejection is logged and ends the process with exit 1.
 */
import { ConfigError, loadConfig } from './config.ts';
import { loggerOptions } from './logger.ts';
import { installProcessGuards } from './processGuards.ts';

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
// A stray exception or rejection is logged, then the process exits 1 for its supervisor to restart.
installProcessGuards(app.log, () => app.close());

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
