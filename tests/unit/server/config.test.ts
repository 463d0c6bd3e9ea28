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
    ['WEBHOOK_RETRY_DELAYS_MS', '1000,soon', /WEBHOOK_RETRY_DELAYS_MS must be comma-separated whole numbers/],
    ['BATTERY_LOW_PERCENT', '100', /BATTERY_LOW_PERCENT must be an integer between 1/],
    ['REDIS_CLUSTER_NODES', '10.0.0.5', /REDIS_CLUSTER_NODES must be comma-separated host:port pairs/],
    ['REDIS_CLUSTER_NODES', '10.0.0.5:7000,10.0.0.6:99999', /REDIS_CLUSTER_NODES must be comma-separated host:port pairs/],
    ['REDIS_SENTINELS', 'sentinel-a', /REDIS_SENTINELS must be comma-separated host:port pairs/],
    ['REDIS_SENTINEL_NAME', 'my master', /REDIS_SENTINEL_NAME must be 1 to 64 letters/],
    ['REDIS_PREFIX', '', /REDIS_PREFIX must be 1 to 64 letters/],
    ['REDIS_PREFIX', 'lf{:', /REDIS_PREFIX "lf\{:" has a brace but no hash tag/],
    ['REDIS_PREFIX', 'lf lf:', /REDIS_PREFIX must be 1 to 64 letters/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrowError(message);
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe(name);
    }
  });

  it('reads the nodes of a Redis Cluster, and a key prefix with or without its own hash tag', () => {
    expect(loadConfig({}).redisClusterNodes).toEqual([]);
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.5:7000, redis-b:7001,[::1]:7002' }).redisClusterNodes).toEqual([
      { host: '10.0.0.5', port: 7000 },
      { host: 'redis-b', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(loadConfig({ REDIS_PREFIX: 'suqian:{shuyang}:' }).redisPrefix).toBe('suqian:{shuyang}:');
  });

  it('reads the sentinels of a master watched by Redis Sentinel, and refuses them beside a cluster or with TLS', () => {
    expect(loadConfig({})).toMatchObject({ redisSentinels: [], redisSentinelName: 'mymaster', redisSentinelPassword: undefined });
    expect(loadConfig({ REDIS_SENTINELS: '10.0.0.5:26379,sentinel-b:26379', REDIS_SENTINEL_NAME: 'shuyang', REDIS_SENTINEL_PASSWORD: 's3cret-sentinel' })).toMatchObject({
      redisSentinels: [{ host: '10.0.0.5', port: 26379 }, { host: 'sentinel-b', port: 26379 }],
      redisSentinelName: 'shuyang',
      redisSentinelPassword: 's3cret-sentinel',
    });
    expect(() => loadConfig({ REDIS_SENTINELS: '10.0.0.5:26379', REDIS_CLUSTER_NODES: '10.0.0.6:7000' })).toThrowError(/^REDIS_SENTINELS and REDIS_CLUSTER_NODES cannot both be set/);
    expect(() => loadConfig({ REDIS_SENTINELS: '10.0.0.5:26379', REDIS_URL: 'rediss://:pw@redis:6380' })).toThrowError(/^REDIS_URL cannot be rediss:\/\/ with REDIS_SENTINELS/);
  });

  it('refuses a TLS certificate without its key (and the reverse), and TLS files that do not exist, naming the variable', () => {
    const file = new URL(import.meta.url).pathname; // any file that exists
    expect(() => loadConfig({ TLS_CERT_FILE: file })).toThrowError(/^TLS_KEY_FILE must be set with TLS_CERT_FILE/);
    expect(() => loadConfig({ TLS_KEY_FILE: file })).toThrowError(/^TLS_CERT_FILE must be set with TLS_KEY_FILE/);
    expect(() => loadConfig({ TLS_CERT_FILE: '/nonexistent/cert.pem', TLS_KEY_FILE: file })).toThrowError(/^TLS_CERT_FILE names a file that does not exist/);
    expect(() => loadConfig({ TLS_CA_FILE: '/nonexistent/rootCA.pem' })).toThrowError(/^TLS_CA_FILE names a file that does not exist/);
    expect(loadConfig({ TLS_CERT_FILE: file, TLS_KEY_FILE: file })).toMatchObject({ tlsCertFile: file, tlsKeyFile: file, tlsCaFile: undefined });
  });

  it('refuses TRUST_PROXY=true, which would let any client choose its address, naming the variable', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrowError(/TRUST_PROXY must be a hop count .* would trust every hop/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.300' })).toThrowError(/TRUST_PROXY must be .*got "10.0.0.300"/);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxy addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,fd00::/8,loopback' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8', 'loopback']);
  });

  it('refuses a Redis timeout under 100 ms, naming REDIS_TIMEOUT_MS', () => {
    expect(() => loadConfig({ REDIS_TIMEOUT_MS: '10' })).toThrowError(/REDIS_TIMEOUT_MS must be an integer between 100/);
    expect(loadConfig({})).toMatchObject({ redisTimeoutMs: 3000, redisMaxWaiting: 1000 });
  });

  it('reads the webhook retry waits and the low-battery threshold, with defaults', () => {
    expect(loadConfig({})).toMatchObject({ webhookRetryDelaysMs: [1000, 5000, 30_000], webhookTimeoutMs: 5000, batteryLowPercent: 20 });
    expect(loadConfig({ WEBHOOK_RETRY_DELAYS_MS: '10, 20', BATTERY_LOW_PERCENT: '15' })).toMatchObject({ webhookRetryDelaysMs: [10, 20], batteryLowPercent: 15 });
    expect(loadConfig({ WEBHOOK_RETRY_DELAYS_MS: '' }).webhookRetryDelaysMs).toEqual([]);
  });

  it('reads yes/no/1/0 as booleans', () => {
    expect(loadConfig({ DEMO: 'yes', SIMULATE: '0' })).toMatchObject({ demo: true, simulate: false });
  });

  it('reads BRIEFING_AT as a county local time or off, and refuses anything else naming the variable', () => {
    expect(loadConfig({})).toMatchObject({ briefingAt: 450, briefingTickMs: 60_000, publicUrl: '' });
    expect(loadConfig({ BRIEFING_AT: '06:05', PUBLIC_URL: 'https://lf.example.cn/' })).toMatchObject({ briefingAt: 365, publicUrl: 'https://lf.example.cn' });
    expect(loadConfig({ BRIEFING_AT: 'off' }).briefingAt).toBeNull();
    expect(() => loadConfig({ BRIEFING_AT: '24:00' })).toThrowError(/BRIEFING_AT must be a local time HH:MM/);
    expect(() => loadConfig({ BRIEFING_AT: '7.30' })).toThrowError(/BRIEFING_AT/);
    expect(() => loadConfig({ PUBLIC_URL: 'lf.example.cn' })).toThrowError(/PUBLIC_URL/);
  });
});
