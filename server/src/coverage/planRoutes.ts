/**
 * The coverage plan's API: key periods (重点时段), coverage rules and plan templates (create,
 * list, change, delete, apply); the holiday calendar is calendarRoutes.ts. Who may call: the map's
 * viewers read; admins change. Every change is validated whole before anything is written,
 * written in one transaction, audited (`config_change`), and recomputed before it is answered.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import {
  applyTemplate,
  enteredHolidayCalendar,
  resolvePeriod,
  validatePeriod,
  type CoverageRule,
  type KeyPeriod,
  type PeriodScope,
  type PlanTemplate,
} from '@lianfang/geo';
import { ADMINS, VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import {
  ApplyBody,
  ApplyTemplateSchema,
  CoverageIdParams,
  NewPeriodBody,
  NewRuleBody,
  NewTemplateBody,
  PeriodBody,
  PeriodSchema,
  PeriodsSchema,
  RuleBody,
  RuleSchema,
  RulesSchema,
  TemplateBody,
  TemplateSchema,
  TemplatesSchema,
  type PeriodView,
} from './planSchemas.ts';

const DAY = 86_400_000;

/** JSON with sorted keys: a retried create with the same content is recognised whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}

/** validatePeriod's reason as a code the web words (the field is named beside it). */
function issueCode(reason: string): string {
  if (reason === 'must be after start') return 'ends_before_start';
  if (reason.startsWith('is required')) return 'required';
  return 'invalid';
}

/** Drops keys whose value is undefined, so stored JSON stays minimal. */
const clean = <O extends object>(o: O): O => JSON.parse(JSON.stringify(o)) as O;

