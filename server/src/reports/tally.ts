/**
 * The facts the assessment report (考核报表) counts, as tally lines for `redis/lua/tally.lua`:
 * each domain's script that records a fact (an incident step, an alert raised, an order sent,
 * a visit, a roll-up window) applies the lines in the same call, so a fact is counted once
 * whichever process records it, and a retry that writes nothing counts nothing. Pure: no Redis.
 *
 * Subjects: `t:<teamId>` (a team's figures), `l:<locationId>` (a key location's coverage),
 * `w:<townshipId>` (what happened with no team, e.g. a dispute settled at township level),
 * `c:` (what happened with no team outside every township: an incident reported off the grids).
 */
import { localDate } from '@lianfang/geo';

/** The figures kept per subject and day; see docs/api.md for what each one counts. */
export const FIGURES = {
  /** Seconds on duty (roll-up of positions). */
  duty: 'duty',
  /** Metres patrolled (roll-up of positions). */
  distance: 'dist',
  /** Check-ins made by the team (roll-up of the team's check-ins). */
  visits: 'visits',
  /** A required visit made before the location's deadline (subject `l:`). */
  onTime: 'onTime',
  /** A visit that ended a lapse (the location was uncovered) (subject `l:`). */
  lateVisit: 'lateVisit',
  /** A location's deadline passed without a visit (subject `l:`). */
  missed: 'missed',
  /** The longest lapse ended by a visit, seconds (subject `l:`). */
  lapseMax: 'lapseMax',
  dispatched: 'disp',
  accepted: 'acc',
  arrived: 'arr',
  resolved: 'res',
  /** Seconds from dispatch to accept, one per accept (a list). */
  acceptTimes: 'accT',
  /** Seconds from dispatch to arrival, one per arrival (a list). */
  arriveTimes: 'arrT',
  /** Late steps: incident_late alerts raised. */
  lateSteps: 'late',
  /** Late steps that were an accept: dispatches answered late. */
  dispatchLate: 'dlate',
  /** Dispatches that left the team without an accept (sent elsewhere, passed up, resolved). */
  dispatchUnanswered: 'dnone',
  /** A dispute passed up a mediation level. */
  passedUp: 'esc',
  sos: 'sos',
  /** Orders received (sent to the team). */
  orders: 'ord',
  /** Orders flagged unread past the limit (order_unread raised). */
  ordersLate: 'olate',
  /** Of those, read afterwards. */
  ordersReadLate: 'oread',
  /** An incident reported (subject `w:` of its township, `c:` with none): the wall's "today's incidents". */
  reported: 'rep',
} as const;

/** Disputes settled at a level: `settled:<level>`. */
export const settledFigure = (level: string) => `settled:${level}`;

/** Disputes that reached a mediation level (reported: village; passed up: the level above): `reached:<level>`. */
export const reachedFigure = (level: string) => `reached:${level}`;

/** Figures the wall reads that the assessment report does not show (report.ts leaves them out). */
export const isWallOnlyFigure = (figure: string) => figure === FIGURES.reported || figure.startsWith('reached:');

export type TallyOp = '+' | 'max' | 'list';

export interface TallyLine {
  day: string;
  subject: string;
  figure: string;
  op: TallyOp;
  value: number;
}

export const teamSubject = (teamId: string) => `t:${teamId}`;
export const locationSubject = (locationId: string) => `l:${locationId}`;
export const townshipSubject = (townshipId: string) => `w:${townshipId}`;
/** What happened with no team and no township (an incident reported outside every grid). */
export const COUNTY_SUBJECT = 'c:';

const clean = (s: string) => s.replace(/[\t\n|]/g, ' ');

/** The lines as the one ARGV the scripts read ('' for none). */
export function tallySpec(lines: readonly TallyLine[]): string {
  return lines.map((l) => `${l.day}\t${clean(l.subject)}\t${l.figure}\t${l.op}\t${Math.round(l.value)}`).join('\n');
}

/** Collects tally lines for the county day of each instant. */
export class Tally {
  readonly lines: TallyLine[] = [];
  constructor(private readonly timeZone: string) {}

  day(ms: number): string {
    return localDate(ms, this.timeZone);
  }

  add(at: number, subject: string, figure: string, value = 1, op: TallyOp = '+'): this {
    this.lines.push({ day: this.day(at), subject, figure, op, value });
    return this;
  }

  spec(): string {
    return tallySpec(this.lines);
  }
}

