/**
 * The coverage plan API's shapes: key periods (重点时段), coverage rules, plan templates (bodies
 * and responses); the holiday calendar's are in calendarSchemas.ts. Types are `Static<typeof …>`; the plan's own
 * types live in @lianfang/geo, and the checks at the end keep the two the same shape.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { LOCATION_CATEGORIES, PERIOD_KINDS, type CoverageRule, type KeyPeriod, type PlanTemplate } from '@lianfang/geo';
import { Nullable, StringEnum } from '../schemaKit.ts';

export type { CoverageRule, DailyHours, KeyPeriod, PeriodKind, PeriodScope, PlanTemplate, PlanWarning, TemplateRule } from '@lianfang/geo';

export const Id = T.String({ minLength: 1, maxLength: 64 });
const ClientId = T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
export const CoverageIdParams = T.Object({ id: Id });
const ClockTime = T.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'local HH:mm' });
const LocalDateTime = T.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?$', description: 'local YYYY-MM-DD or YYYY-MM-DDTHH:mm' });
const Category = T.Union(LOCATION_CATEGORIES.map((c) => T.Literal(c)));
const Kind = T.Union(PERIOD_KINDS.map((k) => T.Literal(k)));
const Priority = T.Union([T.Literal(1), T.Literal(2), T.Literal(3)]);

export const Scope = T.Object({
  townshipIds: T.Optional(T.Array(Id, { maxItems: 200 })),
  gridIds: T.Optional(T.Array(Id, { maxItems: 5000 })),
  categories: T.Optional(T.Array(Category, { maxItems: LOCATION_CATEGORIES.length })),
  /** Named locations only (a major event's polygon perimeter); empty or absent takes in every location. */
  locationIds: T.Optional(T.Array(Id, { maxItems: 10000 })),
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

/** POST /api/coverage/templates/:id/apply */
export const ApplyBody = T.Object({
  start: LocalDateTime,
  end: LocalDateTime,
  name: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
  scope: T.Optional(Scope),
});

/** E.g. the holiday calendar has no data for this year. */
export const WarningSchema = T.Object({ code: StringEnum(['calendar_year_missing']), year: T.Integer(), message: T.String() });

/** A period as listed: with whether it is on now and its next active stretch. */
export const PeriodViewSchema = T.Object({
  id: T.String(),
  ...PeriodFields,
  activeNow: T.Boolean(),
  /** The current or next active stretch within 35 days, epoch ms. */
  next: Nullable(T.Object({ start: T.Number(), end: T.Number() })),
});
export type PeriodView = Static<typeof PeriodViewSchema>;

/** GET /api/coverage/periods */
export const PeriodsSchema = T.Object({
  periods: T.Array(PeriodViewSchema),
  timeZone: T.String(),
  warnings: T.Array(WarningSchema),
  /** The server's now, epoch ms, that `activeNow` and `next` are reckoned from (screens take "today" from it). */
  at: T.Number(),
});
export type PeriodsResponse = Static<typeof PeriodsSchema>;

/** GET /api/coverage/rules */
export const RulesSchema = T.Object({ rules: T.Array(RuleSchema) });
export type RulesResponse = Static<typeof RulesSchema>;

/** GET /api/coverage/templates */
export const TemplatesSchema = T.Object({ templates: T.Array(TemplateSchema) });
export type TemplatesResponse = Static<typeof TemplatesSchema>;

/** POST /api/coverage/templates/:id/apply → 201 */
export const ApplyTemplateSchema = T.Object({ period: PeriodSchema, rules: T.Array(RuleSchema) });
export type ApplyTemplateResponse = Static<typeof ApplyTemplateSchema>;

/* The API's plan shapes are geo's plan types: a field added to one and not the other fails to compile here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type PlanShapesMatch = [
  Same<Static<typeof PeriodSchema>, KeyPeriod>,
  Same<Static<typeof RuleSchema>, CoverageRule>,
  Same<Static<typeof TemplateSchema>, PlanTemplate>,
] extends [true, true, true]
  ? true
  : never;
const planShapesMatch: PlanShapesMatch = true;
void planShapesMatch;

/** GET /api/coverage/preview: an instant, an area, and optionally a template not yet applied. */
export const PreviewQuery = T.Object({
  /** Epoch ms; default now. */
  at: T.Optional(T.Integer({ minimum: 0 })),
  townshipIds: T.Optional(T.Array(Id, { maxItems: 200 })),
  gridIds: T.Optional(T.Array(Id, { maxItems: 500 })),
  templateId: T.Optional(Id),
  start: T.Optional(LocalDateTime),
  end: T.Optional(LocalDateTime),
});
export type PreviewQueryType = Static<typeof PreviewQuery>;

/** One location the preview says needs visits at the instant. */
export const PreviewLocationSchema = T.Object({
  id: T.String(),
  name: T.String(),
  category: Category,
  priority: Priority,
  /** Raised one level inside a key grid. */
  effectivePriority: Priority,
  townshipId: Nullable(T.String()),
  townshipName: Nullable(T.String()),
  gridId: Nullable(T.String()),
  lon: T.Number(),
  lat: T.Number(),
  /** Longest allowed gap between visits, minutes. */
  maxGapMinutes: T.Integer(),
  /** Distinct agencies that must visit within the gap. */
  minAgencies: T.Integer(),
  /** Agencies of the teams assigned to its grid now (who can give those visits). */
  agencies: T.Array(T.String()),
  /** The winning rule (a previewed template's: id `(preview)-n`). */
  rule: T.Object({ id: T.String(), name: Nullable(T.String()) }),
  /** The cause: the active periods the winning rule applies in (`(preview)`: the previewed template's). */
  periods: T.Array(T.Object({ id: T.String(), name: T.String(), kind: Kind })),
  /** The previewed template's rule wins here. */
  byTemplate: T.Boolean(),
});
export type PreviewLocation = Static<typeof PreviewLocationSchema>;

/** GET /api/coverage/preview → 200 */
export const PreviewSchema = T.Object({
  at: T.Number(),
  timeZone: T.String(),
  /** Key locations in the area (all when none is given). */
  inArea: T.Integer(),
  /** The period and rules applying the template would create (ids are placeholders), or null. */
  template: Nullable(T.Object({ id: T.String(), name: T.String(), period: PeriodSchema, rules: T.Array(RuleSchema) })),
  /** Strictest first. */
  locations: T.Array(PreviewLocationSchema),
  warnings: T.Array(WarningSchema),
});
export type PreviewResponse = Static<typeof PreviewSchema>;
