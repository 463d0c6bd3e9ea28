import { describe, expect, it } from 'vitest';
import type { TeamView } from '@lianfang/server/api';
import {
  applyPosition,
  applyStatus,
  countOnPatrol,
  extendTrail,
  mergeSnapshot,
  teamStatus,
  teamsToFeatures,
  trailsToFeatures,
} from '../../../web/src/lib/live/team-positions.ts';

const NOW = 1_800_000_000_000;

function team(id: string, overrides: Partial<TeamView> = {}): TeamView {
  return {
    id,
    callSign: `沭城巡${id}`,
    agency: 'police',
    organisationId: 'O1',
    townshipId: 'T01',
    lon: 118.77,
    lat: 34.12,
    time: NOW - 1000,
    heading: 90,
    speed: 1.4,
    battery: null,
    status: 'on_patrol',
    statusSince: NOW - 60_000,
    ...overrides,
  };
}

describe(applyPosition.name, () => {
  it('replaces a team position with a newer fix', () => {
    const teams = new Map([['A', team('A')]]);
    expect(applyPosition(teams, { teamId: 'A', lon: 118.8, lat: 34.2, time: NOW, heading: 180 })).toBe('applied');
    expect(teams.get('A')).toMatchObject({ lon: 118.8, lat: 34.2, time: NOW, heading: 180, speed: null });
  });

  it('ignores a fix older than or as old as the one held (late delivery)', () => {
    const teams = new Map([['A', team('A', { time: NOW })]]);
    expect(applyPosition(teams, { teamId: 'A', lon: 1, lat: 1, time: NOW - 5 })).toBe('stale');
    expect(applyPosition(teams, { teamId: 'A', lon: 1, lat: 1, time: NOW })).toBe('stale');
    expect(teams.get('A')?.lon).toBe(118.77);
  });

  it('reports a team it does not know so the snapshot can be fetched again', () => {
    expect(applyPosition(new Map(), { teamId: 'X', lon: 1, lat: 1, time: NOW })).toBe('unknown');
  });
});

describe(mergeSnapshot.name, () => {
  it('keeps a position newer than the snapshot (a batch that overtook it) and drops teams no longer listed', () => {
    const held = new Map([
      ['A', team('A', { lon: 118.9, time: NOW + 500 })],
      ['GONE', team('GONE')],
    ]);
    const next = mergeSnapshot(held, [team('A', { callSign: '新呼号', time: NOW }), team('B')]);
    expect([...next.keys()]).toEqual(['A', 'B']);
    expect(next.get('A')).toMatchObject({ callSign: '新呼号', lon: 118.9, time: NOW + 500 });
  });

  it('takes the snapshot position when it is newer', () => {
    const next = mergeSnapshot(new Map([['A', team('A', { time: NOW - 9000 })]]), [team('A', { lon: 119, time: NOW })]);
    expect(next.get('A')?.lon).toBe(119);
  });
});

describe(teamsToFeatures.name, () => {
  it('greys a team the server calls offline and leaves out teams that never reported', () => {
    const features = teamsToFeatures([
      team('fresh'),
      team('stale', { status: 'offline' }),
      team('never', { lon: null, lat: null, time: null, heading: null, status: 'off_duty' }),
    ]).features;
    expect(features.map((f) => [f.properties.id, f.properties.offline])).toEqual([
      ['fresh', false],
      ['stale', true],
    ]);
  });

  it('carries the heading only when the device reports one', () => {
    const [withHeading, without] = teamsToFeatures([team('A'), team('B', { heading: null })]).features;
    expect(withHeading?.properties.heading).toBe(90);
    expect(without?.properties).not.toHaveProperty('heading');
  });
});

describe(countOnPatrol.name, () => {
  it('counts teams on patrol by agency, offline ones only in the total', () => {
    const counts = countOnPatrol([team('A'), team('B', { agency: 'volunteer' }), team('C', { agency: 'volunteer', status: 'offline' })]);
    expect(counts).toEqual({
      total: 3,
      onPatrol: 2,
      byAgency: { police: 1, security: 0, grid: 0, volunteer: 1, joint: 0 },
    });
  });
});

describe(teamStatus.name, () => {
  it("takes the server's status, whatever the age of the fix", () => {
    expect(teamStatus(team('A', { status: 'responding', time: NOW - 30 * 60_000 }))).toBe('responding');
    expect(teamStatus(team('A', { status: 'offline' }))).toBe('offline');
  });

  it('draws each status for the layer, offline and off duty flagged as not out there', () => {
    const features = teamsToFeatures(
      (['on_patrol', 'responding', 'offline', 'off_duty'] as const).map((status) => team(status, { status })),
    ).features;
    expect(features.map((f) => [f.properties.status, f.properties.offline])).toEqual([
      ['on_patrol', false],
      ['responding', false],
      ['offline', true],
      ['off_duty', true],
    ]);
  });

  it('counts responding teams as on patrol in the header', () => {
    const counts = countOnPatrol([team('A', { status: 'responding' }), team('B', { status: 'off_duty' })]);
    expect(counts.onPatrol).toBe(1);
  });
});

describe(applyStatus.name, () => {
  it('applies a team:status change to a known team and says when nothing changed', () => {
    const teams = new Map([['A', team('A', { status: 'on_patrol', statusSince: NOW - 5000 })]]);
    expect(applyStatus(teams, { teamId: 'A', status: 'offline', since: NOW })).toBe(true);
    expect(teams.get('A')).toMatchObject({ status: 'offline', statusSince: NOW });
    expect(applyStatus(teams, { teamId: 'A', status: 'offline', since: NOW })).toBe(false);
    expect(applyStatus(teams, { teamId: 'X', status: 'offline', since: NOW })).toBe(false);
  });
});

describe(extendTrail.name, () => {
  const at = (i: number, lon = 118.77 + i * 0.0001) => ({ lon, lat: 34.12, time: NOW + i * 5000 });

  it('keeps the last N positions, oldest first', () => {
    let trail: ReturnType<typeof extendTrail> | undefined;
    for (let i = 0; i < 10; i++) trail = extendTrail(trail, at(i), { maxPoints: 4, maxAgeMs: 3_600_000, maxJumpM: 1000 });
    expect(trail!.map((p) => p.time)).toEqual([6, 7, 8, 9].map((i) => NOW + i * 5000));
  });

  it('drops positions older than the age limit and starts afresh after a jump', () => {
    const options = { maxPoints: 30, maxAgeMs: 12_000, maxJumpM: 1000 };
    let trail = extendTrail(undefined, at(0), options);
    trail = extendTrail(trail, at(1), options);
    trail = extendTrail(trail, at(3), options);
    expect(trail.map((p) => p.time)).toEqual([NOW + 5000, NOW + 15_000]);
    expect(extendTrail(trail, at(4, 119.5), options)).toEqual([at(4, 119.5)]);
  });
});

describe(trailsToFeatures.name, () => {
  it('draws segments fading from the oldest to the newest, for moving teams only', () => {
    const trail = [0, 1, 2].map((i) => ({ lon: 118.77 + i * 0.001, lat: 34.12, time: NOW + i }));
    const teams = new Map([
      ['A', team('A', { status: 'on_patrol' })],
      ['B', team('B', { status: 'offline' })],
    ]);
    const { features } = trailsToFeatures(new Map([['A', trail], ['B', trail]]), teams);
    expect(features.map((f) => f.properties.fade)).toEqual([0.5, 1]);
    expect(features[0]!.geometry.coordinates).toEqual([
      [118.77, 34.12],
      [118.771, 34.12],
    ]);
  });
});
