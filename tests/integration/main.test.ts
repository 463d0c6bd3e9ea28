import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/app.ts';

function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'warn', WEB_ROOT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('server entry point', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.destroy());

  it('stops the boot with a message naming PORT when PORT=abc', async () => {
    const main = runMain({ PORT: 'abc', REDIS_URL: redis.url });
    expect(await main.exited).toBe(1);
    expect(main.output()).toContain('Configuration error: PORT must be an integer');
  });

  it('shuts down cleanly with exit 0 on SIGTERM, closing its Redis connections', async () => {
    const port = await freePort();
    const main = runMain({ PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok, 20_000);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});
