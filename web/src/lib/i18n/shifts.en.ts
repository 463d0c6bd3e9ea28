/** The shift form's list of a team's shifts and the patrol page's shift card, in English. */
import type { shiftsZh } from './shifts.zh';

export const shiftsEn = {
  'shifts.list': "The team's current and upcoming shifts",
  'shifts.loading': 'Loading shifts…',
  'shifts.loadFailed': 'Could not load the shifts: {reason}',
  'shifts.none': 'No current or upcoming shift',
  'shifts.now': 'Now',
  'shifts.upcoming': 'Upcoming',
  'shifts.range': '{from} – {to}',
  'shifts.cancel': 'Cancel',
  'shifts.cancelLabel': 'Cancel the shift {range}',
  'shifts.confirm': 'Cancel this shift?',
  'shifts.confirmYes': 'Yes, cancel it',
  'shifts.confirmNo': 'Keep it',
  'shifts.proposed': "Proposed: the team's next free slot ({hours} hours)",
  'shifts.overlap': "It overlaps the team's shift {from} – {to}{places}; choose another time",
  'shifts.overlapPlaces': ' ({names})',
  'shifts.patrol.title': 'Shifts',
  'shifts.patrol.current': 'Current shift',
  'shifts.patrol.next': 'Next shift',
  'shifts.patrol.noCurrent': 'No shift now',
  'shifts.patrol.noNext': 'No shift after this',
  'shifts.patrol.places': 'Patrol: {names}',
} as const satisfies Record<keyof typeof shiftsZh, string>;
