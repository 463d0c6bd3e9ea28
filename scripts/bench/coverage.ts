/**
 * Benchmarks of the coverage engine on the demo county (5,000 key locations, 300 teams), each
 * against a naive scan of all locations measured in the same run:
 *
 *   - full recompute (a period starts: every location's requirement changes)   target ≤ 10 ms
 *   - the cost one visit adds                                                   target ≤ 50 µs
 *   - a scheduler tick with 5,000 locations past their deadline                 target ≤ 20 ms
 *
 * The engine runs in this process against its own redis-server on loopback (real scripts, real
 * round trips); the pure planning step is also timed alone with the shared harness.
 */
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import {
  generateDemoCounty,
  nextDeadline,
  planCoverage,
  requirementTimeline,
  type CoverageRule,
  type KeyPeriod,
} from '../../geo/src/index.ts';
import { measure, printTable, report, timeAsync, type Row } from './harness.ts';
import { loadScript } from '../../server/src/redis/script.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** The floor rows' scripts: Redis alone, nothing computed (see where they run). */
const FLOOR_STATES = loadScript(new URL('./lua/floorStates.lua', import.meta.url));
const FLOOR_ALERTS = loadScript(new URL('./lua/floorAlerts.lua', import.meta.url));





export async function run(): Promise<void> {
  console.log(`coverage benchmarks — node ${process.version}, ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}`);
  const county = generateDemoCounty();
  const T = Date.UTC(2026, 9, 12, 1, 10); // Monday 12 Oct 2026, 09:10 in Shanghai
  // Two events back to back with different gaps, so a recompute at one or the other changes every requirement.
  const periods: KeyPeriod[] = [
    { id: 'holidays', name: '法定节假日', kind: 'holiday' },
    { id: 'night', name: '夜间巡防', kind: 'daily', hours: { start: '20:00', end: '02:00' } },
    { id: 'A', name: '活动甲', kind: 'event', start: '2026-10-12T09:00', end: '2026-10-12T11:00' },
    { id: 'B', name: '活动乙', kind: 'sensitive', start: '2026-10-12T11:00', end: '2026-10-12T13:00' },
  ];
  const rules: CoverageRule[] = [
    { id: 'h1', periodKind: 'holiday', categories: ['station', 'hospital', 'crowded'], priorities: [1], maxGapMinutes: 30 },
    { id: 'h2', periodKind: 'holiday', maxGapMinutes: 240 },
    { id: 'n1', periodKind: 'daily', categories: ['hotel'], maxGapMinutes: 60 },
    { id: 'a1', periodId: 'A', maxGapMinutes: 45 },
    { id: 'a2', periodId: 'A', categories: ['station'], maxGapMinutes: 20, minAgencies: 2 },
    { id: 'b1', periodKind: 'sensitive', maxGapMinutes: 50 },
    { id: 'b2', periodKind: 'sensitive', categories: ['station', 'crowded'], maxGapMinutes: 25 },
  ];
  const keyGridIds = new Set(county.grids.filter((g) => g.key).map((g) => g.id));
  const locations = county.locations;
  const ids5000 = () => locations.map((l) => l.id);
  const inA = T; // 09:10, event A: every location covered, deadlines from 09:00
  const inB = T + 2 * HOUR; // 11:10, event B: every requirement (gap and since) changed

  /* ---------- the pure planning step (shared harness) ---------- */
  const timeline = requirementTimeline(periods, rules, keyGridIds, inA - 35 * 86_400_000, inA + 35 * 86_400_000, { timeZone: 'Asia/Shanghai' });
  measure('naive plan: every location walks every segment and rule', () => {
    // No sharing between locations: each finds its own active periods and strictest rule
    // per segment, and walks back to when its requirement began.
    const out = new Map<string, number>();
    const bounds = [...new Set(timeline.intervals.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
    for (const l of locations) {
      const prio = l.gridId && keyGridIds.has(l.gridId) && l.priority > 1 ? l.priority - 1 : l.priority;
      const at = (t: number) => {
        let best: CoverageRule | undefined;
        for (const p of periods) {
          if (!timeline.intervals.some((i) => i.periodId === p.id && i.start <= t && t < i.end)) continue;
          for (const r of rules) {
            if ((r.periodId ? r.periodId !== p.id : r.periodKind !== p.kind) || (r.categories?.length && !r.categories.includes(l.category)) || (r.priorities?.length && !r.priorities.includes(prio as 1))) continue;
            if (!best || r.maxGapMinutes < best.maxGapMinutes) best = r;
          }
        }
        return best?.maxGapMinutes ?? 0;
      };
      const now = at(inA);
      let since = inA;
      for (let b = bounds.length - 1; b >= 0; b--) if (bounds[b]! <= inA && at(bounds[b]! - 1) === now) since = bounds[b]! - 1;
      out.set(l.id, now + since);
    }
    return out;
  }, { iterations: 10, warmup: 2 });
  measure('planCoverage (5,000 locations)', (i) => planCoverage({ locations, keyGridIds, periods, rules, now: i % 2 ? inB : inA }, { timeZone: 'Asia/Shanghai' }), {
    iterations: 100,
    warmup: 10,
    baseline: 'naive plan: every location walks every segment and rule',
  });
  const deadlineReq = { gapMs: 30 * MIN, minAgencies: 2, since: inA, leadMs: 6 * MIN };
  measure('nextDeadline (3 agencies, 2 required)', (i) => nextDeadline({ police: inA + i, security: inA - i, grid: inA }, deadlineReq), { iterations: 100_000, batch: 100 });
  report('Pure planning step (times per call)');

  /* ---------- the engine on Redis ---------- */
  const { startRedis } = await import('../../tests/helpers/redis.ts');
  const { build, loadConfig } = await import('../../server/src/app.ts');
  const { whenReady } = await import('../../server/src/plugins/redis.ts');
  const redisServer = await startRedis();
  let now = inA;
  const clock = { now: () => now };
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', redisUrl: redisServer.url, redisPrefix: 'bench:', logLevel: 'silent', webRoot: '', coverageTickMs: 0, osmandPort: 0 });
  const app = await build(config, { clock, logger: false });
  const rows: Row[] = [];
  try {
    await app.ready();
    await whenReady(app.redis, 10_000);
    const { teams, ...geography } = county;
    await app.teams.save(teams);
    await app.geography.store.replaceAll(geography);
    await app.coverage.store.write({ periods, rules });
    const engine = app.coverage.engine;
    const k = app.keys;
    const redis = app.redis;
    // The naive baselines keep a state (and a requirement) per location, as an engine without classes would.
    const naive = { req: 'bench:naive:req', state: 'bench:naive:state', next: 'bench:naive:next' };
    const resetState = async () => {
      const sets: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${k.covClassVisitsPrefix}*`, COUNT: 1000 })) sets.push(...batch);
      await redis.del([k.covLastVisit, k.covClassOf, k.covClasses, k.covTownshipClasses, k.covDue, k.covMeta, ...sets, k.alerts, k.alertsOpen, k.alertsClosed, k.alertSubjects, k.alertEscalations, k.alertLog, naive.req, naive.state, naive.next]);
    };
    await resetState();
    await engine.recompute(inA);
    const first = await engine.snapshot(inA);
    const classes = await redis.hLen(k.covClasses);
    console.log(`\n${locations.length} key locations in ${classes} coverage classes, ${teams.length} teams, ${locations.length - first.totals.inactive} with a requirement at 09:10 (event A), loopback Redis`);

    /* The floor: what Redis alone needs to store 5,000 location states, or raise 5,000 alerts,
       in one script with nothing computed. No engine that keeps a state per location can beat it. */
    const floorKeys = ['bench:floor:h', 'bench:floor:z', 'bench:floor:s', 'bench:floor:st', 'bench:floor:seq'];
    const stateArgs = [String(ids5000().length), ...ids5000().flatMap((id, i) => [id, `covered,${inA + i},${inA + i}`, String(inA + i)])];
    const alertArgs = [String(ids5000().length), ...ids5000().flatMap((id) => [id, `{"kind":"uncovered","subject":"${id}","at":${inA},"raisedAt":${inA}}`])];
    rows.push(await timeAsync('floor: one script storing 5,000 states (HSET + ZADD), nothing computed', () => FLOOR_STATES.run(redis, floorKeys, stateArgs), { iterations: 30, warmup: 4 }));
    rows.push(
      await timeAsync('floor: one script raising 5,000 bare alerts (4 writes each), nothing computed', () => FLOOR_ALERTS.run(redis, floorKeys, alertArgs), {
        iterations: 10,
        warmup: 2,
        setup: () => redis.del(floorKeys),
      }),
    );
    await redis.del(floorKeys);

    /* Full recompute */
    rows.push(
      await timeAsync(
        'naive recompute: scan all, deadlines in JS, one write per location',
        async (i) => {
          now = i % 2 ? inB : inA;
          // A straightforward engine: every location's requirement in JS, then read every
          // location's visits and write every location's state and deadline.
          const plan = planCoverage({ locations, keyGridIds, periods, rules, now }, { timeZone: 'Asia/Shanghai' });
          const last = await redis.hGetAll(k.covLastVisit);
          const multi = redis.multi();
          for (const l of locations) {
            const req = plan.requirements.get(l.id);
            if (!req) {
              multi.hDel(naive.state, l.id);
              continue;
            }
            const visits = Object.fromEntries((last[l.id] ?? '').split(';').filter(Boolean).map((e) => [e.split(':')[0]!, Number(e.split(':')[1])]));
            const { deadline, dueAt } = nextDeadline(visits, req);
            multi.hSet(naive.req, l.id, `${req.gapMs},${req.minAgencies},${req.since},${req.leadMs}`);
            multi.hSet(naive.state, l.id, `covered,${deadline},${dueAt}`);
            multi.zAdd(naive.next, { score: dueAt, value: l.id });
          }
          await multi.exec();
        },
        { iterations: 20, warmup: 3 },
      ),
    );
    await resetState();
    rows.push(
      await timeAsync('full recompute, a period starts (every requirement changes)', (i) => engine.recompute(i % 2 ? inB : inA), {
        iterations: 30,
        warmup: 4,
        target: 10_000,
        baseline: 'naive recompute: scan all, deadlines in JS, one write per location',
      }),
    );
    rows.push(await timeAsync('full recompute, nothing changed (5-minute refresh)', () => engine.recompute(inA + 60_000), { iterations: 30, warmup: 4, baseline: 'naive recompute: scan all, deadlines in JS, one write per location' }));

    /* One visit */
    await resetState();
    now = inA;
    await engine.recompute(inA);
    const ids = locations.map((l) => l.id);
    const teamIds = teams.map((t) => t.id);
    let visitTime = inA;
    rows.push(
      await timeAsync(
        'naive visit: rescan every location after it',
        async (i) => {
          visitTime += 1000;
          now = visitTime;
          await redis.hSet(k.covLastVisit, ids[(i * 7919) % ids.length]!, `police:${visitTime}:TM001`);
          const [reqs, last] = await Promise.all([redis.hGetAll(naive.req), redis.hGetAll(k.covLastVisit)]);
          const multi = redis.multi();
          for (const [id, req] of Object.entries(reqs)) {
            const [gapMs, minAgencies, since, leadMs] = req.split(',').map(Number);
            const visits = Object.fromEntries((last[id] ?? '').split(';').filter(Boolean).map((e) => [e.split(':')[0]!, Number(e.split(':')[1])]));
            const { deadline, dueAt } = nextDeadline(visits, { gapMs: gapMs!, minAgencies: minAgencies!, since: since!, leadMs: leadMs! });
            multi.hSet(naive.state, id, `covered,${deadline},${dueAt}`);
          }
          await multi.exec();
        },
        { iterations: 50, warmup: 5, setup: async () => {
          if ((await redis.hLen(naive.req)) > 0) return;
          const plan = planCoverage({ locations, keyGridIds, periods, rules, now: inA }, { timeZone: 'Asia/Shanghai' });
          await redis.hSet(naive.req, Object.fromEntries([...plan.requirements].map(([id, r]) => [id, `${r.gapMs},${r.minAgencies},${r.since},${r.leadMs}`])));
        } },
      ),
    );
    await resetState();
    await engine.recompute(inA);
    rows.push(
      await timeAsync(
        'one visit, alone (a check-in; includes the Redis round trip)',
        (i) => {
          visitTime += 1000;
          now = visitTime;
          return engine.recordVisits([{ locationId: ids[(i * 7919) % ids.length]!, teamId: teamIds[i % teamIds.length]!, time: visitTime }], visitTime);
        },
        { iterations: 2000, warmup: 200, baseline: 'naive visit: rescan every location after it' },
      ),
    );
    const BATCH = 100;
    const batched = await timeAsync(
      `one visit, as ${BATCH} check-ins arrive together (per visit)`,
      async (i) => {
        visitTime += 1000;
        now = visitTime;
        const visits = Array.from({ length: BATCH }, (_, j) => ({ locationId: ids[(i * BATCH + j) * 31 % ids.length]!, teamId: teamIds[j % teamIds.length]!, time: visitTime }));
        await Promise.all(visits.map((v) => engine.recordVisits([v], visitTime)));
      },
      { iterations: 100, warmup: 10 },
    );
    rows.push({ ...batched, median: batched.median / BATCH, p99: batched.p99 / BATCH, target: 50, baseline: 'naive visit: rescan every location after it' });

    /* Scheduler tick with 5,000 locations past their deadline */
    // Every location under one requirement, then 3 hours pass without a visit.
    const everything: KeyPeriod[] = [{ id: 'all', name: '全县', kind: 'event', start: '2026-10-12T09:00', end: '2026-10-13T09:00' }];
    const allRules: CoverageRule[] = [{ id: 'all', periodId: 'all', maxGapMinutes: 60 }];
    await app.coverage.store.write({ periods: everything, rules: allRules, deletePeriods: periods.map((p) => p.id), deleteRules: rules.map((r) => r.id) });
    const late = inA + 3 * HOUR;
    const armed = async () => {
      await resetState();
      now = inA;
      await engine.recompute(inA);
      now = late;
    };
    // The naive engine's per-location states: every location covered until 10:00 (the event began at 09:00).
    const naiveArmed = async () => {
      await armed();
      const deadline = Date.UTC(2026, 9, 12, 2, 0);
      await redis.hSet(naive.state, Object.fromEntries(locations.map((l) => [l.id, `covered,${deadline},${deadline - 12 * MIN}`])));
    };
    rows.push(
      await timeAsync(
        'naive tick: read every state, compare, write each transition',
        async () => {
          const states = await redis.hGetAll(naive.state);
          const multi = redis.multi();
          let n = 0;
          for (const [id, value] of Object.entries(states)) {
            const deadline = Number(value.split(',')[1]);
            if (!(late > deadline)) continue;
            const alertId = String(++n);
            multi.hSet(naive.state, id, `uncovered,${value.split(',')[1]},${value.split(',')[2]}`);
            multi.hSet(k.alerts, alertId, JSON.stringify({ id: alertId, kind: 'uncovered', subject: id, at: deadline, raisedAt: late }));
            multi.hSet(k.alertSubjects, `uncovered:${id}`, alertId);
            multi.zAdd(k.alertsOpen, { score: late, value: alertId });
            multi.xAdd(k.alertLog, '*', { id: alertId, event: 'raised' });
          }
          await multi.exec();
        },
        { iterations: 10, warmup: 2, setup: naiveArmed },
      ),
    );
    let last = { raised: 0, changed: 0 };
    rows.push(
      await timeAsync(
        'scheduler tick, 5,000 locations past their deadline (all 5,000 announced, one alert per township)',
        async () => {
          last = await engine.tick(late);
        },
        { iterations: 10, warmup: 2, setup: armed, target: 20_000, baseline: 'naive tick: read every state, compare, write each transition' },
      ),
    );
    const townships = new Set(locations.map((l) => l.townshipId)).size;
    if (last.raised !== townships || last.changed !== locations.length) throw new Error(`tick raised ${last.raised} alerts and announced ${last.changed} locations, expected ${townships} and ${locations.length}`);
    await armed();
    await engine.tick(late);
    rows.push(await timeAsync('scheduler tick, nothing due', () => engine.tick(late + 1000), { iterations: 200, warmup: 20, baseline: 'naive tick: read every state, compare, write each transition' }));

    printTable('Coverage engine on Redis (times per operation)', rows);
    console.log(`\nload ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end. Both ticks with everything due announce the same 5,000 locations; the naive one writes a state and an alert for each, the engine one alert per township (the classes' sorted sets give the rest). The floor rows are Redis alone, on this machine in this run.`);
  } finally {
    await app.close();
    await redisServer.destroy();
  }
}
