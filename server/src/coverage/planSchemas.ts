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
export const PeriodsSchema = T.Object({ periods: T.Array(PeriodViewSchema), timeZone: T.String(), warnings: T.Array(WarningSchema) });
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
