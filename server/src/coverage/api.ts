/**
 * Shapes of the coverage and alert API (re-exported by api.ts, imported by the web as types):
 * coverage colours per location, counts per township and grid, the alert panel, nearest teams,
 * key periods, rules and plan templates, reports.
 */
import type { Agency, CoverageRule, CoverageState, KeyPeriod, LocationCategory, PeriodKind, PlanTemplate, PlanWarning } from '@lianfang/geo';

export type { CoverageRule, CoverageState, DailyHours, KeyPeriod, PeriodKind, PeriodScope, PlanTemplate, PlanWarning, TemplateRule } from '@lianfang/geo';

/** How many locations are in each state. */
export interface CoverageCounts {
  covered: number;
  due_soon: number;
  uncovered: number;
  inactive: number;
}

/** A period on right now, with the stretch it is in. */
export interface ActivePeriod {
  id: string;
  name: string;
  kind: PeriodKind;
  /** The current active stretch, epoch ms. */
  start: number;
  end: number;
}

/**
 * GET /api/coverage: the whole county in one compact document (gzip ~40 KB for 5,000
 * locations). Live changes follow as `coverage:changed`; reload after a reconnect.
 */
export interface CoverageSnapshot {
  at: number;
  /** Every key location → its state (`inactive`: no key period applies to it now). */
  states: Record<string, CoverageState>;
  /** Locations in a key period → deadline, epoch ms: uncovered after it. */
  deadlines: Record<string, number>;
  /** Locations in a key period → when they turn (turned) due soon. */
  dueAt: Record<string, number>;
  townships: Record<string, CoverageCounts>;
  grids: Record<string, CoverageCounts>;
  totals: CoverageCounts;
  activePeriods: ActivePeriod[];
  /** E.g. the holiday calendar has no data for this year. */
  warnings: PlanWarning[];
  /** When the next key period starts or ends (requirements change), epoch ms. */
  nextChange: number | null;
}

/** GET /api/coverage/townships */
export interface TownshipCoverageResponse {
  at: number;
  townships: Record<string, CoverageCounts>;
  totals: CoverageCounts;
}

/** GET /api/coverage/grids */
export interface GridCoverageResponse {
  at: number;
  grids: Record<string, CoverageCounts>;
  totals: CoverageCounts;
}

/** One location's new state, as `coverage:changed` carries it. */
export interface LocationCoverageChange {
  id: string;
  state: CoverageState;
  deadline: number | null;
  dueAt: number | null;
}

/** GET /api/coverage/locations/:id */
export interface LocationCoverageDetail extends LocationCoverageChange {
  name: string;
  category: LocationCategory;
  priority: 1 | 2 | 3;
  /** After a key grid raised it. */
  effectivePriority: 1 | 2 | 3;
  gridId: string | null;
  townshipId: string | null;
  keyGrid: boolean;
  /** What it must get now; null outside key periods. */
  requirement: {
    gapMinutes: number;
    minAgencies: number;
    /** When this requirement took effect. */
    since: number;
    ruleId: string;
    ruleName: string | null;
    periods: { id: string; name: string; kind: PeriodKind }[];
  } | null;
  /** Latest visit of each agency, newest first. */
  lastVisits: { agency: string; time: number; teamId: string }[];
  /** Its township's open coverage alert of the state it is in (uncovered, due soon), if any. */
  alerts: AlertView[];
}

/** A team that could go to a location. */
export interface CandidateTeam {
  id: string;
  callSign: string;
  agency: Agency;
  /** Tracking's derived status; `on_patrol` teams are the available ones. */
  status: 'off_duty' | 'on_patrol' | 'responding' | 'offline';
  available: boolean;
  /** Straight-line metres from the location. */
  distance: number;
  lon: number;
  lat: number;
  /** Fix time of the position, epoch ms. */
  time: number | null;
}

/** GET /api/coverage/locations/:id/teams?limit=&radius=&all= : nearest first. */
export interface NearestTeamsResponse {
  locationId: string;
  lon: number;
  lat: number;
  teams: CandidateTeam[];
}

/** POST /api/coverage/locations/:id/send → 200 */
export interface SendTeamResponse {
  locationId: string;
  teamId: string;
  sentAt: number;
  /** The location's open alerts, now noting who was sent. */
  alerts: AlertView[];
}

/** A period as listed: with whether it is on now and its next active stretch. */
export interface PeriodView extends KeyPeriod {
  activeNow: boolean;
  /** The current or next active stretch within 35 days, epoch ms. */
  next: { start: number; end: number } | null;
}

