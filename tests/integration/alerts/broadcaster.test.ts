/**
 * What the maps hear about alerts: coalesced per tick with each alert's newest form, and one
 * small reload message instead of megabytes when a tick changes hundreds at once.
 */
import { describe, expect, it } from 'vitest';
import type { AlertsBatch } from '@lianfang/server/events';
import { AlertBroadcaster, RELOAD_OVER } from '../../../server/src/alerts/broadcaster.ts';
import { makeResult, type StoredAlert } from '../../../server/src/alerts/alertScripts.ts';

const alert = (id: number, state = 'raised'): string => JSON.stringify({ id: String(id), kind: 'uncovered', subject: `L${id}`, level: 1, state, at: 1, raisedAt: 1 } satisfies StoredAlert);

function broadcaster() {
  const sent: { event: string; batch: AlertsBatch }[] = [];
  const b = new AlertBroadcaster((event, batch) => sent.push({ event, batch }), (a) => ({ id: a.id, state: a.state }) as never, () => 42, 1000);
  return { b, sent };
}

describe(AlertBroadcaster.name, () => {
  it('sends an alert raised and acknowledged within one tick once, as raised, in its acknowledged form', () => {
    const { b, sent } = broadcaster();
    b.push(makeResult('ok', '', [alert(1)], []));
    b.push(makeResult('ok', '', [], [alert(1, 'acknowledged'), alert(2, 'resolved')]));
    b.flush();
    expect(sent.map((s) => [s.event, s.batch.alerts])).toEqual([
      ['alert:raised', [{ id: '1', state: 'acknowledged' }]],
      ['alert:updated', [{ id: '2', state: 'resolved' }]],
    ]);
    b.flush();
    expect(sent).toHaveLength(2);
  });

  it(`tells the maps to reload instead of sending over ${RELOAD_OVER} alerts at once`, () => {
    const { b, sent } = broadcaster();
    b.push(makeResult('ok', '', Array.from({ length: RELOAD_OVER + 1 }, (_, i) => alert(i)), []));
    b.push(makeResult('ok', '', [alert(9999)], []));
    b.flush();
    expect(sent).toEqual([{ event: 'alert:updated', batch: { alerts: [], reload: true, at: 42 } }]);
    b.push(makeResult('ok', '', [alert(10_000)], []));
    b.flush();
    expect(sent[1]?.event).toBe('alert:raised');
  });
});
