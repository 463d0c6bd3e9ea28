/**
 * Redis storage of the coverage plan: key periods, rules, plan templates and entered holiday
 * years (one hash each, id or year → JSON) and a version counter that every write bumps in the
 * same transaction, so every server process notices a change on its next tick and recomputes.
 */
import type { CoverageRule, HolidayYear, KeyPeriod, PlanTemplate } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';

export interface CoverageConfig {
  version: number;
  periods: KeyPeriod[];
  rules: CoverageRule[];
  templates: PlanTemplate[];
  /** Holiday years an admin entered, by year: they override the built-in calendar. */
  calendars: HolidayYear[];
}

const parseAll = <T extends { id: string }>(hash: Record<string, string>): T[] =>
  Object.values(hash)
    .map((json) => JSON.parse(json) as T)
    .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

const parseYears = (hash: Record<string, string>): HolidayYear[] =>
  Object.values(hash)
    .map((json) => JSON.parse(json) as HolidayYear)
    .sort((a, b) => a.year - b.year);

export function createCoverageStore(redis: Redis, keys: Keys) {
  const hashOf = { period: keys.covPeriods, rule: keys.covRules, template: keys.covTemplates } as const;
  type Kind = keyof typeof hashOf;

  return {
    /**
     * The plan's version, the geography's and what the coverage classes were built for
     * ("<coverage>:<geography>:<k>", '' before any), in one round trip (a tick checks all three).
     */
    async versions(): Promise<{ coverage: number; geography: number; built: string }> {
      const [coverage, geography, built] = await redis.mGet([keys.covVersion, keys.geoVersion, keys.covMeta]);
      return { coverage: Number(coverage ?? 0), geography: Number(geography ?? 0), built: built ?? '' };
    },

    async load(): Promise<CoverageConfig> {
      const [version, periods, rules, templates, calendars] = (await redis
        .multi()
        .get(keys.covVersion)
        .hGetAll(keys.covPeriods)
        .hGetAll(keys.covRules)
        .hGetAll(keys.covTemplates)
        .hGetAll(keys.covCalendar)
        .exec()) as unknown as [string | null, Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>];
      return {
        version: Number(version ?? 0),
        periods: parseAll(periods),
        rules: parseAll(rules),
        templates: parseAll(templates),
        calendars: parseYears(calendars),
      };
    },

    /** The holiday years an admin entered (the engine reads them with the plan, in `load`). */
    async calendars(): Promise<HolidayYear[]> {
      return parseYears(await redis.hGetAll(keys.covCalendar));
    },

    /**
     * Enters a year (or, with null, forgets the entered one: the built-in calendar holds again)
     * and bumps the plan's version in the same transaction, so every process recomputes.
     * Resolves whether a year was entered before.
     */
    async writeCalendar(year: number, entered: HolidayYear | null): Promise<boolean> {
      const multi = redis.multi().hExists(keys.covCalendar, String(year));
      if (entered) multi.hSet(keys.covCalendar, String(year), JSON.stringify(entered));
      else multi.hDel(keys.covCalendar, String(year));
      multi.incr(keys.covVersion);
      const [existed] = (await multi.exec()) as unknown as [number | boolean];
      return Boolean(existed);
    },

    async get<T>(kind: Kind, id: string): Promise<T | undefined> {
      const json = await redis.hGet(hashOf[kind], id);
      return json ? (JSON.parse(json) as T) : undefined;
    },

    /** A new id: P12, R40, T3. */
    async newId(kind: Kind): Promise<string> {
      return `${kind === 'period' ? 'P' : kind === 'rule' ? 'R' : 'T'}${await redis.incr(keys.covSeq)}`;
    },

    /**
     * Writes periods, rules and templates and deletes others, all or nothing, and bumps the
     * version; resolves the new version.
     */
    async write(change: { periods?: KeyPeriod[]; rules?: CoverageRule[]; templates?: PlanTemplate[]; deletePeriods?: string[]; deleteRules?: string[]; deleteTemplates?: string[] }): Promise<number> {
      const multi = redis.multi();
      const put = (key: string, items: { id: string }[] | undefined) => {
        if (items?.length) multi.hSet(key, Object.fromEntries(items.map((i) => [i.id, JSON.stringify(i)])));
      };
      const del = (key: string, ids: string[] | undefined) => {
        if (ids?.length) multi.hDel(key, ids);
      };
      del(keys.covPeriods, change.deletePeriods);
      del(keys.covRules, change.deleteRules);
      del(keys.covTemplates, change.deleteTemplates);
      put(keys.covPeriods, change.periods);
      put(keys.covRules, change.rules);
      put(keys.covTemplates, change.templates);
      multi.incr(keys.covVersion);
      const replies = await multi.exec();
      return Number(replies[replies.length - 1]);
    },

    async lastVisits(): Promise<Record<string, string>> {
      return redis.hGetAll(keys.covLastVisit);
    },
  };
}

export type CoverageStore = ReturnType<typeof createCoverageStore>;

/** "agency:time:team;…" → entries, newest first. */
export function parseLastVisits(value: string | null | undefined): { agency: string; time: number; teamId: string }[] {
  if (!value) return [];
  return value
    .split(';')
    .map((entry) => {
      const [agency = '', time = '0', teamId = ''] = entry.split(':');
      return { agency, time: Number(time), teamId };
    })
    .sort((a, b) => b.time - a.time);
}
