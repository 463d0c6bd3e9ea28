import { describe, expect, it } from 'vitest';
import type { AlertView, IncidentView } from '@lianfang/server/api';
import { alarmItems, alarmSound, newItems } from '../../../web/src/lib/alarm/alarm.ts';
import { toneWav } from '../../../web/src/lib/alarm/tones.ts';

const T = 1_800_000_000_000;
const alert = (id: string, o: Partial<AlertView>) => ({ id, kind: 'uncovered', state: 'raised', level: 1, raisedAt: T, escalatedAt: null, ...o }) as AlertView;
const help = (id: string, o: Partial<IncidentView> = {}) => ({ id, source: 'public', state: 'new', acknowledged: null, createdAt: T, ...o }) as IncidentView;
const prefs = { leaderEscalations: false };

describe(alarmItems.name, () => {
  const alerts = [alert('u', {}), alert('esc', { level: 2, escalatedAt: T + 5 }), alert('sos', { kind: 'sos' }), alert('sos-acked', { kind: 'sos', state: 'acknowledged' })];
  const incidents = [help('h1'), help('seen', { acknowledged: { by: 'd', at: T } }), help('sent', { state: 'dispatched' }), help('own', { source: 'patrol' })];

  it('sounds for an unacknowledged SOS first, then an escalation, then a help request nobody has seen', () => {
    expect(alarmItems(alerts, incidents, 'dispatcher', prefs).map((i) => [i.key, i.sound])).toEqual([
      ['alert:sos', 'sos'],
      ['alert:esc:escalated', 'escalation'],
      ['incident:h1', 'help'],
    ]);
  });

  it('lets a leader hear escalations only, and only when asked; a coordinator no help requests', () => {
    expect(alarmItems(alerts, incidents, 'leader', prefs)).toEqual([]);
    expect(alarmItems(alerts, incidents, 'leader', { leaderEscalations: true }).map((i) => i.sound)).toEqual(['escalation']);
    expect(alarmItems(alerts, incidents, 'coordinator', prefs).map((i) => i.sound)).toEqual(['sos', 'escalation']);
  });
});

describe(alarmSound.name, () => {
  it('plays the most urgent item not silenced on this screen, and nothing once all are', () => {
    const items = alarmItems([alert('sos', { kind: 'sos' }), alert('esc', { level: 2 })], [], 'dispatcher', prefs);
    expect(alarmSound(items, new Set())).toBe('sos');
    expect(alarmSound(items, new Set(['alert:sos']))).toBe('escalation');
    expect(alarmSound(items, new Set(['alert:sos', 'alert:esc:escalated']))).toBeNull();
    expect(newItems(items, new Set(['alert:sos'])).map((i) => i.key)).toEqual(['alert:esc:escalated']);
  });
});

describe(toneWav.name, () => {
  it('makes a distinct, playable WAV for each sound, without fetching anything', () => {
    const wavs = (['sos', 'escalation', 'help'] as const).map(toneWav);
    for (const wav of wavs) {
      const text = new TextDecoder().decode(wav.slice(0, 16));
      expect(text.startsWith('RIFF')).toBe(true);
      expect(text.slice(8, 16)).toBe('WAVEfmt ');
      const view = new DataView(wav.buffer);
      expect(view.getUint32(40, true)).toBe(wav.length - 44);
      expect(wav.length).toBeGreaterThan(16_000);
    }
    expect(new Set(wavs.map((w) => w.length)).size).toBe(3);
  });
});
