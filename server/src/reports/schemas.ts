/** Shapes of the assessment report (考核报表): its query and its rows. */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../schemaKit.ts';

export const REPORT_GROUP_BYS = ['member', 'team', 'agency', 'organisation', 'township'] as const;
export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;

const Day = T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a county day, YYYY-MM-DD' });
const Id = T.String({ minLength: 1, maxLength: 64 });

export const AssessmentQuery = T.Object({
  from: Day,
  to: Day,
  groupBy: StringEnum(REPORT_GROUP_BYS),
  format: T.Optional(StringEnum(REPORT_FORMATS)),
  /** Drill-down: only this township's (organisation's, agency's, team's) rows. */
  township: T.Optional(Id),
  organisation: T.Optional(Id),
  agency: T.Optional(Id),
  team: T.Optional(Id),
  /** 'previous': also the figures of the period of the same length just before. */
  compare: T.Optional(StringEnum(['previous'])),
  /** The file's words (csv, xlsx): Chinese (default) or English. */
  lang: T.Optional(StringEnum(['zh', 'en'])),
});
export type AssessmentQuery = Static<typeof AssessmentQuery>;

const Count = T.Integer({ minimum: 0 });
const Minutes = Nullable(T.Number());

export const AssessmentFiguresSchema = T.Object({
  dutyHours: T.Number(),
  distanceKm: T.Number(),
  visits: Count,
  requiredVisits: Count,
  onTimeShare: Nullable(T.Number()),
  missedDeadlines: Count,
  lateVisits: Count,
  longestLapseMin: Minutes,
  dispatched: Count,
  accepted: Count,
  arrived: Count,
  resolved: Count,
  acceptMedianMin: Minutes,
  acceptP90Min: Minutes,
  arriveMedianMin: Minutes,
  arriveP90Min: Minutes,
  lateSteps: Count,
  disputesSettled: T.Object({ village: Count, township: Count, county: Count }),
  disputesPassedUp: Count,
  sos: Count,
  orders: Count,
  ordersLate: Count,
  ordersUnanswered: Count,
  dispatchesLate: Count,
  dispatchesUnanswered: Count,
});
export type AssessmentFigures = Static<typeof AssessmentFiguresSchema>;

export const AssessmentRowSchema = T.Composite([T.Object({ key: T.String(), label: T.String(), teams: Count }), AssessmentFiguresSchema]);
export type AssessmentRow = Static<typeof AssessmentRowSchema>;

const Drill = Nullable(T.Object({ groupBy: StringEnum(REPORT_GROUP_BYS), param: StringEnum(['township', 'organisation', 'agency', 'team']) }));

export const AssessmentReportSchema = T.Object({
  from: T.String(),
  to: T.String(),
  groupBy: StringEnum(REPORT_GROUP_BYS),
  county: T.String({ description: "the county's name (print header)" }),
  /** The filter applied (a coordinator's organisation always). */
  filter: T.Object({ township: T.Optional(T.String()), organisation: T.Optional(T.String()), agency: T.Optional(T.String()), team: T.Optional(T.String()) }),
  /** Where a row leads: the next grouping, filtered by `param` = the row's key. */
  drill: Drill,
  rows: T.Array(AssessmentRowSchema),
  total: AssessmentRowSchema,
  previous: T.Optional(T.Object({ from: T.String(), to: T.String(), rows: T.Array(AssessmentRowSchema), total: AssessmentRowSchema })),
  /** When the figures were read (the report counts facts recorded until then). */
  at: T.Number(),
});
export type AssessmentReport = Static<typeof AssessmentReportSchema>;
