/** Shapes of the daily briefing (日报): the previous county day in a page. */
import { Type as T, type Static } from '@sinclair/typebox';
import { INCIDENT_ACTIONS, INCIDENT_STATES } from '@lianfang/geo';
import { Nullable, StringEnum } from '../schemaKit.ts';

const Count = T.Integer({ minimum: 0 });
const Minutes = Nullable(T.Number());

export const BriefingQuery = T.Object({ day: T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a county day, YYYY-MM-DD' }) });

export const BriefingSchema = T.Object({
  day: T.String(),
  county: T.String(),
  /** When it was compiled (epoch ms): alerts and incident states are as they stood then. */
  at: T.Number(),
  /** true: the briefing the morning run stored (and sent); false: compiled on request, the day not produced yet. */
  produced: T.Boolean(),
  headline: T.Object({
    /** Teams with any duty time that day. */
    teamsOnDuty: Count,
    dutyHours: T.Number(),
    distanceKm: T.Number(),
    visits: Count,
    requiredVisits: Count,
    onTimeShare: Nullable(T.Number()),
    missedDeadlines: Count,
    /** Incidents reported that day, by their state when the briefing was compiled. */
    incidents: T.Object({ reported: Count, byState: T.Record(T.String(), Count) }),
    dispatched: Count,
    accepted: Count,
    arrived: Count,
    resolved: Count,
    acceptMedianMin: Minutes,
    arriveMedianMin: Minutes,
    lateSteps: Count,
    sos: Count,
  }),
  /** The townships with the most missed deadlines (at most 5, none with 0). */
  lapses: T.Array(T.Object({ townshipId: T.String(), name: T.String(), missed: Count, requiredVisits: Count, longestLapseMin: Minutes })),
  /** The day's incident_late alerts, oldest first. */
  lateIncidents: T.Array(
    T.Object({
      incidentId: T.String(),
      title: T.String(),
      township: Nullable(T.String()),
      step: Nullable(StringEnum(INCIDENT_ACTIONS)),
      deadline: T.Number(),
      /** Minutes past the deadline until the step was done, or until the briefing was compiled while it was not. */
      lateMin: T.Number(),
      done: T.Boolean(),
    }),
  ),
  disputes: T.Object({ settled: T.Object({ village: Count, township: Count, county: Count }), passedUp: Count }),
  /** Major events held that day, SOS raised, alerts escalated to level 2; by time. */
  notable: T.Array(
    T.Object({
      kind: StringEnum(['event', 'sos', 'escalated']),
      at: T.Number(),
      /** A major event's end; null for the others. */
      end: Nullable(T.Number()),
      /** The event's name, the team's call sign, the escalated alert's title. */
      title: T.String(),
      /** SOS: the township; escalated: the alert's kind; event: ''. */
      detail: T.String(),
    }),
  ),
});
export type Briefing = Static<typeof BriefingSchema>;
export type BriefingIncidentState = (typeof INCIDENT_STATES)[number];
