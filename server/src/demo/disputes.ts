/**
 * The demo's past: three months of disputes (矛盾纠纷) that went up the mediation ladder the way
 * Shuyang's do (DOMAIN.md), so the dispute statistics show figures like the county's from the
 * first minute: about a quarter passed up from the village three rooms, ~87 % settled by the
 * township two centres, ~98.6 % by the county three centres. The incident service stamps
 * everything with the clock, so these are written through its store (the same scripts, with
 * the past times), once per store.
 */
import { createRandom, randomPointIn, type DisputeLevel, type Grid, type IncidentStep, type MediationRoom, type Team } from '@lianfang/geo';
import type { IncidentStore, StoredIncident } from '../incidents/store.ts';
import { newReference } from '../incidents/reference.ts';
import { demoMediation } from './mediationRooms.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Shares of cases settled at each level (the rest passed up). */
export const SETTLED_SHARE: Record<DisputeLevel, number> = { village: 0.76, township: 9_550 / 10_950, county: 1_380 / 1_400 };

const KINDS = [
  ['邻里因宅基地界线发生争执', '宅基地'],
  ['婆媳矛盾激化，双方争吵', '婚姻家庭'],
  ['拖欠工资，工人讨要未果', '劳资'],
  ['土地流转款分配不均', '土地流转'],
  ['相邻楼层漏水赔偿纠纷', '相邻关系'],
  ['交通事故赔偿协商不成', '交通事故'],
  ['医疗费用争议', '医疗'],
  ['物业费收缴纠纷', '物业'],
] as const;

/**
 * Past disputes, `perDay` a day over the `days` before `now`, each finished (or, rarely, still
 * with the county centre) before `now`. Deterministic from the seed.
 */
