/**
 * The coverage API's shapes: colours per key location, counts per township and grid, one
 * location's details, the teams that could go there, and the coverage report. The plan's shapes
 * (periods, rules, templates, calendar) are in planSchemas.ts. Types are `Static<typeof …>`.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { AGENCIES, LOCATION_CATEGORIES, PERIOD_KINDS } from '@lianfang/geo';
import { IntegerEnum, Nullable, StringEnum } from '../schemaKit.ts';
import { TEAM_STATUSES } from '../teams/schemas.ts';
import { AlertSchema } from '../alerts/schemas.ts';
import { Id, WarningSchema } from './planSchemas.ts';

export type { CoverageState } from '@lianfang/geo';

const COVERAGE_STATES = ['covered', 'due_soon', 'uncovered', 'inactive'] as const;
const State = StringEnum(COVERAGE_STATES);
const Priority = IntegerEnum([1, 2, 3]);

/** How many locations are in each state. */
export const CountsSchema = T.Object({ covered: T.Integer(), due_soon: T.Integer(), uncovered: T.Integer(), inactive: T.Integer() });
export type CoverageCounts = Static<typeof CountsSchema>;

/** A period on right now, with the stretch it is in (epoch ms). */
export const ActivePeriodSchema = T.Object({ id: T.String(), name: T.String(), kind: StringEnum(PERIOD_KINDS), start: T.Number(), end: T.Number() });
export type ActivePeriod = Static<typeof ActivePeriodSchema>;

/**
 * GET /api/coverage: the whole county in one compact document (gzip ~40 KB for 5,000
 * locations). Live changes follow as `coverage:changed`; reload after a reconnect.
 */
export const SnapshotSchema = T.Object({
  at: T.Number(),
  /** Every key location → its state (`inactive`: no key period applies to it now). */
  states: T.Record(T.String(), State),
  /** Locations in a key period → deadline, epoch ms: uncovered after it. */
  deadlines: T.Record(T.String(), T.Number()),
  /** Locations in a key period → when they turn (turned) due soon. */
  dueAt: T.Record(T.String(), T.Number()),
  townships: T.Record(T.String(), CountsSchema),
  grids: T.Record(T.String(), CountsSchema),
  totals: CountsSchema,
  activePeriods: T.Array(ActivePeriodSchema),
  warnings: T.Array(WarningSchema),
  /** When the next key period starts or ends (requirements change), epoch ms. */
  nextChange: Nullable(T.Number()),
});
export type CoverageSnapshot = Static<typeof SnapshotSchema>;

/** GET /api/coverage/townships */
export const TownshipCountsSchema = T.Object({ at: T.Number(), townships: T.Record(T.String(), CountsSchema), totals: CountsSchema });
export type TownshipCoverageResponse = Static<typeof TownshipCountsSchema>;
/** GET /api/coverage/grids */
export const GridCountsSchema = T.Object({ at: T.Number(), grids: T.Record(T.String(), CountsSchema), totals: CountsSchema });
export type GridCoverageResponse = Static<typeof GridCountsSchema>;

const ChangeFields = { id: T.String(), state: State, deadline: Nullable(T.Number()), dueAt: Nullable(T.Number()) };
/** One location's new state, as `coverage:changed` carries it. */
export const LocationCoverageChangeSchema = T.Object(ChangeFields);
export type LocationCoverageChange = Static<typeof LocationCoverageChangeSchema>;

