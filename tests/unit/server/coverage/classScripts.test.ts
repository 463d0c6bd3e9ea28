import { describe, expect, it } from 'vitest';
import { makeResult } from '../../../../server/src/alerts/alertScripts.ts';
import { classStep } from '../../../../server/src/coverage/classScripts.ts';

describe('classStep', () => {
  it('gives each location of a class batch its deadline from its visit or the period start, whichever is later', () => {
    // gap 30 min, since 1000, lead 6 min: L-1 last visited before the period (counts from since), L-2 after.
    const step = classStep(makeResult('ok', '', [], [], ['#uncovered,1800000,1000,360000=L-1\t0\tL-2\t5000']));
    expect(step.changes).toEqual([
      { id: 'L-1', state: 'uncovered', deadline: 1_801_000, dueAt: 1_441_000 },
      { id: 'L-2', state: 'uncovered', deadline: 1_805_000, dueAt: 1_445_000 },
    ]);
    expect(step.reload).toBe(false);
  });

  it('reads one location, a location leaving every key period, and a reload, in the order reported', () => {
    const step = classStep(makeResult('ok', '', [], [], ['L-1=covered,9000,8000', 'L-2=inactive', '*=reload']));
    expect(step.changes).toEqual([
      { id: 'L-1', state: 'covered', deadline: 9000, dueAt: 8000 },
      { id: 'L-2', state: 'inactive', deadline: null, dueAt: null },
    ]);
    expect(step.reload).toBe(true);
  });

  it('counts the alerts the script raised and resolved', () => {
    const alert = (id: string, state: string) => JSON.stringify({ id, kind: 'uncovered', subject: 'T-A', level: 1, state, at: 1, raisedAt: 1 });
    const step = classStep(makeResult('more', '', [alert('1', 'raised')], [alert('2', 'resolved')]));
    expect(step).toMatchObject({ status: 'more', raised: 1, resolved: 1 });
  });
});