const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tz = app.config.timeZone;
  const store = app.coverage.store;

  async function checkScope(scope: PeriodScope | undefined, field: string): Promise<void> {
    if (!scope) return;
    const places = await app.geography.places.current();
    const townships = new Set([...places.locations.values()].map((l) => l.townshipId).concat([...places.grids.values()].map((g) => g.townshipId)));
    const badTownship = scope.townshipIds?.find((id) => !townships.has(id));
    if (badTownship) throw new HttpError(400, `${field}.townshipIds names an unknown township ${badTownship}`, `${field}.townshipIds`);
    const badGrid = scope.gridIds?.find((id) => !places.grids.has(id));
    if (badGrid) throw new HttpError(400, `${field}.gridIds names an unknown grid ${badGrid}`, `${field}.gridIds`, { code: 'unknown_grid', params: { id: badGrid } });
  }

  function checkPeriod(period: Omit<KeyPeriod, 'id'>, prefix = 'body'): void {
    const issue = validatePeriod(period, tz)[0];
    if (issue) throw new HttpError(400, `${prefix}.${issue.field} ${issue.reason}`, `${prefix}.${issue.field}`, { code: issueCode(issue.reason) });
  }

  async function checkRule(rule: Omit<CoverageRule, 'id'>): Promise<void> {
    if ((rule.periodKind === undefined) === (rule.periodId === undefined)) {
      throw new HttpError(400, 'body.periodKind or body.periodId is required, not both: a rule applies in every period of a kind, or in one period', 'body.periodKind');
    }
    if (rule.periodId && !(await store.get('period', rule.periodId))) throw new HttpError(400, `body.periodId names an unknown period ${rule.periodId}`, 'body.periodId');
  }

  function checkTemplate(template: Omit<PlanTemplate, 'id'>): void {
    const issue = validatePeriod({ name: template.name, kind: template.kind, hours: template.hours, holidays: template.holidays, start: '2000-01-01', end: '2000-01-02' }, tz)[0];
    if (issue && issue.field !== 'start' && issue.field !== 'end') throw new HttpError(400, `body.${issue.field} ${issue.reason}`, `body.${issue.field}`, { code: issueCode(issue.reason) });
  }

  /** After a write: audit, then recompute so the answer (and every map) already reflects it. */
  async function changed(request: FastifyRequest, target: string, detail: Record<string, unknown>): Promise<void> {
    await app.auditRequest(request, { action: 'config_change', target, detail });
    await app.coverage.engine.recompute();
  }

  /** Create with an optional client id: a retry with the same content answers 200, different content 409. */
  async function existing<Item>(kind: 'period' | 'rule' | 'template', id: string | undefined, item: Item): Promise<Item | undefined> {
    if (!id) return undefined;
    const found = await store.get<Item>(kind, id);
    if (found === undefined) return undefined;
    if (canonical(found) === canonical(item)) return found;
    throw new HttpError(409, `a ${kind} with id ${id} already exists with other content`, 'body.id');
  }

  /* ---------- periods ---------- */

  app.get('/api/coverage/periods', { config: { access: VIEWERS }, schema: { response: { 200: PeriodsSchema } } }, async () => {
    const now = app.clock.now();
    const { periods, calendars } = await store.load();
    const calendar = enteredHolidayCalendar(calendars);
    const warnings = new Map<number, { code: 'calendar_year_missing'; year: number; message: string }>();
    const views: PeriodView[] = periods.map((p) => {
      const r = resolvePeriod(p, now, now + 35 * DAY, { timeZone: tz, calendar });
      for (const w of r.warnings) warnings.set(w.year, w);
      const first = r.intervals[0];
      return { ...p, activeNow: first !== undefined && first.start <= now, next: first ? { start: first.start, end: first.end } : null };
    });
    return { periods: views, timeZone: tz, warnings: [...warnings.values()], at: now };
  });

  app.post(
    '/api/coverage/periods',
    { config: { access: ADMINS }, schema: { body: NewPeriodBody, response: { 200: T.Object({ period: PeriodSchema }), 201: T.Object({ period: PeriodSchema }) } } },
    async (request, reply) => {
      const { id: clientId, ...fields } = request.body;
      checkPeriod(fields);
      await checkScope(fields.scope, 'body.scope');
      const id = clientId ?? (await store.newId('period'));
      const period = clean<KeyPeriod>({ id, ...fields });
      const same = await existing('period', clientId, period);
      if (same) return { period: same };
      await store.write({ periods: [period] });
      await changed(request, `period:${id}`, { created: period });
      reply.status(201);
      return { period };
    },
  );

  app.put(
    '/api/coverage/periods/:id',
    { config: { access: ADMINS }, schema: { params: CoverageIdParams, body: PeriodBody, response: { 200: T.Object({ period: PeriodSchema }) } } },
    async (request) => {
      const { id } = request.params;
      const fields = request.body;
      if (!(await store.get('period', id))) throw new HttpError(404, `no period with id ${id}`, 'params.id');
      checkPeriod(fields);
      await checkScope(fields.scope, 'body.scope');
      const period = clean<KeyPeriod>({ id, ...fields });
      await store.write({ periods: [period] });
      await changed(request, `period:${id}`, { changed: period });
      return { period };
    },
  );

  app.delete(
    '/api/coverage/periods/:id',
    { config: { access: ADMINS }, schema: { params: CoverageIdParams, response: { 200: T.Object({ deleted: T.String(), rules: T.Array(T.String()) }) } } },
    async (request) => {
      const { id } = request.params;
      const { periods, rules } = await store.load();
      if (!periods.some((p) => p.id === id)) throw new HttpError(404, `no period with id ${id}`, 'params.id');
      // Rules made for this period alone (by applying a template) go with it.
      const bound = rules.filter((r) => r.periodId === id).map((r) => r.id);
      await store.write({ deletePeriods: [id], deleteRules: bound });
      await changed(request, `period:${id}`, { deleted: id, rules: bound });
      return { deleted: id, rules: bound };
    },
  );

  /* ---------- rules ---------- */

  app.get('/api/coverage/rules', { config: { access: VIEWERS }, schema: { response: { 200: RulesSchema } } }, async () => ({ rules: (await store.load()).rules }));

  app.post(
    '/api/coverage/rules',
    { config: { access: ADMINS }, schema: { body: NewRuleBody, response: { 200: T.Object({ rule: RuleSchema }), 201: T.Object({ rule: RuleSchema }) } } },
    async (request, reply) => {
      const { id: clientId, ...fields } = request.body;
      await checkRule(fields);
      const id = clientId ?? (await store.newId('rule'));
      const rule = clean<CoverageRule>({ id, ...fields });
      const same = await existing('rule', clientId, rule);
      if (same) return { rule: same };
      await store.write({ rules: [rule] });
      await changed(request, `rule:${id}`, { created: rule });
      reply.status(201);
      return { rule };
    },
  );

  app.put(
    '/api/coverage/rules/:id',
    { config: { access: ADMINS }, schema: { params: CoverageIdParams, body: RuleBody, response: { 200: T.Object({ rule: RuleSchema }) } } },
    async (request) => {
      const { id } = request.params;
      const fields = request.body;
      if (!(await store.get('rule', id))) throw new HttpError(404, `no rule with id ${id}`, 'params.id');
      await checkRule(fields);
      const rule = clean<CoverageRule>({ id, ...fields });
      await store.write({ rules: [rule] });
      await changed(request, `rule:${id}`, { changed: rule });
      return { rule };
    },
  );

  app.delete('/api/coverage/rules/:id', { config: { access: ADMINS }, schema: { params: CoverageIdParams, response: { 200: T.Object({ deleted: T.String() }) } } }, async (request) => {
    const { id } = request.params;
    if (!(await store.get('rule', id))) throw new HttpError(404, `no rule with id ${id}`, 'params.id');
    await store.write({ deleteRules: [id] });
    await changed(request, `rule:${id}`, { deleted: id });
    return { deleted: id };
  });

  /* ---------- plan templates ---------- */

  app.get('/api/coverage/templates', { config: { access: VIEWERS }, schema: { response: { 200: TemplatesSchema } } }, async () => ({ templates: (await store.load()).templates }));

  app.post(
    '/api/coverage/templates',
    { config: { access: ADMINS }, schema: { body: NewTemplateBody, response: { 200: T.Object({ template: TemplateSchema }), 201: T.Object({ template: TemplateSchema }) } } },
    async (request, reply) => {
      const { id: clientId, ...fields } = request.body;
      checkTemplate(fields);
      const id = clientId ?? (await store.newId('template'));
      const template = clean<PlanTemplate>({ id, ...fields });
      const same = await existing('template', clientId, template);
      if (same) return { template: same };
      await store.write({ templates: [template] });
      await app.auditRequest(request, { action: 'config_change', target: `template:${id}`, detail: { created: template } });
      reply.status(201);
      return { template };
    },
  );

  app.put(
    '/api/coverage/templates/:id',
    { config: { access: ADMINS }, schema: { params: CoverageIdParams, body: TemplateBody, response: { 200: T.Object({ template: TemplateSchema }) } } },
    async (request) => {
      const { id } = request.params;
      const fields = request.body;
      if (!(await store.get('template', id))) throw new HttpError(404, `no template with id ${id}`, 'params.id');
      checkTemplate(fields);
      const template = clean<PlanTemplate>({ id, ...fields });
      // Templates are copied when applied: changing one changes no period already made from it.
      await store.write({ templates: [template] });
      await app.auditRequest(request, { action: 'config_change', target: `template:${id}`, detail: { changed: template } });
      return { template };
    },
  );

  app.delete('/api/coverage/templates/:id', { config: { access: ADMINS }, schema: { params: CoverageIdParams, response: { 200: T.Object({ deleted: T.String() }) } } }, async (request) => {
    const { id } = request.params;
    if (!(await store.get('template', id))) throw new HttpError(404, `no template with id ${id}`, 'params.id');
    await store.write({ deleteTemplates: [id] });
    await app.auditRequest(request, { action: 'config_change', target: `template:${id}`, detail: { deleted: id } });
    return { deleted: id };
  });

  /** POST /api/coverage/templates/:id/apply { start, end, name?, scope? } → 201 { period, rules }: one step, all or nothing. */
  app.post(
    '/api/coverage/templates/:id/apply',
    { config: { access: ADMINS }, schema: { params: CoverageIdParams, body: ApplyBody, response: { 201: ApplyTemplateSchema } } },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const template = await store.get<PlanTemplate>('template', id);
      if (!template) throw new HttpError(404, `no template with id ${id}`, 'params.id');
      const probe = applyTemplate(template, { periodId: 'probe', ruleIds: template.rules.map(() => 'probe'), ...body });
      checkPeriod(probe.period);
      await checkScope(body.scope, 'body.scope');
      const periodId = await store.newId('period');
      const ruleIds: string[] = [];
      for (const _ of template.rules) ruleIds.push(await store.newId('rule'));
      const { period, rules } = applyTemplate(template, { periodId, ruleIds, ...body });
      const stored = { period: clean(period), rules: rules.map(clean) };
      await store.write({ periods: [stored.period], rules: stored.rules });
      await changed(request, `template:${id}`, { applied: { periodId, ruleIds, start: body.start, end: body.end } });
      reply.status(201);
      return stored;
    },
  );
};

export default planRoutes;