/** GET /api/coverage/locations/:id */
export const LocationCoverageDetailSchema = T.Object({
  ...ChangeFields,
  name: T.String(),
  category: StringEnum(LOCATION_CATEGORIES),
  priority: Priority,
  /** After a key grid raised it. */
  effectivePriority: Priority,
  gridId: Nullable(T.String()),
  townshipId: Nullable(T.String()),
  keyGrid: T.Boolean(),
  /** What it must get now; null outside key periods. */
  requirement: Nullable(
    T.Object({
      gapMinutes: T.Number(),
      minAgencies: T.Integer(),
      /** When this requirement took effect. */
      since: T.Number(),
      ruleId: T.String(),
      ruleName: Nullable(T.String()),
      periods: T.Array(T.Object({ id: T.String(), name: T.String(), kind: StringEnum(PERIOD_KINDS) })),
    }),
  ),
  /** Latest visit of each agency, newest first. */
  lastVisits: T.Array(T.Object({ agency: T.String(), time: T.Number(), teamId: T.String() })),
  /** Its township's open coverage alert of the state it is in (uncovered, due soon), if any. */
  alerts: T.Array(AlertSchema),
});
export type LocationCoverageDetail = Static<typeof LocationCoverageDetailSchema>;

/** A team that could go to a location. */
export const CandidateSchema = T.Object({
  id: T.String(),
  callSign: T.String(),
  agency: StringEnum(AGENCIES),
  /** Tracking's derived status; `on_patrol` teams are the available ones. */
  status: StringEnum(TEAM_STATUSES),
  available: T.Boolean(),
  /** Straight-line metres from the location. */
  distance: T.Number(),
  lon: T.Number(),
  lat: T.Number(),
  /** Fix time of the position, epoch ms. */
  time: Nullable(T.Number()),
});
export type CandidateTeam = Static<typeof CandidateSchema>;

/** GET /api/coverage/locations/:id/teams?limit=&radius=&all= : nearest first. */
export const NearestTeamsSchema = T.Object({ locationId: T.String(), lon: T.Number(), lat: T.Number(), teams: T.Array(CandidateSchema) });
export type NearestTeamsResponse = Static<typeof NearestTeamsSchema>;
export const NearestTeamsQuery = T.Object({
  limit: T.Optional(T.Integer({ minimum: 1, maximum: 50 })),
  radius: T.Optional(T.Integer({ minimum: 100, maximum: 100_000 })),
  all: T.Optional(T.Boolean()),
});

/** POST /api/coverage/locations/:id/send { teamId, note? } → 200 */
export const SendTeamBody = T.Object({ teamId: Id, note: T.Optional(T.String({ maxLength: 500 })) });
export const SendTeamSchema = T.Object({
  locationId: T.String(),
  teamId: T.String(),
  sentAt: T.Number(),
  /** The location's open alerts, now noting who was sent. */
  alerts: T.Array(AlertSchema),
});
export type SendTeamResponse = Static<typeof SendTeamSchema>;

export const CoverageReportRowSchema = T.Object({
  locationId: T.String(),
  name: T.String(),
  category: StringEnum(LOCATION_CATEGORIES),
  priority: Priority,
  townshipId: Nullable(T.String()),
  gridId: Nullable(T.String()),
  visits: T.Integer(),
  agencies: T.Array(T.String()),
  /** Key-period time within the report window, minutes. */
  activeMinutes: T.Number(),
  /** Share of that time it was covered, 0–1; null when no key period applied. */
  coveredShare: Nullable(T.Number()),
  longestGapMinutes: T.Number(),
});
export type CoverageReportRow = Static<typeof CoverageReportRowSchema>;

/** GET /api/coverage/report?from=&to=|periodId=[&townshipId=][&format=csv] (CSV: the same rows as text/csv). */
export const CoverageReportSchema = T.Object({ from: T.Number(), to: T.Number(), periodId: Nullable(T.String()), rows: T.Array(CoverageReportRowSchema) });
export type CoverageReportResponse = Static<typeof CoverageReportSchema>;
export const CoverageReportQuery = T.Object({
  from: T.Optional(T.Integer({ minimum: 0 })),
  to: T.Optional(T.Integer({ minimum: 0 })),
  periodId: T.Optional(Id),
  townshipId: T.Optional(Id),
  format: T.Optional(T.Union([T.Literal('json'), T.Literal('csv')])),
});
