/**
 * TRUST_PROXY: which X-Forwarded-For hops decide `request.ip`, and with it the per-address rate
 * limits and the audit log's addresses. A client must not pick its own address by sending one.
 */
import { request as httpRequest, createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { FakeClock } from '../coverage/helpers.ts';

/** GET over a chosen local address, with headers fetch would not let us set freely. */
function get(url: string, headers: Record<string, string>, localAddress = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, localAddress }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A reverse proxy that appends the peer's address to X-Forwarded-For, as nginx's $proxy_add_x_forwarded_for does. */
async function startProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const forwarded = req.headers['x-forwarded-for'];
    const peer = req.socket.remoteAddress ?? '';
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, 'x-forwarded-for': forwarded ? `${forwarded}, ${peer}` : peer } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const BUCKET = 'help-grid-view';
const LIMIT = 60; // LOOKUPS_PER_ADDRESS
const lookup = '/api/public/grids/no-such-grid';

describe('TRUST_PROXY', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  /** Addresses the rate limiter has counted for the lookup bucket. */
  const limitedAddresses = async (app: TestApp) => {
    const keys = await app.app.redis.keys(`${app.app.keys.prefix.replace(/[{}]/g, '\\$&')}rl:${BUCKET}:*`);
    return [...new Set(keys.map((k) => k.split(':').slice(3, -1).join(':')))];
  };

  it('a forged X-Forwarded-For does not change the limited address (one proxy in front, TRUST_PROXY=1)', async () => {
    // A clock that stands still: the 61 requests all fall in one rate-limit window however slow the machine.
    t = await startTestApp({ clock: new FakeClock(Date.UTC(2026, 11, 4, 9, 0, 10)), coverageTickMs: 0, incidentTickMs: 0, trustProxy: 1 });
    const proxy = await startProxy(t.url);
    try {
      // Each request claims another address; the proxy appends the real one, which is all a hop count of 1 believes.
      const statuses: number[] = [];
      for (let i = 0; i <= LIMIT; i++) statuses.push(await get(`${proxy.url}${lookup}`, { 'x-forwarded-for': `203.0.113.${i % 250}` }, '127.0.0.2'));
      expect(statuses.slice(0, LIMIT)).not.toContain(429);
      expect(statuses.at(-1)).toBe(429);
      expect(await limitedAddresses(t)).toEqual(['127.0.0.2']);
    } finally {
      await proxy.close();
    }
  });

  it('a forged X-Forwarded-For does not change the limited address (a client bypassing the listed proxy, TRUST_PROXY=<proxy address>)', async () => {
    t = await startTestApp({ coverageTickMs: 0, incidentTickMs: 0, trustProxy: ['127.0.0.1'] });
    // The attacker connects straight to the server from another address, past the proxy it names.
    expect(await get(`${t.url}${lookup}`, { 'x-forwarded-for': '203.0.113.7' }, '127.0.0.3')).toBe(404);
    expect(await limitedAddresses(t)).toEqual(['127.0.0.3']);
  });

  it('believes the listed proxy about the client behind it', async () => {
    t = await startTestApp({ coverageTickMs: 0, incidentTickMs: 0, trustProxy: ['127.0.0.1'] });
    expect(await get(`${t.url}${lookup}`, { 'x-forwarded-for': '198.51.100.9' }, '127.0.0.1')).toBe(404);
    expect(await limitedAddresses(t)).toEqual(['198.51.100.9']);
  });
});
