import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../../server/src/logger.ts';

describe(loggerOptions.name, () => {
  it('prints readable lines through pino-pretty in a terminal', () => {
    expect(loggerOptions('info', 'auto', true).transport?.target).toBe('pino-pretty');
  });

  it('writes JSON lines into a pipe, Docker or CI', () => {
    expect(loggerOptions('info', 'auto', false)).toEqual({ level: 'info' });
  });

  it('writes JSON lines in a terminal too when LOG_FORMAT=json', () => {
    expect(loggerOptions('debug', 'json', true)).toEqual({ level: 'debug' });
  });

  it('prints readable lines into a pipe when LOG_FORMAT=pretty, without colour codes', () => {
    const options = loggerOptions('warn', 'pretty', false);
    expect(options.transport?.target).toBe('pino-pretty');
    expect(options.level).toBe('warn');
    expect(options.transport?.options.colorize).toBe(false);
  });
});
