/**
 * How the server logs: JSON lines, one object per line, for Docker, CI and log collectors; or
 * readable coloured lines through pino-pretty when a person watches a terminal (`npm start`).
 */
import type { LogFormat, LogLevel } from './config.ts';

/** pino options (Fastify's `logger`): a level, and pino-pretty as the transport for people. */
export interface LoggerOptions {
  level: LogLevel;
  transport?: { target: 'pino-pretty'; options: { colorize: boolean; translateTime: string; ignore: string } };
}

/**
 * Fastify's logger options for the configured level and format. pino-pretty runs as a pino
 * transport (a worker thread), so the event loop never waits on formatting.
 *
 * @example
 * loggerOptions('info', 'auto', process.stdout.isTTY === true);
 */
export function loggerOptions(level: LogLevel, format: LogFormat, stdoutIsTerminal: boolean): LoggerOptions {
  const pretty = format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
  if (!pretty) return { level };
  return {
    level,
    transport: {
      target: 'pino-pretty',
      options: { colorize: stdoutIsTerminal, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    },
  };
}
