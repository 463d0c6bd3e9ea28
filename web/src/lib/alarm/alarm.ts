/**
 * What the command map sounds for (警报), as plain functions: an SOS nobody has acknowledged, an
 * escalated alert nobody has acknowledged, a resident's help request nobody has seen or dispatched yet.
 * Each keeps sounding until someone acts on it (or this screen silences it); the most urgent
 * sound wins. Leaders act on nothing: they hear only escalations, and only if they asked to.
 */
import type { AlertView, IncidentView, Role } from '@lianfang/server/api';
import { isOpenSos } from '../live/alerts';

export const ALARM_SOUNDS = ['sos', 'escalation', 'help'] as const;
export type AlarmSound = (typeof ALARM_SOUNDS)[number];

/** Something that sounds: an alert or a help request, by a key unique across both. */
export interface AlarmItem {
  key: string;
  sound: AlarmSound;
  /** When it began, epoch ms: the newest is the one a notification names. */
  at: number;
  alert?: AlertView;
  incident?: IncidentView;
}

export interface AlarmPrefs {
  /** A leader asked to hear escalations. */
  leaderEscalations: boolean;
}

/** Who hears what: the command centre everything, a coordinator SOS and escalations, a leader escalations if asked. */
function hears(role: Role | undefined, sound: AlarmSound, prefs: AlarmPrefs): boolean {
  if (role === 'admin' || role === 'dispatcher') return true;
  if (role === 'coordinator') return sound !== 'help';
  if (role === 'leader') return sound === 'escalation' && prefs.leaderEscalations;
  return false;
}

/** Everything that should be sounding for this user now, most urgent first. */
export function alarmItems(alerts: readonly AlertView[], incidents: readonly IncidentView[], role: Role | undefined, prefs: AlarmPrefs): AlarmItem[] {
  const items: AlarmItem[] = [];
  for (const alert of alerts) {
    if (isOpenSos(alert)) items.push({ key: `alert:${alert.id}`, sound: 'sos', at: alert.raisedAt, alert });
    else if (alert.level > 1 && alert.state === 'raised') items.push({ key: `alert:${alert.id}:escalated`, sound: 'escalation', at: alert.escalatedAt ?? alert.raisedAt, alert });
  }
  for (const incident of incidents) {
    if (incident.source === 'public' && incident.state === 'new' && incident.acknowledged === null) items.push({ key: `incident:${incident.id}`, sound: 'help', at: incident.createdAt, incident });
  }
  const rank = (s: AlarmSound) => ALARM_SOUNDS.indexOf(s);
  return items.filter((i) => hears(role, i.sound, prefs)).sort((a, b) => rank(a.sound) - rank(b.sound) || b.at - a.at);
}

/** The sound to play: the most urgent item not silenced on this screen; null for quiet. */
export function alarmSound(items: readonly AlarmItem[], silenced: ReadonlySet<string>): AlarmSound | null {
  return items.find((i) => !silenced.has(i.key))?.sound ?? null;
}

/** Items that began sounding since `known` was taken: what a background tab notifies about. */
export function newItems(items: readonly AlarmItem[], known: ReadonlySet<string>): AlarmItem[] {
  return items.filter((i) => !known.has(i.key));
}
