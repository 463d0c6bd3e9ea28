/** Shared set-up for report tests. */
import type { Team } from '@lianfang/geo';
import { smallCounty } from '../../fixtures/small-county.ts';
import { waitFor, type TestApp } from '../../helpers/app.ts';
import type { SignedIn } from '../../helpers/auth.ts';
import { report as reportFixes } from '../../helpers/positions.ts';
import { client, json, MIN, type FakeClock } from '../coverage/helpers.ts';
import { incidentClient } from '../incidents/helpers.ts';

/** The small county with three teams, each patrolling one grid with one key location. */
export function threeTeamCounty() {
  const county = smallCounty();
  const [one, two] = county.teams as [Team, Team];
  one.gridIds = ['G-A1']; // L-1: visited on time
  two.gridIds = ['G-B2']; // L-3: never visited
  const three: Team = { id: 'team-3', callSign: '城东03', agency: 'grid', organisationId: 'O-PS', townshipId: 'T-A', members: [{ name: '王芳', phone: '13911110003', role: 'grid_worker' }], gridIds: ['G-A2'] }; // L-2: visited late
  county.teams.push(three);
  return county;
}

/**
 * The hand-made day both the assessment report and the briefing are checked against, from 09:30
 * (T0 is 09:00, the key period's start, L-1..L-3 due at 10:00):
 * - team-1 checks in at L-1 at 09:30 (on time); at 10:01 L-2 and L-3 have run out;
 * - team-3 reaches L-2 at 10:20: a late visit after an 80-minute lapse; L-3 is never visited;
 * - an incident in G-A1 reported 10:21, dispatched to team-1 10:22, accepted 10:33 (past its
 *   10-minute limit: the sweep at 10:32 marks the step late), on scene 10:40, resolved 10:50;
 * - a dispute in G-B2 (胡集镇): team-2 accepts it and passes it up, the township passes it up
 *   again, the county settles it;
 * - team-3 raises an SOS (at 10:50).
 */
export async function playHandMadeDay(t: TestApp, clock: FakeClock, T0: number, s: { dispatcher: SignedIn; p1: SignedIn; p2: SignedIn; p3: SignedIn }): Promise<void> {
  const dispatcher = client(t, s.dispatcher);
  const desk = incidentClient(t, s.dispatcher);
  const checkIn = async (session: SignedIn, teamId: string, locationId: string, at: number, lon: number, lat: number) => {
    clock.set(at);
    await reportFixes(t.app, teamId, [{ lon, lat, time: at, accuracy: 5 }]);
    await json(await client(t, session).post('/api/checkins', { id: `ci-${teamId}-${at}`, locationId, time: at, lon, lat, accuracy: 5 }));
  };
  await checkIn(s.p1, 'team-1', 'L-1', T0 + 30 * MIN, 118.62, 33.85);
  await waitFor(async () => (await dispatcher.coverage()).states['L-1'] === 'covered', 2000);
  await t.app.coverage.engine.tick(clock.set(T0 + 61 * MIN));
  await checkIn(s.p3, 'team-3', 'L-2', T0 + 80 * MIN, 118.67, 33.86);
  await waitFor(async () => (await dispatcher.coverage()).states['L-2'] === 'covered', 2000);

  clock.set(T0 + 81 * MIN);
  const brawl = await desk.create({ grid: 'G-A1', severity: 2 });
  clock.set(T0 + 82 * MIN);
  await desk.step(brawl.id, 'dispatch', { teamId: 'team-1', version: brawl.version });
  clock.set(T0 + 92 * MIN);
  await t.app.incidents.sweep();
  clock.set(T0 + 93 * MIN);
  const one = incidentClient(t, s.p1);
  await one.step(brawl.id, 'accept');
  clock.set(T0 + 100 * MIN);
  await one.step(brawl.id, 'arrive');
  clock.set(T0 + 110 * MIN);
  await one.step(brawl.id, 'resolve');

  const quarrel = await desk.create({ grid: 'G-B2', category: 'dispute' });
  await desk.step(quarrel.id, 'dispatch', { teamId: 'team-2', version: quarrel.version });
  const two = incidentClient(t, s.p2);
  await two.step(quarrel.id, 'accept');
  await two.step(quarrel.id, 'escalate', { reason: '村里调不了' });
  await desk.step(quarrel.id, 'reopen');
  await desk.step(quarrel.id, 'escalate', { reason: '乡镇调不了' });
  await desk.step(quarrel.id, 'resolve');

  await t.app.alerts.raise('sos', 'team-3', { teamId: 'team-3' }, true);
}
