import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckInsResponse, DevicesResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { as, signIn, TEST_PASSWORD, type SignedIn } from '../../helpers/auth.ts';
import { simulate, type Via } from '../../../scripts/simulate.ts';
import { fakeClock, T0 } from './helpers.ts';

describe('npm run simulate', () => {
  const clock = fakeClock(T0);
  let t: TestApp;
  let dispatcher: SignedIn;

  beforeAll(async () => {
    t = await startTestApp({ clock, osmandPort: 0 });
    await seedCounty(t.app, smallCounty());
    dispatcher = await signIn(t, 'dispatcher', { username: 'sim-dispatcher' });
  });
  afterAll(async () => t?.stop());

  it.each(['http', 'osmand', 'socket'] as Via[])('patrols through key locations via %s, checks in, and cleans up its devices', async (via) => {
    const from = clock.now();
    const lines: string[] = [];
    const report = await simulate({
      url: t.url,
      teams: 2,
      intervalS: 10,
      via,
      username: 'sim-dispatcher',
      password: TEST_PASSWORD,
      durationS: 1300,
      now: clock.now,
      // Simulated time: the shared clock moves instead of anyone waiting.
      sleep: async (ms) => clock.advance(ms),
      log: (line) => lines.push(line),
    });
    expect(report.teams).toBe(2);
    expect(report.positions.sent).toBe(2 * 130);
    expect(report.positions).toMatchObject({ accepted: report.positions.sent, rejected: {} });
    if (via !== 'osmand') {
      expect(report.checkIns.accepted).toBeGreaterThanOrEqual(2);
      expect(report.checkIns.rejected).toEqual({});
      expect(report.checkIns.automatic).toBeGreaterThanOrEqual(2);
    }
    const stored = (await (await as(dispatcher)(`${t.url}/api/checkins?teamId=team-1&from=${from}&to=${clock.now()}`)).json()) as CheckInsResponse;
    expect(stored.checkIns.filter((c) => c.kind === 'auto').length).toBeGreaterThanOrEqual(1);
    const devices = (await (await as(dispatcher)(`${t.url}/api/teams/team-1/devices`)).json()) as DevicesResponse;
    expect(devices.devices.filter((d) => report.devices.includes(d.id)).every((d) => d.revokedAt !== null)).toBe(true);
    expect(lines.at(-1)).toMatch(/260 fixes sent, 260 accepted/);
  });
});
