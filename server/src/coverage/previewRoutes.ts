/**
 * The plan screen's preview: GET /api/coverage/preview answers which key locations of an area
 * need visits at an instant, how often, by how many agencies and why, under the plan in force
 * or with a template applied (before an admin applies it). Reads only: the map's viewers may ask.
 * The logic is geo's previewPlan; this route reads the plan and the places and names things.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { enteredHolidayCalendar, PREVIEW_PERIOD_ID, previewPlan, ruleAppliesIn, validatePeriod, type PlanTemplate, type PreviewTemplate } from '@lianfang/geo';
import { VIEWERS } from '../access/roles.ts';
import { HttpError } from '../plugins/errors.ts';
import { PreviewQuery, PreviewSchema, type PreviewLocation } from './planSchemas.ts';

const previewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tz = app.config.timeZone;
  const store = app.coverage.store;

  app.get('/api/coverage/preview', { config: { access: VIEWERS }, schema: { querystring: PreviewQuery, response: { 200: PreviewSchema } } }, async (request, reply) => {
    const q = request.query;
    const at = q.at ?? app.clock.now();
    const [config, places, teams] = await Promise.all([store.load(), app.geography.places.current(), app.teams.assigned()]);

    const townships = new Set<string>(places.townships.keys());
    const badTownship = q.townshipIds?.find((id) => !townships.has(id));
    if (badTownship) throw new HttpError(400, `querystring.townshipIds names an unknown township ${badTownship}`, 'querystring.townshipIds', { code: 'not_found' });
    const badGrid = q.gridIds?.find((id) => !places.grids.has(id));
    if (badGrid) throw new HttpError(400, `querystring.gridIds names an unknown grid ${badGrid}`, 'querystring.gridIds', { code: 'unknown_grid', params: { id: badGrid } });

    let template: PreviewTemplate | undefined;
    if (q.templateId !== undefined) {
      const found: PlanTemplate | undefined = config.templates.find((t) => t.id === q.templateId);
      if (!found) throw new HttpError(400, `querystring.templateId names an unknown template ${q.templateId}`, 'querystring.templateId', { code: 'not_found' });
      if (q.start === undefined) throw new HttpError(400, 'querystring.start is required with a template', 'querystring.start', { code: 'required' });
      if (q.end === undefined) throw new HttpError(400, 'querystring.end is required with a template', 'querystring.end', { code: 'required' });
      // The same check applying it makes: a preview of what could not be applied would mislead.
      const issue = validatePeriod({ name: found.name, kind: found.kind, hours: found.hours, holidays: found.holidays, start: q.start, end: q.end }, tz)[0];
      if (issue) throw new HttpError(400, `querystring.${issue.field} ${issue.reason}`, `querystring.${issue.field}`, { code: issue.reason === 'must be after start' ? 'ends_before_start' : 'invalid' });
      template = { template: found, start: q.start, end: q.end };
    } else if (q.start !== undefined || q.end !== undefined) {
      throw new HttpError(400, 'querystring.templateId is required with start and end', 'querystring.templateId', { code: 'required' });
    }

    const area = { ...(q.townshipIds?.length ? { townshipIds: q.townshipIds } : {}), ...(q.gridIds?.length ? { gridIds: q.gridIds } : {}) };
    const preview = previewPlan(
      { locations: [...places.locations.values()], keyGridIds: places.keyGridIds, periods: config.periods, rules: config.rules, at, area, ...(template ? { template } : {}) },
      { timeZone: tz, calendar: enteredHolidayCalendar(config.calendars) },
    );

    // Who patrols each grid now: the agencies that can give the visits.
    const agenciesOf = new Map<string, Set<string>>();
    for (const team of teams.values()) {
      for (const gridId of team.gridIds) {
        let set = agenciesOf.get(gridId);
        if (!set) agenciesOf.set(gridId, (set = new Set()));
        set.add(team.agency);
      }
    }
    const periodById = new Map(config.periods.map((p) => [p.id, p]));
    if (preview.applied) periodById.set(PREVIEW_PERIOD_ID, preview.applied.period);

    const locations: PreviewLocation[] = [];
    for (const r of preview.required) {
      const l = places.locations.get(r.locationId)!;
      const keyGrid = l.gridId !== undefined && places.keyGridIds.has(l.gridId);
      locations.push({
        id: l.id,
        name: l.name,
        category: l.category,
        priority: l.priority,
        effectivePriority: keyGrid && l.priority > 1 ? ((l.priority - 1) as 1 | 2) : l.priority,
        townshipId: l.townshipId ?? null,
        townshipName: (l.townshipId && places.townships.get(l.townshipId)?.name) || null,
        gridId: l.gridId ?? null,
        lon: l.lon,
        lat: l.lat,
        maxGapMinutes: r.maxGapMinutes,
        minAgencies: r.minAgencies,
        agencies: [...(l.gridId ? (agenciesOf.get(l.gridId) ?? []) : [])].sort(),
        rule: { id: r.rule.id, name: r.rule.name ?? null },
        // The cause: the periods the winning rule applies in (others may be on too, with looser rules).
        periods: r.periodIds.flatMap((id) => {
          const p = periodById.get(id);
          return p && ruleAppliesIn(r.rule, p) ? [{ id: p.id, name: p.name, kind: p.kind }] : [];
        }),
        byTemplate: r.byTemplate,
      });
    }

    reply.header('cache-control', 'no-store');
    return {
      at,
      timeZone: tz,
      inArea: preview.inArea,
      template: preview.applied && template ? { id: template.template.id, name: template.template.name, period: preview.applied.period, rules: preview.applied.rules } : null,
      locations,
      warnings: preview.warnings,
    };
  });
};

export default previewRoutes;
