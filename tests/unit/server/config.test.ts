import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/src/config.ts';

describe(loadConfig.name, () => {
  it('defaults to port 3000 with demo and simulator off', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, demo: false, simulate: false, redisUrl: 'redis://127.0.0.1:6379', logLevel: 'info' });
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer/],
    ['PORT', '70000', /PORT must be an integer between 0 and 65535/],
    ['DEMO', 'maybe', /DEMO must be true or false, got "maybe"/],
    ['SIMULATE', '2', /SIMULATE must be true or false/],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL must start with redis:\/\//],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['LOG_FORMAT', 'xml', /LOG_FORMAT must be one of auto, json, pretty/],
    ['BROADCAST_TICK_MS', '1', /BROADCAST_TICK_MS must be an integer between 20/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(message);
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe(name);
    }
  });

  it('reads yes/no/1/0 as booleans', () => {
    expect(loadConfig({ DEMO: 'yes', SIMULATE: '0' })).toMatchObject({ demo: true, simulate: false });
  });
});
