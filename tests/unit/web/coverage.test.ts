import { describe, expect, it } from 'vitest';
import type { CoverageSnapshot } from '@lianfang/server/api';
import { applyChanges, countByTownship, fromSnapshot, type LocationCoverage } from '../../../web/src/lib/live/coverage.ts';

const AT = 1_800_000_000_000;

function snapshot(): CoverageSnapshot {
  return {
    at: AT,
    states: { L1: 'covered', L2: 'due_soon', L3: 'inactive' },
    deadlines: { L1: AT + 600_000, L2: AT + 60_000 },
    dueAt: { L1: AT + 300_000, L2: AT - 1 },
    townships: {},
    grids: {},
    totals: { covered: 1, due_soon: 1, uncovered: 0, inactive: 1 },
    activePeriods: [],
    warnings: [],
    nextChange: null,
  };
}

describe(fromSnapshot.name, () => {
  it('keys every location by id with its deadline, null outside key periods', () => {
    const states = fromSnapshot(snapshot());
    expect(states.get('L1')).toEqual({ state: 'covered', deadline: AT + 600_000, dueAt: AT + 300_000 });
    expect(states.get('L3')).toEqual({ state: 'inactive', deadline: null, dueAt: null });
  });
});

describe(applyChanges.name, () => {
  it('replaces a changed location whole and says whether anything differed', () => {
    const states = fromSnapshot(snapshot());
    expect(applyChanges(states, [{ id: 'L2', state: 'uncovered', deadline: AT + 60_000, dueAt: AT - 1 }])).toBe(true);
    expect(states.get('L2')?.state).toBe('uncovered');
    expect(applyChanges(states, [{ id: 'L2', state: 'uncovered', deadline: AT + 60_000, dueAt: AT - 1 }])).toBe(false);
  });

  it('adds a location the snapshot did not have (imported since)', () => {
    const states = new Map<string, LocationCoverage>();
    expect(applyChanges(states, [{ id: 'NEW', state: 'covered', deadline: null, dueAt: null }])).toBe(true);
    expect(states.size).toBe(1);
  });
});

describe(countByTownship.name, () => {
  it('counts each state per township and for the county, leaving out locations without a township from the townships only', () => {
    const states = fromSnapshot(snapshot());
    applyChanges(states, [{ id: 'L4', state: 'uncovered', deadline: AT, dueAt: AT }]);
    const { townships, totals } = countByTownship(
      states,
      new Map([
        ['L1', 'T1'],
        ['L2', 'T1'],
        ['L3', 'T2'],
        ['L4', null],
      ]),
    );
    expect(totals).toEqual({ covered: 1, due_soon: 1, uncovered: 1, inactive: 1 });
    expect(townships.get('T1')).toEqual({ covered: 1, due_soon: 1, uncovered: 0, inactive: 0 });
    expect(townships.get('T2')).toEqual({ covered: 0, due_soon: 0, uncovered: 0, inactive: 1 });
  });
});