/** The parts of an incident the incident tally reads (structural: reports does not import incidents). */
export interface TalliedIncident {
  state: string;
  category: string;
  teamId: string | null;
  townshipId: string | null;
  disputeLevel?: string | null;
  history: readonly { event: string; at: number; teamId?: string | null }[];
}

/** When the incident was last dispatched (to its current team). */
function dispatchedAt(s: TalliedIncident): number | undefined {
  for (let i = s.history.length - 1; i >= 0; i--) if (s.history[i]!.event === 'dispatch') return s.history[i]!.at;
  return undefined;
}

/** The figures one incident step changes (`after` is `before` plus one step at `now`). */
export function incidentTally(before: TalliedIncident, after: TalliedIncident, now: number, timeZone: string): string {
  const t = new Tally(timeZone);
  const step = after.history[after.history.length - 1];
  if (!step) return '';
  const team = after.teamId ? teamSubject(after.teamId) : null;
  const lost = before.state === 'dispatched' && before.teamId && (after.state !== 'accepted' || after.teamId !== before.teamId);
  if (lost && step.event !== 'acknowledged') t.add(now, teamSubject(before.teamId!), FIGURES.dispatchUnanswered);
  const since = dispatchedAt(after);
  switch (step.event) {
    case 'dispatch':
      if (team) t.add(now, team, FIGURES.dispatched);
      break;
    case 'accept':
      if (team) {
        t.add(now, team, FIGURES.accepted);
        if (since !== undefined) t.add(now, team, FIGURES.acceptTimes, Math.max(0, (now - since) / 1000), 'list');
      }
      break;
    case 'arrive':
      if (team) {
        t.add(now, team, FIGURES.arrived);
        if (since !== undefined) t.add(now, team, FIGURES.arriveTimes, Math.max(0, (now - since) / 1000), 'list');
      }
      break;
    case 'resolve': {
      const subject = team ?? (after.townshipId ? townshipSubject(after.townshipId) : null);
      if (team) t.add(now, team, FIGURES.resolved);
      if (subject && after.category === 'dispute') t.add(now, subject, settledFigure(after.disputeLevel ?? 'village'));
      break;
    }
    case 'escalate': {
      const subject = before.teamId ? teamSubject(before.teamId) : after.townshipId ? townshipSubject(after.townshipId) : null;
      if (subject && after.category === 'dispute') {
        t.add(now, subject, FIGURES.passedUp);
        if (after.disputeLevel && after.disputeLevel !== before.disputeLevel) t.add(now, subject, reachedFigure(after.disputeLevel));
      }
      break;
    }
  }
  return t.spec();
}

/** The figures a new incident counts: one reported, and a dispute reaching the village level. */
export function incidentCreatedTally(incident: Pick<TalliedIncident, 'category' | 'townshipId' | 'disputeLevel'>, at: number, timeZone: string): string {
  const t = new Tally(timeZone);
  const subject = incident.townshipId ? townshipSubject(incident.townshipId) : COUNTY_SUBJECT;
  t.add(at, subject, FIGURES.reported);
  if (incident.category === 'dispute') t.add(at, subject, reachedFigure(incident.disputeLevel ?? 'village'));
  return t.spec();
}

/** The figures an alert raised counts: SOS, late steps, orders unread in time. */
export function alertRaisedTally(kind: string, fields: { teamId?: string | undefined; townshipId?: string | undefined; step?: string | undefined }, now: number, timeZone: string): string {
  const t = new Tally(timeZone);
  const subject = fields.teamId ? teamSubject(fields.teamId) : fields.townshipId ? townshipSubject(fields.townshipId) : null;
  if (!subject) return '';
  if (kind === 'sos' && fields.teamId) t.add(now, subject, FIGURES.sos);
  if (kind === 'incident_late') {
    t.add(now, subject, FIGURES.lateSteps);
    if (fields.step === 'accept' && fields.teamId) t.add(now, subject, FIGURES.dispatchLate);
  }
  if (kind === 'order_unread' && fields.teamId) t.add(now, subject, FIGURES.ordersLate);
  return t.spec();
}

/** The figures an alert resolved counts: an unread order read after all. */
export function alertResolvedTally(kind: string, subject: string, reason: string, now: number, timeZone: string): string {
  if (kind !== 'order_unread' || reason !== 'order_read') return '';
  const teamId = subject.split('/')[0];
  return teamId ? new Tally(timeZone).add(now, teamSubject(teamId), FIGURES.ordersReadLate).spec() : '';
}
