/**
 * The demo's coverage plan: a default rule set for holidays, nights, events and sensitive
 * periods, plan templates, and a key period that began two hours before the demo started
 * (visitHistory.ts writes the visits of those hours), so the first look shows some locations
 * amber and red, and the simulator turns them green when a team gets there.
 */
import { applyTemplate, localDate, localMinute, addDays, type CoverageRule, type KeyPeriod, type PlanTemplate, type Team } from '@lianfang/geo';
import type { FastifyBaseLogger } from 'fastify';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { CoverageStore } from '../coverage/store.ts';
import { HISTORY_MS } from './visitHistory.ts';

const CROWDS = ['station', 'hospital', 'crowded'] as const;

/** Default rules per kind of period: the strictest that applies wins. */
export const DEFAULT_RULES: CoverageRule[] = [
  { id: 'holiday-crowds-p1', name: '节假日·车站医院人员密集场所（一级）', periodKind: 'holiday', categories: [...CROWDS], priorities: [1], maxGapMinutes: 30 },
  { id: 'holiday-crowds', name: '节假日·车站医院人员密集场所', periodKind: 'holiday', categories: [...CROWDS, 'market', 'school'], maxGapMinutes: 60 },
  { id: 'holiday-hotels', name: '节假日·宾馆', periodKind: 'holiday', categories: ['hotel'], maxGapMinutes: 60 },
  { id: 'holiday-other', name: '节假日·其他重点部位', periodKind: 'holiday', maxGapMinutes: 240 },
  { id: 'night-hotels', name: '夜间·宾馆', periodKind: 'daily', categories: ['hotel', 'crowded'], maxGapMinutes: 60 },
  { id: 'night-residential', name: '夜间·居民区（一二级）', periodKind: 'daily', categories: ['residential'], priorities: [1, 2], maxGapMinutes: 120 },
  // Two agencies (联防) are asked for by the major-event template, not by default: with one team per
  // grid most locations could never meet it in the demo.
  { id: 'event-crowds', name: '重大活动·车站医院人员密集场所（一级）', periodKind: 'event', categories: [...CROWDS], priorities: [1], maxGapMinutes: 30 },
  { id: 'event-other', name: '重大活动·其他一级部位', periodKind: 'event', priorities: [1], maxGapMinutes: 60 },
  { id: 'sensitive-crowds', name: '敏感时期·车站人员密集场所', periodKind: 'sensitive', categories: ['station', 'crowded'], maxGapMinutes: 30 },
  { id: 'sensitive-p1', name: '敏感时期·一级部位', periodKind: 'sensitive', priorities: [1], maxGapMinutes: 60 },
];

/**
 * Public holidays come from the built-in calendar every year. The night hours are seeded
 * disabled: county-wide they would start the demo with every hotel outside the patrolled grids
 * red; an admin switches them on (PUT with enabled: true) to see windows across midnight.
 */
export const DEFAULT_PERIODS: KeyPeriod[] = [
  { id: 'public-holidays', name: '法定节假日', kind: 'holiday' },
  { id: 'night', name: '夜间巡防', kind: 'daily', hours: { start: '20:00', end: '02:00' }, enabled: false },
];

export const DEFAULT_TEMPLATES: PlanTemplate[] = [
  {
    id: 'spring-festival',
    name: '春节安保',
    kind: 'holiday',
    holidays: ['春节'],
    rules: [
      { name: '车站每30分钟', categories: ['station'], maxGapMinutes: 30 },
      { name: '医院人员密集场所每30分钟', categories: ['hospital', 'crowded'], priorities: [1, 2], maxGapMinutes: 30 },
      { name: '宾馆每60分钟', categories: ['hotel'], maxGapMinutes: 60 },
    ],
  },
  {
    id: 'major-event',
    name: '重大活动安保',
    kind: 'event',
    rules: [
      { name: '一级部位每30分钟、两家单位', priorities: [1], maxGapMinutes: 30, minAgencies: 2 },
      { name: '二级部位每60分钟', priorities: [2], maxGapMinutes: 60 },
    ],
  },
  {
    id: 'demo-key-period',
    name: '重点时段',
    kind: 'event',
    rules: [
      { name: '车站医院人员密集场所每30分钟', categories: [...CROWDS], maxGapMinutes: 30 },
      { name: '学校市场每45分钟', categories: ['school', 'market'], maxGapMinutes: 45 },
      { name: '宾馆每60分钟', categories: ['hotel'], maxGapMinutes: 60 },
    ],
  },
];

/** Where the simulated teams stop (and so check in): the categories the demo's key period covers. */
export const DEMO_STOP_CATEGORIES: readonly string[] = [...new Set(DEFAULT_TEMPLATES.find((t) => t.id === 'demo-key-period')!.rules.flatMap((r) => r.categories ?? []))];

/**
 * Seeds the default rules, periods and templates once, and makes sure the demo's key period is
 * on: applied from the demo template from two hours ago until 7 days from now, over the grids
 * some team patrols (so every red location is one a team can reach). Run by one process at a
 * time (SET NX). Answers the demo period in force, or undefined when another process holds the lock.
 */
export async function seedDemoPlan(deps: { store: CoverageStore; redis: Redis; keys: Keys; now: number; timeZone: string; teams: Team[]; log: FastifyBaseLogger }): Promise<KeyPeriod | undefined> {
  const { store, now, timeZone } = deps;
  if ((await deps.redis.set(`${deps.keys.covDemo}:lock`, '1', { NX: true, PX: 30_000 })) !== 'OK') return undefined;
  try {
    const config = await store.load();
    const firstTime = (await deps.redis.set(deps.keys.covDemo, String(now), { NX: true })) === 'OK';
    const periods: KeyPeriod[] = [];
    const rules: CoverageRule[] = [];
    if (firstTime) {
      rules.push(...DEFAULT_RULES);
      periods.push(...DEFAULT_PERIODS);
    }
    const templates = DEFAULT_TEMPLATES.filter((t) => !config.templates.some((c) => c.id === t.id));

    // The demo's key period: on from two hours ago (to the minute) for 7 days, unless one is still on.
    let demoPeriod = config.periods.find((p) => p.id === 'demo-period');
    const minute = (t: number) => localMinute(t, timeZone);
    const start = minute(now - HISTORY_MS);
    const stillOn = demoPeriod?.end !== undefined && demoPeriod.end > minute(now);
    if (!stillOn) {
      const template = DEFAULT_TEMPLATES.find((t) => t.id === 'demo-key-period')!;
      const gridIds = [...new Set(deps.teams.flatMap((t) => t.gridIds))].sort();
      const applied = applyTemplate(template, {
        periodId: 'demo-period',
        ruleIds: template.rules.map((_, i) => `demo-period-${i + 1}`),
        name: '重点时段（演示）',
        start,
        // The same minute of the day, 7 days on.
        end: `${addDays(localDate(now, timeZone), 7)}${minute(now).slice(10)}`,
        ...(gridIds.length ? { scope: { gridIds } } : {}),
      });
      periods.push(applied.period);
      rules.push(...applied.rules);
      demoPeriod = applied.period;
    }
    if (periods.length || rules.length || templates.length) {
      await store.write({ periods, rules, templates });
      deps.log.info({ periods: periods.map((x) => x.name), rules: rules.length }, 'coverage: demo plan seeded');
    }
    return demoPeriod;
  } finally {
    await deps.redis.del(`${deps.keys.covDemo}:lock`);
  }
}
