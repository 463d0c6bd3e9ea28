/**
 * Attack: faking visits to key locations, which decide coverage and with it rewards. A patrol
 * backdates an explicit check-in over a past lapse, scans a photo of a location's QR code
 * somewhere else, or uploads fixes that say it stood somewhere two minutes. A check-in counts
 * only on the team's own positions as the server received them (within the offline window),
 * QR codes expire after CHECKIN_QR_ROTATE_DAYS, and dwell runs on the server's receive time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckInCodeResponse, CheckInResponse, CheckInsResponse } from '@lianfang/server/api';
import type { Fix } from '@lianfang/geo';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';
import { report } from '../../helpers/positions.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { FakeClock, MIN, sh } from '../coverage/helpers.ts';

const T0 = sh(2026, 3, 10, 9);
const DAY = 24 * 60 * MIN;
/** L-1 沭阳汽车站 (118.62, 33.85), radius 150 m; L-3 (118.76, 33.84); L-2 城东宾馆 (118.67, 33.86), radius 50 m. */
const AT_L1 = { lon: 118.62, lat: 33.8505 };
const AT_L2 = { lon: 118.67, lat: 33.8601 };
const AT_L3 = { lon: 118.76, lat: 33.8401 };
/** 5 km from any key location. */
const AWAY = { lon: 118.7, lat: 33.82 };

