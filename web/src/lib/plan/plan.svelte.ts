/**
 * The plan screen's data: key periods, rules and templates (the coverage plan), the county's
 * townships and grids (the area pickers and the preview map), read once and again after a change.
 */
import type { CountyResponse, CoverageRule, GridsResponse, PeriodsResponse, PlanTemplate, TownshipsResponse } from '@lianfang/server/api';
import { getJson } from '$lib/api';

export interface Place {
  id: string;
  name: string;
  townshipId?: string;
}

export class PlanData {
  periods = $state.raw<PeriodsResponse['periods']>([]);
  rules = $state.raw<CoverageRule[]>([]);
  templates = $state.raw<PlanTemplate[]>([]);
  timeZone = $state('Asia/Shanghai');
  warnings = $state.raw<PeriodsResponse['warnings']>([]);
  townships = $state.raw<Place[]>([]);
  grids = $state.raw<Place[]>([]);
  county = $state.raw<CountyResponse | null>(null);
  townshipShapes = $state.raw<TownshipsResponse | null>(null);
  loaded = $state(false);
  failed = $state(false);
  /** The server's clock minus this browser's: "today" and the preview's default moment are the server's. */
  #skew = 0;

  /** Now by the server's clock (as of the last load). */
  now(): number {
    return Date.now() + this.#skew;
  }

  /** The plan (periods, rules, templates); `places` too the first time. */
  async load(places = false): Promise<void> {
    try {
      const [periods, rules, templates] = await Promise.all([
        getJson<PeriodsResponse>('/api/coverage/periods'),
        getJson<{ rules: CoverageRule[] }>('/api/coverage/rules'),
        getJson<{ templates: PlanTemplate[] }>('/api/coverage/templates'),
      ]);
      this.#skew = periods.at - Date.now();
      this.periods = periods.periods;
      this.timeZone = periods.timeZone;
      this.warnings = periods.warnings;
      this.rules = rules.rules;
      this.templates = templates.templates;
      if (places) await this.#places();
      this.loaded = true;
      this.failed = false;
    } catch {
      this.failed = true;
    }
  }

  async #places(): Promise<void> {
    const [county, townships, grids] = await Promise.all([
      getJson<CountyResponse>('/api/geo/county'),
      getJson<TownshipsResponse>('/api/geo/townships'),
      getJson<GridsResponse>('/api/geo/grids'),
    ]);
    const byName = (a: Place, b: Place) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id);
    this.county = county;
    this.townshipShapes = townships;
    this.townships = townships.features.map((f) => ({ id: f.properties.id, name: f.properties.name })).sort(byName);
    this.grids = grids.features.map((f) => ({ id: f.properties.id, name: f.properties.name, townshipId: f.properties.townshipId })).sort(byName);
  }

  townshipName(id: string): string {
    return this.townships.find((t) => t.id === id)?.name ?? id;
  }
  gridName(id: string): string {
    return this.grids.find((g) => g.id === id)?.name ?? id;
  }
  periodName(id: string): string {
    return this.periods.find((p) => p.id === id)?.name ?? id;
  }
}
