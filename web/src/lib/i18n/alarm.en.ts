import type { alarmZh } from './alarm.zh';

export const alarmEn = {
  'alarm.sos': 'SOS from {team}',
  'alarm.locate': 'Locate',
  'alarm.acknowledge': 'Acknowledge',
  'alarm.moreSos': '{n} more SOS in the alert panel',
  'alarm.help': 'New help request: {place}',
  'alarm.escalation': 'Alert escalated: {kind} · {title}',
  'alarm.view': 'View',
  'alarm.silence': 'Got it',
  'alarm.enableSound': 'Click to enable alarm sound',
  'alarm.mute': 'Mute the alarm',
  'alarm.unmute': 'Unmute the alarm',
  'alarm.muted': 'Sound off',
  'alarm.soundOn': 'Alarm sound',
  'alarm.leaderEscalations': 'Alert me to escalations',
  'alarm.notify.sos': 'SOS: {team}',
  'alarm.notify.escalation': 'Alert escalated: {title}',
  'alarm.notify.help': 'New help request',
} as const satisfies Record<keyof typeof alarmZh, string>;
