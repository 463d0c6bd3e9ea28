/**
 * The assessment report on the demo county (300 teams, 5,000 key locations) with 90 simulated
 * days of history (tens of thousands of incidents, hundreds of thousands of check-ins), against
 * a naive scan of the raw records measured in the same run:
 *
 *   - a month grouped by team             target ≤ 200 ms
 *   - a year grouped by township          target ≤ 200 ms
 *   - the daily briefing (日报) of a day    target ≤ 1 s
 *
 * The report reads the per-day and per-month hashes the facts were counted into (the tally
 * lines of server/src/reports/tally.ts, summed here as the scripts would); the naive scan reads
 * the incidents and every team's check-in stream for the period and sums the same figures (a
 * lower bound for a real scan: it leaves out tracks, alerts and orders). Both group through the
 * same code, and the bench checks they agree on what both count. The briefing compiles a day
 * from its day hash, the alerts alive that day, that day's incidents and the major events (as
 * the morning run does); its naive scan reads every incident and every alert of the history.
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { printTable, timeAsync, type Row } from './harness.ts';
import { addDays, generateDemoCounty, localDate, type Team } from '../../geo/src/index.ts';
import { FIGURES, incidentTally, teamSubject, type TalliedIncident } from '../../server/src/reports/tally.ts';
import { addFigure, assessmentRows, readFigures, type ReportContext, type SubjectFigures } from '../../server/src/reports/report.ts';

const MIN = 60_000;
const DAY_MS = 86_400_000;
const DAYS = 90;
const INCIDENTS_PER_DAY = 400;
const TZ = 'Asia/Shanghai';

/** A small seeded generator (mulberry32): the same history every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}





/** Midnight of a county day (UTC+8, no daylight saving). */
const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - 8 * 3_600_000;