describe('faked check-ins', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let dispatcher: SignedIn;
  let team1: SignedIn;
  let team2: SignedIn;
  let n = 0;
  const newId = () => `fake-${++n}-abcdefgh`;

  const checkIn = (patrol: SignedIn, body: Record<string, unknown>) =>
    as(patrol)(`${t.url}/api/checkins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: newId(), time: clock.now(), ...body }) });
  /** The team's phone reports, as one upload, through the production ingest. */
  const upload = (teamId: string, fixes: Fix[]) => report(t.app, teamId, fixes.map((f) => ({ accuracy: 10, ...f })));
  const codeOf = async (locationId: string) => (await (await as(dispatcher)(`${t.url}/api/checkins/codes/${locationId}`)).json()) as CheckInCodeResponse;
  const autoCheckIns = async (teamId: string, from: number) =>
    ((await (await as(dispatcher)(`${t.url}/api/checkins?teamId=${teamId}&from=${from}&to=${clock.now()}`)).json()) as CheckInsResponse).checkIns.filter((c) => c.kind === 'auto');

  /** Days pass: sign-ins end on the app's clock, so everyone signs in again. */
  const daysLater = async (days: number) => {
    clock.advance(days * DAY);
    dispatcher = await signIn(t, 'dispatcher', { username: 'dispatcher-1' });
    team1 = await signIn(t, 'patrol', { organisationId: 'O-PS', teamId: 'team-1', username: 'patrol-1' });
    team2 = await signIn(t, 'patrol', { organisationId: 'O-SC', teamId: 'team-2', username: 'patrol-2' });
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0, checkinQrRotateDays: 7 });
    await seedCounty(t.app, smallCounty());
    await daysLater(0);
  });
  afterAll(async () => t?.stop());

  it('a backdated explicit check-in and a QR code scanned far from its location refused', async () => {
    // Genuine: the team's phone put it at the station a moment ago.
    await upload('team-1', [{ ...AT_L1, time: clock.now() - 10_000 }]);
    expect((await checkIn(team1, { locationId: 'L-1', ...AT_L1, accuracy: 10 })).status).toBe(201);

    // Three hours later, somewhere else: a check-in dated two hours ago would erase the lapse.
    clock.advance(180 * MIN);
    await upload('team-1', [{ ...AWAY, time: clock.now() - 10_000 }]);
    const old = await checkIn(team1, { locationId: 'L-1', ...AT_L1, time: clock.now() - 120 * MIN });
    expect(old.status).toBe(422);
    expect(await old.json()).toMatchObject({ field: 'body.time', message: expect.stringContaining('30 minutes') });
    // Within the offline window, but the server saw the team nowhere near the station then.
    const recent = await checkIn(team1, { locationId: 'L-1', ...AT_L1, time: clock.now() - 20 * MIN });
    expect(recent.status).toBe(422);
    expect(await recent.json()).toMatchObject({ field: 'body.time', message: expect.stringContaining('no position of the team was received near 沭阳汽车站') });
    // A fix fabricated now and dated 33 minutes ago reached the server too late to be evidence.
    await upload('team-1', [{ ...AT_L1, time: clock.now() - 33 * MIN }]);
    const fabricated = await checkIn(team1, { locationId: 'L-1', ...AT_L1, time: clock.now() - 29 * MIN });
    expect(fabricated.status).toBe(422);
    expect(await fabricated.json()).toMatchObject({ field: 'body.time' });

    // A QR code scanned where the team's phone says it is: counts.
    const first = await codeOf('L-3');
    expect(first.expiresAt).toBe(clock.now() + 7 * DAY);
    await upload('team-2', [{ ...AT_L3, time: clock.now() - 10_000 }]);
    const scanned = await checkIn(team2, { code: first.code });
    expect(scanned.status).toBe(201);
    expect(((await scanned.json()) as CheckInResponse).checkIn).toMatchObject({ kind: 'qr', locationId: 'L-3', teamId: 'team-2' });

    // A photo of the same code scanned across town ten minutes later: refused.
    clock.advance(10 * MIN);
    await upload('team-2', [{ ...AT_L2, time: clock.now() - 10_000 }]);
    const photo = await checkIn(team2, { code: first.code });
    expect(photo.status).toBe(422);
    expect(await photo.json()).toMatchObject({ field: 'body.code', message: expect.stringContaining('no position of the team was received near') });

    // Eight days on, the poster's code has expired even at the location; the codes page prints a new one.
    await daysLater(8);
    await upload('team-2', [{ ...AT_L3, time: clock.now() - 10_000 }]);
    const expired = await checkIn(team2, { code: first.code });
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ field: 'body.code', message: expect.stringContaining('expired') });
    const next = await codeOf('L-3');
    expect(next.generation).toBe(first.generation + 1);
    expect(next.expiresAt).toBe(clock.now() + 7 * DAY);
    expect((await codeOf('L-3')).code).toBe(next.code);
    expect((await checkIn(team2, { code: next.code })).status).toBe(201);
  });

  it('two fixes 120 s apart in one upload not making a check-in', async () => {
    await daysLater(1);
    const from = clock.now();
    await upload('team-1', [{ ...AWAY, time: clock.now() - 180_000 }]);
    clock.advance(60_000);
    const oneUpload = await upload('team-1', [
      { ...AT_L1, time: clock.now() - 120_000 },
      { ...AT_L1, time: clock.now() },
    ]);
    expect(oneUpload.checkIns).toEqual([]);

    // The same two fixes sent 120 s apart on the server's clock: a visit.
    await upload('team-2', [{ ...AWAY, time: clock.now() - 1000 }]);
    const first = await upload('team-2', [{ ...AT_L1, time: clock.now() }]);
    expect(first.checkIns).toEqual([]);
    clock.advance(120_000);
    const second = await upload('team-2', [{ ...AT_L1, time: clock.now() }]);
    expect(second.checkIns).toMatchObject([{ kind: 'auto', locationId: 'L-1', teamId: 'team-2', time: clock.now() }]);
    expect(await autoCheckIns('team-1', from - MIN)).toEqual([]);
  });

  it('a late upload of a past visit, even over two requests 120 s apart, not making a check-in', async () => {
    await daysLater(1);
    const from = clock.now() - 60 * MIN;
    await upload('team-1', [{ ...AWAY, time: clock.now() - 61 * MIN }]);
    // Fixes of a visit 40 minutes ago, uploaded now and two minutes later.
    expect((await upload('team-1', [{ ...AT_L1, time: clock.now() - 40 * MIN }])).checkIns).toEqual([]);
    clock.advance(120_000);
    expect((await upload('team-1', [{ ...AT_L1, time: clock.now() - 40 * MIN }])).checkIns).toEqual([]);
    expect(await autoCheckIns('team-1', from)).toEqual([]);
  });
});
