/**
 * The leaders' wall's figures (领导大屏): one small document, computed from what Redis already
 * holds (team registry and statuses, the coverage snapshot, the open incidents and alerts), so a
 * wall polling every few seconds scans no history.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { AGENCIES, DISPUTE_LEVELS } from '@lianfang/geo';
import { ALERT_KINDS } from '../alerts/schemas.ts';
import { Nullable, StringEnum } from '../schemaKit.ts';

export const AgencyFiguresSchema = T.Object({
  agency: StringEnum(AGENCIES),
  /** Teams on patrol or responding now. */
  onPatrol: T.Integer(),
  responding: T.Integer(),
  total: T.Integer(),
});

export const TownshipCoverageSchema = T.Object({
  id: T.String(),
  name: T.String(),
  /** Key locations in a key period now, and of those uncovered (due soon counts as still covered). */
  active: T.Integer(),
  uncovered: T.Integer(),
  dueSoon: T.Integer(),
  /** Covered share of the active ones, 0–1; null when none is active. */
  share: Nullable(T.Number()),
});

export const WallAlertSchema = T.Object({
  id: T.String(),
  kind: StringEnum(ALERT_KINDS),
  level: T.Integer(),
  title: T.String(),
  townshipId: Nullable(T.String()),
  raisedAt: T.Number(),
});

/** The county day so far, from the assessment report's tally (counted as facts happen). */
export const TodayFiguresSchema = T.Object({
  /** The county day, YYYY-MM-DD. */
  day: T.String(),
  /** Incidents reported today. */
  incidents: T.Integer(),
  /** Median minutes from dispatch to accept, and to arrival, of today's accepts and arrivals; null with none. */
  acceptMedianMin: Nullable(T.Number()),
  arriveMedianMin: Nullable(T.Number()),
});

/** A mediation level this month: disputes that reached it (reported: village; passed up: above) and that were settled there. */
export const DisputeLevelFiguresSchema = T.Object({ level: StringEnum(DISPUTE_LEVELS), reached: T.Integer(), settled: T.Integer() });

/** GET /api/wall/figures */
export const WallFiguresSchema = T.Object({
  at: T.Number(),
  /** 'county', or the township ids the caller sees (a township display, a coordinator). */
  scope: T.Union([T.Literal('county'), T.Array(T.String())]),
  /** An event display's event (its wall shows the event's board, GET /api/events/:id/board); null otherwise. */
  eventId: Nullable(T.String()),
  teams: T.Array(AgencyFiguresSchema),
  coverage: T.Object({
    active: T.Integer(),
    uncovered: T.Integer(),
    dueSoon: T.Integer(),
    share: Nullable(T.Number()),
    /** Worst first: most uncovered, then lowest share. */
    townships: T.Array(TownshipCoverageSchema),
  }),
  incidents: T.Object({ open: T.Integer(), late: T.Integer() }),
  today: TodayFiguresSchema,
  /** This county month so far, village, township, county. */
  disputes: T.Array(DisputeLevelFiguresSchema),
  /** Open SOS alerts and alerts escalated to level 2, newest first, at most 20. */
  alerts: T.Array(WallAlertSchema),
  /** How many such alerts are open in all (beyond the 20 listed). */
  alertCount: T.Integer(),
});
export type WallFigures = Static<typeof WallFiguresSchema>;
export type TownshipCoverageFigures = Static<typeof TownshipCoverageSchema>;
export type TodayFigures = Static<typeof TodayFiguresSchema>;
export type DisputeLevelFigures = Static<typeof DisputeLevelFiguresSchema>;