/** GET /api/coverage/periods */
export interface PeriodsResponse {
  periods: PeriodView[];
  timeZone: string;
  warnings: PlanWarning[];
}

/** GET /api/coverage/rules */
export interface RulesResponse {
  rules: CoverageRule[];
}

/** GET /api/coverage/templates */
export interface TemplatesResponse {
  templates: PlanTemplate[];
}

/** POST /api/coverage/templates/:id/apply → 201 */
export interface ApplyTemplateResponse {
  period: KeyPeriod;
  rules: CoverageRule[];
}

/** GET /api/coverage/calendar?year= : the built-in holidays of a year, and whether it has any data. */
export interface CalendarResponse {
  year: number;
  /** False when the holiday calendar holds no official data for the year: holiday periods are then not active. */
  known: boolean;
  message: string | null;
  holidays: { date: string; name: string; nameEn: string }[];
  /** Official make-up working days (调休上班): ordinary working days for coverage. */
  makeUpWorkdays: { date: string; name: string; nameEn: string }[];
}

export interface CoverageReportRow {
  locationId: string;
  name: string;
  category: LocationCategory;
  priority: 1 | 2 | 3;
  townshipId: string | null;
  gridId: string | null;
  visits: number;
  agencies: string[];
  /** Key-period time within the report window, minutes. */
  activeMinutes: number;
  /** Share of that time it was covered, 0–1; null when no key period applied. */
  coveredShare: number | null;
  longestGapMinutes: number;
}

/** GET /api/coverage/report?from=&to=|periodId=[&townshipId=][&format=csv] */
export interface CoverageReportResponse {
  from: number;
  to: number;
  periodId: string | null;
  rows: CoverageReportRow[];
}

/* ---------- Alerts (告警) ---------- */

/**
 * uncovered key locations 未覆盖 and due soon 即将超时 (one alert per township: subject = the
 * township id, `locationId` null; which of its locations are in that state is the live coverage),
 * team offline while on duty, team outside its grids, SOS, an incident's step late (事件超时:
 * subject = the incident id).
 */
export type AlertKind = 'uncovered' | 'due_soon' | 'team_offline' | 'team_outside' | 'sos' | 'incident_late';
/** raised → acknowledged (确认) → resolved. */
export type AlertState = 'raised' | 'acknowledged' | 'resolved';

export interface AlertView {
  id: string;
  kind: AlertKind;
  state: AlertState;
  /** 2 once nobody acknowledged it within ESCALATE_AFTER_MIN: leaders see those. */
  level: 1 | 2;
  locationId: string | null;
  teamId: string | null;
  /** The incident a late-step alert (`incident_late`) is about; null for every other kind. */
  incidentId: string | null;
  /** Location name, township name (coverage alerts) or team call sign. */
  title: string;
  townshipId: string | null;
  gridId: string | null;
  /** When the condition began (the deadline that passed, when the team went offline), epoch ms. */
  at: number;
  /** When the alert was raised (later than `at` after a restart caught up). */
  raisedAt: number;
  deadline: number | null;
  lon: number | null;
  lat: number | null;
  note: string | null;
  acknowledged: { by: string; at: number; note: string | null } | null;
  resolved: { by: string; at: number; reason: string; note: string | null } | null;
  escalatedAt: number | null;
  /** The latest team sent; for a township's coverage alert, to which of its locations. */
  sent: { teamId: string; by: string; at: number; locationId: string | null } | null;
  /** Every transition, oldest first: raised, acknowledged, escalated, sent, resolved. */
  history: { event: AlertLogEntry['event']; by: string; at: number; note: string | null }[];
}

/** GET /api/alerts: most urgent first (level, kind, unacknowledged first, oldest first). */
export interface AlertsResponse {
  alerts: AlertView[];
  at: number;
}

/** POST /api/alerts/:id/acknowledge, /resolve → 200 (also when it already was: `changed` false). */
export interface AlertActionResponse {
  alert: AlertView;
  changed: boolean;
}

/** One transition in the alert record (alerts:log). */
export interface AlertLogEntry {
  /** Stream entry id: pass as `before` to page back. */
  id: string;
  alertId: string;
  kind: AlertKind;
  subject: string;
  event: 'raised' | 'acknowledged' | 'escalated' | 'resolved' | 'sent';
  level: 1 | 2;
  state: AlertState;
  by: string;
  note: string;
  at: number;
}

/** GET /api/alerts/log?before=&limit= : newest first. */
export interface AlertLogResponse {
  entries: AlertLogEntry[];
  /** Pass as `before` for the previous page; null at the beginning. */
  before: string | null;
}
