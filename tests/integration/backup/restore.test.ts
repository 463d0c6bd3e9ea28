/**
 * `npm run backup` and `npm run restore` on a deployment the app wrote: a patrol's positions and
 * automatic check-in, an incident dispatched to it, a signed-in dispatcher. Restored into an
 * empty Redis, the app shows the same team, incident, check-in and track, and the dispatcher is
 * still signed in; another deployment on the same Redis stays out of the file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { createKeys } from '../../../server/src/keys.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { startRedis, type TestRedis } from '../../helpers/redis.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { incidentClient, POINT } from '../incidents/helpers.ts';
import { fakeClock, T0 } from '../tracking/helpers.ts';
import { restore } from '../../../scripts/lib/backup/restore.ts';
import { BackupWriter, readBackup, recordKey, type Footer, type Header } from '../../../scripts/lib/backup/format.ts';

const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
const PREFIX = 'county7:';
/** Its keys as the app names them: the prefix with its hash tag (server/src/keys.ts). */
const KEY_PREFIX = createKeys(PREFIX).prefix;
/** The apps' background ticks off: the test drives what it needs, and nothing runs into a closing app. */
const HANDS_ON = { coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0, webhookPollMs: 0, historyCompactTickMs: 0 };

/** Runs a script as an operator would (`npm run backup` runs the same file). */
async function script(name: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** What a dispatcher sees of the deployment, through the API. */
async function whatTheMapShows(t: TestApp, session: SignedIn, incidentId: string) {
  const get = async (path: string) => {
    const res = await as(session)(`${t.url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const window = `from=${T0 - 3_600_000}&to=${T0 + 3_600_000}`;
  return {
    me: await get('/api/auth/me'),
    team: await get('/api/teams/team-1'),
    incident: await get(`/api/incidents/${incidentId}`),
    checkIns: await get(`/api/checkins?teamId=team-1&${window}`),
    track: await get(`/api/teams/team-1/track?${window}`),
  };
}

async function keysOf(redis: TestRedis, pattern = '*'): Promise<string[]> {
  const c = createClient({ url: redis.url });
  await c.connect();
  try {
    return (await c.keys(pattern)).sort();
  } finally {
    await c.close();
  }
}

async function pttl(redis: TestRedis, key: string): Promise<number> {
  const c = createClient({ url: redis.url });
  await c.connect();
  try {
    return await c.pTTL(key);
  } finally {
    await c.close();
  }
}

describe('npm run backup and npm run restore', () => {
  const clock = fakeClock(T0);
  let source: TestApp;
  let target: TestRedis;
  let dir: string;
  let file: string;
  let dispatcher: SignedIn;
  let incidentId: string;
  let before: Awaited<ReturnType<typeof whatTheMapShows>>;
  let sessionTtl: number;
  let sessionKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lf-restore-'));
    [source, target] = await Promise.all([startTestApp({ clock, redisPrefix: PREFIX, ...HANDS_ON }), startRedis()]);
    await seedCounty(source.app, smallCounty());
    // A patrol dwells at 沭阳汽车站 (L-1): positions and an automatic check-in.
    const [lon, lat] = POINT['G-A1'];
    await report(source.app, 'team-1', [{ lon, lat, time: clock.now() }]);
    clock.advance(source.config.checkinDwellS * 1000);
    const second = await report(source.app, 'team-1', [{ lon: lon + 0.0001, lat, time: clock.now() }]);
    expect(second.checkIns.map((c) => c.locationId)).toEqual(['L-1']);
    dispatcher = await signIn(source, 'dispatcher');
    const incidents = incidentClient(source, dispatcher);
    const incident = await incidents.create({ grid: 'G-A1' });
    await incidents.step(incident.id, 'dispatch', { teamId: 'team-1', version: incident.version });
    incidentId = incident.id;
    before = await whatTheMapShows(source, dispatcher, incidentId);
    // Another county on the same Redis, one whose prefix starts the same way.
    const other = createClient({ url: source.redis.url });
    await other.connect();
    await other.hSet(createKeys('county8:').prefix + 'teams', 'team-1', '{}');
    await other.set(createKeys('county70:').prefix + 'meta:schema', '1');
    await other.close();
    sessionKey = (await keysOf(source.redis, `${KEY_PREFIX}session:*`))[0]!;
    sessionTtl = await pttl(source.redis, sessionKey!);

    const made = await script('backup', ['--out', dir], { REDIS_URL: source.redis.url, REDIS_PREFIX: PREFIX });
    expect(made.out).toMatch(/done in/);
    expect(made.code).toBe(0);
    file = join(dir, readdirSync(dir).find((f) => f.endsWith('.lfbak'))!);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.destroy()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes one file named after the deployment, holding its keys and no other deployment’s', async () => {
    expect(file).toMatch(/lianfang-county7-\d{8}T\d{6}Z\.lfbak$/);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    const names: string[] = [];
    for await (const line of readBackup(file)) if (line.kind === 'record') names.push(recordKey(line.record).toString());
    expect(names.sort()).toEqual(await keysOf(source.redis, `${KEY_PREFIX}*`));
  });

  it('restored into an empty Redis, the app shows the same team, incident, check-in and track, and the dispatcher is still signed in', async () => {
    const restored = await restore({ target: { url: target.url, clusterNodes: undefined }, file });
    const sourceKeys = (await keysOf(source.redis, `${KEY_PREFIX}*`)).length;
    expect(restored.keys).toBe(sourceKeys);
    expect((await keysOf(target)).filter((k) => !k.startsWith(KEY_PREFIX))).toEqual([]);
    const app = await startTestApp({ clock, redis: target, redisPrefix: PREFIX, ...HANDS_ON });
    try {
      const after = await whatTheMapShows(app, dispatcher, incidentId);
      expect(after.me.status).toBe(200);
      expect((after.team.body.team as { status: string }).status).toBe('responding');
      expect(after.incident.body).toMatchObject({ state: 'dispatched', teamId: 'team-1' });
      expect((after.checkIns.body.checkIns as unknown[]).length).toBe(1);
      expect((after.track.body.positions as unknown[]).length).toBe(2);
      expect(after).toEqual(before);
    } finally {
      await app.stop();
    }
  });

  it('keeps each key’s time to live: a session ends when it would have', async () => {
    const restoredTtl = await pttl(target, sessionKey);
    expect(restoredTtl).toBeGreaterThan(0);
    expect(restoredTtl).toBeLessThanOrEqual(sessionTtl);
    expect(sessionTtl - restoredTtl).toBeLessThan(30_000);
  });

  it('refuses to restore into a deployment that already has keys, with exit code 1 and the reason', async () => {
    const refused = await script('restore', [file], { REDIS_URL: target.url });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/already holds keys under "county7:".*--force/);
  });

  it('restores under another prefix, where the app finds the same incident', async () => {
    await restore({ target: { url: target.url, clusterNodes: undefined }, file, prefix: 'county9:' });
    const app = await startTestApp({ clock, redis: target, redisPrefix: 'county9:', ...HANDS_ON });
    try {
      const after = await whatTheMapShows(app, dispatcher, incidentId);
      expect(after).toEqual(before);
    } finally {
      await app.stop();
    }
  });

  it('refuses a truncated file, naming it so, and writes nothing', async () => {
    const bytes = readFileSync(file);
    const cut = join(dir, 'cut.lfbak');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(restore({ target: { url: target.url, clusterNodes: undefined }, file: cut, prefix: 'cut:' })).rejects.toThrow(/truncated backup .*cut\.lfbak/);
    expect(await keysOf(target, 'cut:*')).toEqual([]);
    const checked = await script('restore', [cut, '--check'], { REDIS_URL: target.url });
    expect(checked.code).toBe(1);
    expect(checked.out).toMatch(/restore failed: truncated backup .*cut\.lfbak: it ends after \d+ records without its closing line/);
  });

  it('refuses a backup made by a newer Redis than the target, before writing anything', async () => {
    // The same file, its payloads marked with a DUMP format no Redis reads yet.
    const newer = join(dir, 'newer.lfbak');
    const writer = new BackupWriter(newer);
    let footer: Footer | undefined;
    for await (const line of readBackup(file)) {
      if (line.kind === 'header') await writer.header({ ...line.header, redisVersion: '99.0.0' } satisfies Header);
      else if (line.kind === 'footer') footer = line.footer;
      else if (line.record.v === undefined) await writer.record(line.record);
      else {
        const payload = Buffer.from(line.record.v, 'base64');
        payload.writeUInt16LE(99, payload.length - 10);
        await writer.record({ ...line.record, v: payload.toString('base64') });
      }
    }
    await writer.finish({ rdbVersion: 99, snapshotAt: footer!.snapshotAt });
    await expect(restore({ target: { url: target.url, clusterNodes: undefined }, file: newer, prefix: 'newer:' })).rejects.toThrow(
      /made by Redis 99\.0\.0 \(DUMP format RDB 99\); the target runs Redis [\d.]+, which reads RDB \d+ and older/,
    );
    expect(await keysOf(target, 'newer:*')).toEqual([]);
  });
});
