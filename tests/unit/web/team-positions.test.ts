import { describe, expect, it } from 'vitest';
import type { TeamView } from '@lianfang/server/api';
import {
  OFFLINE_AFTER_MS,
  applyPosition,
  countOnPatrol,
  mergeSnapshot,
  teamsToFeatures,
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
  it('greys a team whose latest fix is older than 3 minutes and leaves out teams that never reported', () => {
    const features = teamsToFeatures(
      [
        team('fresh', { time: NOW - OFFLINE_AFTER_MS }),
        team('stale', { time: NOW - OFFLINE_AFTER_MS - 1 }),
        team('never', { lon: null, lat: null, time: null, heading: null }),
      ],
      NOW,
    ).features;
    expect(features.map((f) => [f.properties.id, f.properties.offline])).toEqual([
      ['fresh', false],
      ['stale', true],
    ]);
  });

  it('carries the heading only when the device reports one', () => {
    const [withHeading, without] = teamsToFeatures([team('A'), team('B', { heading: null })], NOW).features;
    expect(withHeading?.properties.heading).toBe(90);
    expect(without?.properties).not.toHaveProperty('heading');
  });
});

describe(countOnPatrol.name, () => {
  it('counts teams on patrol by agency, offline ones only in the total', () => {
    const counts = countOnPatrol(
      [team('A'), team('B', { agency: 'volunteer' }), team('C', { agency: 'volunteer', time: NOW - OFFLINE_AFTER_MS - 1 })],
      NOW,
    );
    expect(counts).toEqual({
      total: 3,
      onPatrol: 2,
      byAgency: { police: 1, security: 0, grid: 0, volunteer: 1, joint: 0 },
    });
  });
});