export async function run(): Promise<void> {
  const county = generateDemoCounty();
  const teams: Team[] = county.teams;
  const random = rng(18);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const lastDay = '2026-06-30';
  const firstDay = addDays(lastDay, -(DAYS - 1));

  /* ---------- the history: raw records, and the tally lines the scripts would have counted ---------- */
  const dayHashes = new Map<string, Map<string, number | string>>();
  const count = (line: string) => {
    const [day, subject, figure, op, value] = line.split('\t') as [string, string, string, string, string];
    for (const key of [`d:${day}`, `m:${day.slice(0, 7)}`]) {
      let h = dayHashes.get(key);
      if (!h) dayHashes.set(key, (h = new Map()));
      const field = `${subject}|${figure}`;
      const cur = h.get(field);
      if (op === 'list') h.set(field, cur === undefined ? value : `${cur},${value}`);
      else if (op === 'max') h.set(field, Math.max(Number(cur ?? 0), Number(value)));
      else h.set(field, Number(cur ?? 0) + Number(value));
    }
  };
  const countSpec = (spec: string) => spec && spec.split('\n').forEach(count);

  const checkIns = new Map<string, number[]>(teams.map((t) => [t.id, []]));
  const incidents: { id: string; createdAt: number; json: string }[] = [];
  /** Alerts as the alert scripts store them: late accepts, the townships' coverage lapses (some escalated), a few SOS. */
  const alerts: { id: string; resolvedAt: number; json: string }[] = [];
  const alert = (fields: Record<string, unknown> & { raisedAt: number; resolvedAt: number }) => {
    const id = String(alerts.length + 1);
    const { resolvedAt, ...rest } = fields;
    alerts.push({ id, resolvedAt, json: JSON.stringify({ id, level: rest.escalatedAt ? 2 : 1, state: 'resolved', at: rest.raisedAt, ...rest, resolved: { by: 'system', at: resolvedAt, reason: rest.kind === 'incident_late' ? 'step_done' : 'visited' } }) });
  };
  for (let d = 0; d < DAYS; d++) {
    const date = addDays(firstDay, d);
    const start = midnight(date);
    for (const team of teams) {
      const s = teamSubject(team.id);
      count(`${date}\t${s}\t${FIGURES.duty}\t+\t${Math.round(14_400 + random() * 14_400)}`);
      count(`${date}\t${s}\t${FIGURES.distance}\t+\t${Math.round(10_000 + random() * 20_000)}`);
      const n = 4 + Math.floor(random() * 9);
      const times = [...Array(n).keys()].map(() => start + 8 * 3_600_000 + Math.floor(random() * 12 * 3_600_000)).sort((a, b) => a - b);
      checkIns.get(team.id)!.push(...times);
      for (let i = 0; i < n; i++) count(`${date}\t${s}\t${FIGURES.visits}\t+\t1`);
    }
    for (let i = 0; i < INCIDENTS_PER_DAY; i++) {
      const team = pick(teams);
      const createdAt = start + Math.floor(random() * (DAY_MS - 3 * 3_600_000));
      const dispute = random() < 0.1;
      const inc: TalliedIncident & { id: string; createdAt: number } = { id: String(incidents.length + 1), createdAt, state: 'new', category: dispute ? 'dispute' : 'public_order', teamId: null, townshipId: team.townshipId ?? null, disputeLevel: dispute ? 'village' : null, history: [] };
      let cur: TalliedIncident = inc;
      const step = (event: string, state: string, at: number, changes: Partial<TalliedIncident> = {}) => {
        const next: TalliedIncident = { ...cur, ...changes, state, history: [...cur.history, { event, at, teamId: changes.teamId ?? cur.teamId }] };
        countSpec(incidentTally(cur, next, at, TZ));
        cur = next;
      };
      let t = createdAt + (1 + Math.floor(random() * 4)) * MIN;
      step('dispatch', 'dispatched', t, { teamId: team.id });
      const dispatchedAt = t;
      t += (1 + Math.floor(random() * 15)) * MIN;
      if (t - dispatchedAt > 10 * MIN) alert({ kind: 'incident_late', subject: inc.id, raisedAt: dispatchedAt + 10 * MIN, deadline: dispatchedAt + 10 * MIN, step: 'accept', title: `事件 ${inc.id}`, teamId: team.id, townshipId: team.townshipId, resolvedAt: t });
      step('accept', 'accepted', t);
      if (random() < 0.9) {
        t += (5 + Math.floor(random() * 25)) * MIN;
        step('arrive', 'on_scene', t);
      }
      if (dispute && random() < 0.3) {
        step('escalate', 'escalated', (t += 30 * MIN), { disputeLevel: 'township' });
      }
      if (random() < 0.85) step('resolve', 'resolved', (t += (10 + Math.floor(random() * 60)) * MIN));
      incidents.push({ id: inc.id, createdAt, json: JSON.stringify({ ...cur, id: inc.id, createdAt }) });
    }
  }
  const townshipIds = [...new Set(teams.map((t) => t.townshipId).filter((x): x is string => !!x))];
  for (let d = 0; d < DAYS; d++) {
    const start = midnight(addDays(firstDay, d));
    for (let i = 0; i < 200; i++) {
      const raisedAt = start + Math.floor(random() * (DAY_MS - 3 * 3_600_000));
      const tw = pick(townshipIds);
      alert({ kind: 'uncovered', subject: tw, townshipId: tw, raisedAt, resolvedAt: raisedAt + Math.floor(random() * 2 * 3_600_000), ...(random() < 0.2 ? { escalatedAt: raisedAt + 10 * MIN } : {}) });
    }
    for (let i = 0; i < 2; i++) {
      const team = pick(teams);
      const raisedAt = start + Math.floor(random() * (DAY_MS - 3 * 3_600_000));
      alert({ kind: 'sos', subject: team.id, teamId: team.id, townshipId: team.townshipId, raisedAt, resolvedAt: raisedAt + 30 * MIN });
    }
  }
  const checkInCount = [...checkIns.values()].reduce((a, b) => a + b.length, 0);

  /* ---------- Redis ---------- */
  const { startRedis } = await import('../../tests/helpers/redis.ts');
  const { build, loadConfig } = await import('../../server/src/app.ts');
  const { whenReady } = await import('../../server/src/plugins/redis.ts');
  const redisServer = await startRedis();
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', redisUrl: redisServer.url, redisPrefix: 'bench:', logLevel: 'silent', webRoot: '', coverageTickMs: 0, incidentTickMs: 0, orderTickMs: 0, reportRollUpMs: 0, briefingTickMs: 0, osmandPort: 0, redisTimeoutMs: 60_000 });
  const app = await build(config, { clock: { now: () => midnight(lastDay) + DAY_MS }, logger: false });
  try {
    await app.ready();
    await whenReady(app.redis, 10_000);
    const { teams: _teams, ...geography } = county;
    await app.teams.save(teams);
    await app.geography.store.replaceAll(geography);
    const redis = app.redis;
    const k = app.keys;
    const loadStart = performance.now();
    for (let i = 0; i < incidents.length; i += 2000) {
      const batch = incidents.slice(i, i + 2000);
      await redis.hSet(k.incidents, batch.flatMap((x) => [x.id, x.json]));
      await redis.zAdd(k.incidentsByTime, batch.map((x) => ({ score: x.createdAt, value: x.id })));
    }
    for (let i = 0; i < alerts.length; i += 2000) {
      const batch = alerts.slice(i, i + 2000);
      await redis.hSet(k.alerts, batch.flatMap((x) => [x.id, x.json]));
      await redis.zAdd(k.alertsClosed, batch.map((x) => ({ score: x.resolvedAt, value: x.id })));
    }
    for (const [teamId, times] of checkIns) {
      const m = redis.multi();
      times.forEach((t, i) => m.xAdd(k.teamCheckins(teamId), `${t}-${i}`, { id: `b${i}`, t: String(t), team: teamId, loc: 'L', kind: 'auto' }));
      await m.exec();
    }
    for (const [key, h] of dayHashes) {
      const name = key.startsWith('d:') ? k.reportDay(key.slice(2)) : k.reportMonth(key.slice(2));
      const entries = [...h].flatMap(([f, v]) => [f, String(v)]);
      for (let i = 0; i < entries.length; i += 20_000) await redis.hSet(name, entries.slice(i, i + 20_000));
    }
    console.log(`\n${teams.length} teams, ${county.locations.length} key locations; ${DAYS} days (${firstDay}…${lastDay}): ${incidents.length.toLocaleString('en')} incidents, ${alerts.length.toLocaleString('en')} alerts, ${checkInCount.toLocaleString('en')} check-ins, loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s; loopback Redis`);

    const context = async (): Promise<ReportContext> => {
      const [p, ts] = await Promise.all([app.geography.places.current(), app.teams.list()]);
      return { teams: ts, locations: p.locations, townshipName: (id) => p.townships.get(id)?.name ?? id, organisationName: (id) => p.organisations.get(id)?.name ?? id };
    };

    /** What the route does: read the period's hashes, group. */
    const viaAggregates = async (from: string, to: string, groupBy: 'team' | 'township') => assessmentRows(await readFigures(redis, k, from, to), groupBy, {}, await context());

    /** The naive scan: every incident of the period and every team's check-ins, summed. */
    const naive = async (from: string, to: string, groupBy: 'team' | 'township') => {
      const lo = midnight(from);
      const hi = midnight(to) + DAY_MS;
      const sums: SubjectFigures = new Map();
      // Incidents by creation time, with a day's margin for steps taken after midnight.
      const ids = await redis.zRange(k.incidentsByTime, lo - DAY_MS, hi, { BY: 'SCORE' });
      for (let i = 0; i < ids.length; i += 5000) {
        for (const json of await redis.hmGet(k.incidents, ids.slice(i, i + 5000))) {
          if (!json) continue;
          const s = JSON.parse(json) as TalliedIncident;
          let dispatchAt = 0;
          let prevTeam: string | null = null;
          let prevState = 'new';
          for (const h of s.history) {
            const team = h.teamId ?? null;
            const inside = h.at >= lo && h.at < hi;
            if (h.event === 'dispatch') dispatchAt = h.at;
            if (inside && team) {
              const subject = teamSubject(team);
              if (h.event === 'dispatch') addFigure(sums, subject, FIGURES.dispatched, 1);
              if (h.event === 'accept') {
                addFigure(sums, subject, FIGURES.accepted, 1);
                addFigure(sums, subject, FIGURES.acceptTimes, [Math.round((h.at - dispatchAt) / 1000)]);
              }
              if (h.event === 'arrive') {
                addFigure(sums, subject, FIGURES.arrived, 1);
                addFigure(sums, subject, FIGURES.arriveTimes, [Math.round((h.at - dispatchAt) / 1000)]);
              }
              if (h.event === 'resolve') addFigure(sums, subject, FIGURES.resolved, 1);
            }
            prevTeam = team;
            prevState = h.event;
          }
          void prevTeam;
          void prevState;
        }
      }
      const streams = await Promise.all(teams.map((t) => redis.xRange(k.teamCheckins(t.id), String(lo), String(hi - 1))));
      teams.forEach((t, i) => {
        const n = streams[i]!.length;
        if (n) addFigure(sums, teamSubject(t.id), FIGURES.visits, n);
      });
      return assessmentRows(sums, groupBy, {}, await context());
    };

    // Both agree on what both count.
    const month = ['2026-06-01', '2026-06-30'] as const;
    const [fast, slow] = await Promise.all([viaAggregates(...month, 'team'), naive(...month, 'team')]);
    for (const figure of ['visits', 'dispatched', 'accepted', 'arrived', 'resolved', 'acceptMedianMin', 'arriveP90Min'] as const) {
      if (fast.total[figure] !== slow.total[figure]) throw new Error(`the report and the naive scan disagree on ${figure}: ${fast.total[figure]} vs ${slow.total[figure]}`);
    }
    console.log(`June by team: ${fast.rows.length} rows; ${fast.total.dispatched} dispatches, ${fast.total.visits} check-ins, accept median ${fast.total.acceptMedianMin} min, p90 ${fast.total.acceptP90Min} min (the naive scan agrees)`);

    const rows: Row[] = [];
    rows.push(await timeAsync('naive scan: a month by team (incidents + check-in streams)', () => naive(...month, 'team'), { iterations: 5, warmup: 1 }));
    rows.push(await timeAsync('report: a month by team (day/month hashes)', () => viaAggregates(...month, 'team'), { iterations: 30, target: 200_000, baseline: 'naive scan: a month by team (incidents + check-in streams)' }));
    rows.push(await timeAsync('naive scan: a year by township', () => naive('2025-07-01', lastDay, 'township'), { iterations: 3, warmup: 1 }));
    rows.push(await timeAsync('report: a year by township (12 month hashes)', () => viaAggregates('2025-07-01', lastDay, 'township'), { iterations: 30, target: 200_000, baseline: 'naive scan: a year by township' }));
    rows.push(await timeAsync('report: 90 days by team ending mid-month (month + day hashes)', () => viaAggregates('2026-04-02', lastDay, 'team'), { iterations: 30 }));

    /* ---------- the daily briefing of the last day, as the morning run compiles it ---------- */
    const briefingDay = lastDay;
    const briefing = () => app.reports.briefings.compile(briefingDay, midnight(lastDay) + DAY_MS + 7.5 * 3_600_000);
    /** The naive briefing: every incident and every alert of the history read and sifted for the day. */
    const naiveBriefing = async () => {
      const lo = midnight(briefingDay);
      const hi = lo + DAY_MS;
      const chunked = async (ids: string[], key: string) => {
        const out: string[] = [];
        for (let i = 0; i < ids.length; i += 5000) for (const j of await redis.hmGet(key, ids.slice(i, i + 5000))) if (j) out.push(j);
        return out;
      };
      const [incs, all] = await Promise.all([
        redis.zRange(k.incidentsByTime, 0, -1).then((ids) => chunked(ids, k.incidents)),
        Promise.all([redis.zRange(k.alertsOpen, 0, -1), redis.zRange(k.alertsClosed, 0, -1)]).then(([a, b]) => chunked([...a, ...b], k.alerts)),
      ]);
      const byState: Record<string, number> = {};
      let reported = 0;
      let dispatched = 0;
      for (const json of incs) {
        const s = JSON.parse(json) as TalliedIncident & { createdAt: number };
        if (s.createdAt >= lo && s.createdAt < hi) {
          reported++;
          byState[s.state] = (byState[s.state] ?? 0) + 1;
        }
        for (const h of s.history) if (h.event === 'dispatch' && h.at >= lo && h.at < hi) dispatched++;
      }
      const late = all.map((j) => JSON.parse(j) as { kind: string; raisedAt: number; escalatedAt?: number }).filter((a) => a.raisedAt >= lo && a.raisedAt < hi);
      return { reported, byState, dispatched, late: late.filter((a) => a.kind === 'incident_late').length, sos: late.filter((a) => a.kind === 'sos').length };
    };
    const [b, nb] = await Promise.all([briefing(), naiveBriefing()]);
    if (b.headline.incidents.reported !== nb.reported || b.headline.dispatched !== nb.dispatched || Math.min(b.lateIncidents.length, 50) !== Math.min(nb.late, 50)) {
      throw new Error(`the briefing and the naive scan disagree: ${JSON.stringify([b.headline.incidents.reported, b.headline.dispatched, b.lateIncidents.length])} vs ${JSON.stringify([nb.reported, nb.dispatched, nb.late])}`);
    }
    console.log(`Briefing of ${briefingDay}: ${b.headline.incidents.reported} incidents, ${b.headline.dispatched} dispatches, ${nb.late} late accepts (${b.lateIncidents.length} listed), ${b.notable.length} notable, ${b.lapses.length} townships with lapses (the naive scan agrees)`);
    rows.push(await timeAsync('naive scan: the daily briefing (every incident and alert)', naiveBriefing, { iterations: 5, warmup: 1 }));
    rows.push(await timeAsync('daily briefing: a day (day hash, the day\'s alerts and incidents)', briefing, { iterations: 20, target: 1_000_000, baseline: 'naive scan: the daily briefing (every incident and alert)' }));
    printTable('Assessment report (times per report)', rows);
    console.log(`\nload ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the end.`);
  } finally {
    await app.close();
    await redisServer.destroy();
  }
}
