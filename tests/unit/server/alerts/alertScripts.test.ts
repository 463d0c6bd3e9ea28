import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../../server/src/alerts/alertScripts.ts';

const alert = (id: string, state: string) => JSON.stringify({ id, kind: 'sos', subject: 'team-1', level: 1, state, at: 1, raisedAt: 1 });

describe('parseReply', () => {
  it('reports an alert raised and changed in one script once, as raised, in its final form', () => {
    const r = parseReply(['ok', 'payload', 'raised:7', alert('7', 'raised'), 'updated:7', alert('7', 'acknowledged'), 'updated:3', alert('3', 'resolved')]);
    expect(r.raised.map((a) => [a.id, a.state])).toEqual([['7', 'acknowledged']]);
    expect(r.updated.map((a) => [a.id, a.state])).toEqual([['3', 'resolved']]);
    expect(r).toMatchObject({ status: 'ok', payload: 'payload', raisedCount: 1, updatedCount: 1, resolvedCount: 1 });
  });

  it('keeps the lines a script noted for its own domain, in order, apart from its alerts', () => {
    const r = parseReply(['ok', '', 'n', 'L-1=covered,2,1', 'n', '*=reload', 'raised:1', alert('1', 'raised')]);
    expect(r.notes).toEqual(['L-1=covered,2,1', '*=reload']);
    expect(r.raisedCount).toBe(1);
  });
});