export function pastDisputes(
  grids: readonly Grid[],
  teams: readonly Team[],
  now: number,
  options: { days?: number; perDay?: number; seed?: number; rooms?: ReadonlyMap<string, MediationRoom> } = {},
): Omit<StoredIncident, 'id' | 'reference'>[] {
  const rooms = options.rooms ?? new Map<string, MediationRoom>();
  const days = options.days ?? 90;
  const random = createRandom(options.seed ?? 4_010);
  const count = Math.round(days * (options.perDay ?? 15));
  const out: Omit<StoredIncident, 'id' | 'reference'>[] = [];
  if (grids.length === 0 || teams.length === 0) return out;
  const teamOf = (grid: Grid) => teams.find((t) => t.gridIds.includes(grid.id)) ?? teams.find((t) => t.townshipId === grid.townshipId) ?? teams[0]!;
  for (let n = 0; n < count; n++) {
    const grid = random.pick(grids);
    const team = teamOf(grid);
    const [lon, lat] = randomPointIn(random, grid);
    const [description, kind] = random.pick(KINDS);
    // Daytime, spread over the window, the last day left for the trickle.
    const day = Math.floor(random.next() * days) + 1;
    let t = now - day * DAY + Math.round(random.between(8, 20) * HOUR);
    t = Math.min(t, now - 6 * HOUR);
    const createdAt = t;
    const history: IncidentStep[] = [];
    const step = (event: IncidentStep['event'], state: IncidentStep['state'], by: string, gap: number, extra: Partial<IncidentStep> = {}) => {
      // Every step before now, however long the mediation took.
      t = Math.min(t + gap, t + (now - t) / 3);
      history.push({ event, state, by, at: Math.round(t), note: null, ...extra });
    };
    const publicForm = random.chance(0.4);
    history.push({ event: 'created', state: 'new', by: publicForm ? 'public' : 'dispatcher', at: createdAt, note: null, level: 'village' });
    step('dispatch', 'dispatched', 'dispatcher', random.between(2, 10) * MIN, { teamId: team.id, note: team.callSign });
    step('accept', 'accepted', team.callSign, random.between(1, 3) * MIN, { teamId: team.id });
    step('arrive', 'on_scene', team.callSign, random.between(5, 20) * MIN, { teamId: team.id });
    const place = { townshipId: grid.townshipId, villageId: grid.villageId };
    // Each resolve and pass-up names the room that mediated (when the county has its rooms).
    const mediation = (at: DisputeLevel, outcome: 'settled' | 'passed_up') => {
      const m = demoMediation(n, at, place, outcome, kind, rooms);
      return m ? { mediation: m } : {};
    };
    let level: DisputeLevel = 'village';
    let state: StoredIncident['state'] = 'resolved';
    if (random.chance(SETTLED_SHARE.village)) {
      step('resolve', 'resolved', team.callSign, random.between(20, 90) * MIN, { teamId: team.id, level, note: '村调解室调解成功，双方和解', ...mediation('village', 'settled') });
    } else {
      level = 'township';
      step('escalate', 'escalated', team.callSign, random.between(20, 90) * MIN, { teamId: team.id, level, note: '村三室调解未果，申请乡镇两中心调处', ...mediation('village', 'passed_up') });
      if (random.chance(SETTLED_SHARE.township)) {
        step('resolve', 'resolved', 'demo', random.between(1, 5) * DAY, { level, note: '乡镇两中心调解成功，双方签订协议', ...mediation('township', 'settled') });
      } else {
        step('reopen', 'new', 'dispatcher', random.between(2, 6) * DAY);
        level = 'county';
        step('escalate', 'escalated', 'dispatcher', random.between(10, 30) * MIN, { level, note: '乡镇两中心调解未果，移交县三中心调处', ...mediation('township', 'passed_up') });
        if (random.chance(SETTLED_SHARE.county)) step('resolve', 'resolved', 'demo', random.between(3, 14) * DAY, { level, note: '县三中心调解成功，双方签订协议', ...mediation('county', 'settled') });
        else state = 'escalated'; // still with the county centre: 引导诉讼
      }
    }
    const last = history[history.length - 1]!;
    out.push({
      category: 'dispute',
      severity: 3,
      state,
      source: publicForm ? 'public' : 'dispatcher',
      lon,
      lat,
      gridId: grid.id,
      townshipId: grid.townshipId,
      address: null,
      description: `${description}（${kind}纠纷）`,
      reporter: null,
      teamId: state === 'resolved' && level === 'village' ? team.id : null,
      createdAt,
      updatedAt: last.at,
      acknowledged: { by: 'dispatcher', at: history[1]!.at },
      due: null,
      disputeLevel: level,
      version: history.length,
      history,
      clientKey: `demo:history-${n}`,
      createdBy: publicForm ? 'public' : 'dispatcher',
      lastDispatch: { by: 'dispatcher', version: 1, teamId: team.id },
    });
  }
  return out;
}

/**
 * Writes the past disputes through the incident store, once per store (`flag` is SET NX):
 * created as they ended, then closed at the time they were resolved, so retention counts from then.
 */
export async function seedDisputeHistory(deps: { store: IncidentStore; claim: () => Promise<boolean>; grids: Grid[]; teams: Team[]; now: number; rooms?: readonly MediationRoom[] }): Promise<number> {
  if (!(await deps.claim())) return 0;
  let written = 0;
  const drafts = pastDisputes(deps.grids, deps.teams, deps.now, { rooms: new Map((deps.rooms ?? []).map((r) => [r.id, r])) });
  // A hundred at a time: node-redis pipelines concurrent calls, so boot waits a moment, not seconds.
  for (let i = 0; i < drafts.length; i += 100) {
    const done = await Promise.all(
      drafts.slice(i, i + 100).map(async (draft) => {
        const r = await deps.store.create({ ...draft, reference: newReference() });
        if (r.status !== 'ok') return 0;
        // Out of the open set into the closed one, at its resolution time. The write script checks
        // version and state only: given the history as created, it counts every mediation step
        // (each on its own day) in the mediation statistics.
        const asCreated = { ...r.incident, history: r.incident.history.slice(0, 1) };
        if (draft.state === 'resolved') await deps.store.write(draft.updatedAt, asCreated, { ...r.incident, version: r.incident.version + 1 });
        return 1;
      }),
    );
    written += done.reduce<number>((a, b) => a + b, 0);
  }
  return written;
}
