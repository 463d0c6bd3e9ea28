/** JSON schemas of the coverage plan (bodies and responses) and of coverage responses. */
import { Type as T } from '@sinclair/typebox';
import { LOCATION_CATEGORIES, PERIOD_KINDS } from '@lianfang/geo';

export const Id = T.String({ minLength: 1, maxLength: 64 });
export const ClientId = T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const ClockTime = T.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'local HH:mm' });
const LocalDateTime = T.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?$', description: 'local YYYY-MM-DD or YYYY-MM-DDTHH:mm' });
export const Category = T.Union(LOCATION_CATEGORIES.map((c) => T.Literal(c)));
export const Kind = T.Union(PERIOD_KINDS.map((k) => T.Literal(k)));
const Priority = T.Union([T.Literal(1), T.Literal(2), T.Literal(3)]);

export const Scope = T.Object({
  townshipIds: T.Optional(T.Array(Id, { maxItems: 200 })),
  gridIds: T.Optional(T.Array(Id, { maxItems: 5000 })),
  categories: T.Optional(T.Array(Category, { maxItems: LOCATION_CATEGORIES.length })),
});
const Hours = T.Object({ start: ClockTime, end: ClockTime });

/** A key period without its id (bodies of POST and PUT). */
export const PeriodFields = {
  name: T.String({ minLength: 1, maxLength: 64 }),
  kind: Kind,
  start: T.Optional(LocalDateTime),
  end: T.Optional(LocalDateTime),
  hours: T.Optional(Hours),
  holidays: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 })),
  scope: T.Optional(Scope),
  enabled: T.Optional(T.Boolean()),
};
export const PeriodBody = T.Object(PeriodFields);
export const NewPeriodBody = T.Object({ id: T.Optional(ClientId), ...PeriodFields });
export const PeriodSchema = T.Object({ id: T.String(), ...PeriodFields });

const TemplateRuleFields = {
  name: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  categories: T.Optional(T.Array(Category, { maxItems: LOCATION_CATEGORIES.length })),
  priorities: T.Optional(T.Array(Priority, { maxItems: 3 })),
  maxGapMinutes: T.Integer({ minimum: 1, maximum: 10_080 }),
  minAgencies: T.Optional(T.Integer({ minimum: 1, maximum: 5 })),
};
export const RuleFields = { ...TemplateRuleFields, periodKind: T.Optional(Kind), periodId: T.Optional(Id) };
export const RuleBody = T.Object(RuleFields);
export const NewRuleBody = T.Object({ id: T.Optional(ClientId), ...RuleFields });
export const RuleSchema = T.Object({ id: T.String(), ...RuleFields });

export const TemplateFields = {
  name: T.String({ minLength: 1, maxLength: 64 }),
  kind: Kind,
  hours: T.Optional(Hours),
  holidays: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 32 }), { maxItems: 20 })),
  rules: T.Array(T.Object(TemplateRuleFields), { minItems: 1, maxItems: 50 }),
};
export const TemplateBody = T.Object(TemplateFields);
export const NewTemplateBody = T.Object({ id: T.Optional(ClientId), ...TemplateFields });
export const TemplateSchema = T.Object({ id: T.String(), ...TemplateFields });

export const ApplyBody = T.Object({
  start: LocalDateTime,
  end: LocalDateTime,
  name: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  scope: T.Optional(Scope),
});

const Counts = T.Object({ covered: T.Integer(), due_soon: T.Integer(), uncovered: T.Integer(), inactive: T.Integer() });
const Warning = T.Object({ code: T.String(), year: T.Integer(), message: T.String() });
const State = T.Union(['covered', 'due_soon', 'uncovered', 'inactive'].map((s) => T.Literal(s)));

export const SnapshotSchema = T.Object({
  at: T.Number(),
  states: T.Record(T.String(), State),
  deadlines: T.Record(T.String(), T.Number()),
  dueAt: T.Record(T.String(), T.Number()),
  townships: T.Record(T.String(), Counts),
  grids: T.Record(T.String(), Counts),
  totals: Counts,
  activePeriods: T.Array(T.Object({ id: T.String(), name: T.String(), kind: T.String(), start: T.Number(), end: T.Number() })),
  warnings: T.Array(Warning),
  nextChange: T.Union([T.Number(), T.Null()]),
});
export const TownshipCountsSchema = T.Object({ at: T.Number(), townships: T.Record(T.String(), Counts), totals: Counts });
export const GridCountsSchema = T.Object({ at: T.Number(), grids: T.Record(T.String(), Counts), totals: Counts });
export const PeriodsSchema = T.Object({
  periods: T.Array(T.Object({ id: T.String(), ...PeriodFields, activeNow: T.Boolean(), next: T.Union([T.Object({ start: T.Number(), end: T.Number() }), T.Null()]) })),
  timeZone: T.String(),
  warnings: T.Array(Warning),
});
export const CandidateSchema = T.Object({
  id: T.String(),
  callSign: T.String(),
  agency: T.String(),
  status: T.String(),
  available: T.Boolean(),
  distance: T.Number(),
  lon: T.Number(),
  lat: T.Number(),
  time: T.Union([T.Number(), T.Null()]),
});
