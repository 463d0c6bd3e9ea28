/**
 * The demo's trickle of incidents, planned as pure functions of a seed and the clock: which
 * incidents appear when (a few per hour per township, more in towns and by day; help requests
 * and disputes most common; from the public help form, patrols and the dispatcher), and what
 * the simulated dispatcher and teams do to each next and when. The simulator plugin carries
 * the plan out through the incident service; nothing here touches Redis, so the same clock
 * always gives the same trickle.
 */
import { createRandom, randomPointIn, type DisputeLevel, type Grid, type IncidentAction, type IncidentCategory, type IncidentSource, type IncidentState, type IncidentStep, type Random, type Township } from '@lianfang/geo';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Arrivals are drawn per township and slot: small enough that two in one slot are rare. */
export const SLOT_MS = 5 * MIN;

/** Incidents per township per hour at the busiest time of day, by kind of township. */
export const BASE_RATE: Record<Township['kind'], number> = { street: 3, town: 2, township: 1.2 };

/** Share of the peak rate by local hour: quiet before dawn, busy by day, disputes in the evening. */
export const HOUR_FACTOR = [0.2, 0.15, 0.15, 0.15, 0.2, 0.3, 0.5, 0.7, 0.9, 1, 1, 1, 0.9, 0.85, 0.95, 1, 1, 1, 1, 1, 0.9, 0.7, 0.5, 0.3] as const;

export const SOURCE_WEIGHTS: Record<IncidentSource, number> = { public: 40, dispatcher: 35, patrol: 25 };

/** What each source reports: residents ask for help and bring disputes; patrols see order and hazards. */
export const CATEGORY_WEIGHTS: Record<IncidentSource, Partial<Record<IncidentCategory, number>>> = {
  public: { help: 50, dispute: 25, safety_hazard: 10, public_order: 8, other: 7 },
  dispatcher: { help: 25, dispute: 25, public_order: 15, traffic: 15, suspicious_person: 8, safety_hazard: 5, mass_gathering: 2, other: 5 },
  patrol: { public_order: 25, safety_hazard: 20, suspicious_person: 20, traffic: 15, help: 10, dispute: 10 },
};

/** How often a dispute is passed up from each level (the county's figures: ~13 % of township cases reach the county). */
export const ESCALATE_SHARE: Record<Exclude<DisputeLevel, 'county'>, number> = { village: 0.2, township: 0.13 };
/** How often a team accepts after the time limit, so the late-step alert shows. */
export const LATE_SHARE = 0.07;

/** Minutes on scene, by category. */
const WORK_MIN: Record<IncidentCategory, [number, number]> = {
  help: [5, 15],
  dispute: [15, 40],
  public_order: [10, 25],
  suspicious_person: [5, 15],
  safety_hazard: [10, 20],
  traffic: [10, 30],
  mass_gathering: [30, 60],
  other: [5, 15],
};

const DESCRIPTIONS: Record<IncidentCategory, readonly string[]> = {
  help: ['独居老人摔倒在家，需要帮助', '孩子放学未回家，家长着急寻找', '老人走失，穿灰色外套', '家中漏水，楼下邻居被淹', '钥匙锁在屋内，小孩独自在家', '困难户断粮，请求救助', '精神障碍患者情绪激动，家属求助', '留守儿童发烧，家中无大人'],
  dispute: ['邻里因宅基地界线发生争执', '婆媳矛盾激化，双方争吵', '相邻楼层噪音纠纷', '拖欠工资，工人聚集讨要', '土地流转款分配不均引发争执', '停车位纠纷，双方互不相让', '宠物狗咬人，赔偿未谈妥', '租房押金退还纠纷'],
  public_order: ['烧烤店门口有人酒后滋事', '夜市有人打架', '网吧内有人争吵推搡', '广场舞音响扰民，与居民冲突'],
  suspicious_person: ['小区内有陌生人挨户敲门', '有人在电动车棚附近徘徊', '学校门口可疑人员逗留', '有人冒充燃气公司上门推销'],
  safety_hazard: ['路边电线杆倾斜', '窨井盖缺失', '沿街商铺私拉电线', '河边护栏损坏', '废品站堆放易燃物'],
  traffic: ['路口两车剐蹭，堵塞交通', '电动车与行人相撞，有人受伤', '货车违停占用消防通道', '红绿灯故障，路口拥堵'],
  mass_gathering: ['工地门口聚集二十余人讨薪', '集市人流过大，出入口拥挤', '婚丧宴席占道，人员聚集'],
  other: ['路灯不亮，居民反映夜间不便', '流浪狗伤人隐患', '群众反映有异味', '广告牌松动'],
};

const SURNAMES = ['王', '张', '李', '刘', '陈', '杨', '周', '吴', '徐', '孙', '朱', '胡', '仲', '沈', '葛', '汤'] as const;
const GIVEN = ['建国', '秀英', '桂兰', '志强', '海燕', '明', '伟', '芳', '丽', '军', '敏', '静', '洪亮', '玉梅', '春生', '小红'] as const;
const ROADS = ['人民路', '沭河路', '北京路', '上海路', '迎宾大道', '沭阳大道', '温泉路', '长江路', '黄河路', '建设路', '文化路'] as const;

export interface TrickleTownship {
  id: string;
  name: string;
  kind: Township['kind'];
  grids: Grid[];
}

export interface PlannedIncident {
  /** Client id for the incident service: the same plan always gives the same id, so a retry never makes two. */
  id: string;
  at: number;
  townshipId: string;
  gridId: string;
  lon: number;
  lat: number;
  source: IncidentSource;
  category: IncidentCategory;
  description: string;
  address: string;
  reporterName: string;
  reporterPhone: string;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function weighted<T extends string>(random: Random, weights: Partial<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][];
  let r = random.next() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [k, w] of entries) if ((r -= w) < 0) return k;
  return entries[entries.length - 1]![0];
}

/** Poisson-distributed count with mean `mean` (small means). */
function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random.next(); p > limit; p *= random.next()) k++;
  return k;
}

export interface TrickleOptions {
  seed: number;
  /** Local hour of an instant (Asia/Shanghai by default). */
  localHour?: (t: number) => number;
  /** Multiplies every rate (1 = a few per township per hour). */
  rate?: number;
}

const shanghaiHour = (t: number) => new Date(t + 8 * HOUR).getUTCHours();

/**
 * The incidents that appear in [from, to), oldest first. Each township and slot draws its own
 * arrivals from the seed, so any window gives the same incidents as the windows it is split into.
 *
 * @example
 * plannedIncidents(townships, t, t + 3_600_000, { seed: 7 }); // ~ 2 per township
 */
export function plannedIncidents(townships: readonly TrickleTownship[], from: number, to: number, options: TrickleOptions): PlannedIncident[] {
  if (!(from <= to)) throw new RangeError('plannedIncidents: from must not be after to');
  const localHour = options.localHour ?? shanghaiHour;
  const out: PlannedIncident[] = [];
  for (let slot = Math.floor(from / SLOT_MS); slot * SLOT_MS < to; slot++) {
    const start = slot * SLOT_MS;
    const factor = HOUR_FACTOR[localHour(start)] ?? 1;
    for (const township of townships) {
      if (township.grids.length === 0) continue;
      const random = createRandom(hash(`${options.seed}:${township.id}:${slot}`));
      const count = poisson(random, (BASE_RATE[township.kind] ?? 1.5) * factor * (options.rate ?? 1) * (SLOT_MS / HOUR));
      for (let i = 0; i < count; i++) {
        const at = start + Math.floor(random.next() * SLOT_MS);
        // Key grids (busier streets, markets) twice as likely.
        const keyGrids = township.grids.filter((g) => g.key);
        const grid = keyGrids.length > 0 && random.chance(0.3) ? random.pick(keyGrids) : random.pick(township.grids);
        const [lon, lat] = randomPointIn(random, grid);
        const source = weighted(random, SOURCE_WEIGHTS);
        const category = weighted(random, CATEGORY_WEIGHTS[source]);
        const plan: PlannedIncident = {
          id: `sim-${slot.toString(36)}-${township.id}-${i}`.slice(0, 64),
          at,
          townshipId: township.id,
          gridId: grid.id,
          lon,
          lat,
          source,
          category,
          description: random.pick(DESCRIPTIONS[category]),
          address: `${township.name}${random.pick(ROADS)}${random.int(1, 300)}号`,
          reporterName: random.pick(SURNAMES) + random.pick(GIVEN),
          reporterPhone: '1390' + String(random.int(0, 9_999_999)).padStart(7, '0'),
        };
        if (at >= from && at < to) out.push(plan);
      }
    }
  }
  return out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** The fields of an incident the next step depends on. */
export interface IncidentSnapshot {
  id: string;
  category: IncidentCategory;
  state: IncidentState;
  disputeLevel: DisputeLevel | null;
  due: { action: IncidentAction; at: number } | null;
  history: readonly Pick<IncidentStep, 'event' | 'at' | 'state'>[];
}

/** Who takes a step: the simulated dispatcher (or mediation centre), or the team it is sent to. */
export type StepBy = 'dispatcher' | 'team';

export interface NextStep {
  action: IncidentAction;
  at: number;
  by: StepBy;
  note?: string;
  reason?: string;
}

/** How one incident will go: drawn from its id, so every process and every tick agrees. */
export interface IncidentScript {
  dispatchAfterMs: number;
  acceptAfterMs: number;
  /** Accepted this long after the accept limit instead (a late acceptance raises the alert). */
  lateByMs: number | null;
  workMs: number;
  /** Passed up from these levels. */
  escalates: Record<Exclude<DisputeLevel, 'county'>, boolean>;
  /** How long the township or county centre takes to mediate. */
  mediationMs: number;
}

export function scriptOf(id: string, category: IncidentCategory, source: IncidentSource | null, seed: number): IncidentScript {
  const random = createRandom(hash(`${seed}:script:${id}`));
  const [lo, hi] = WORK_MIN[category];
  // A patrol that reported it is sent at once; a phone call takes a minute or two; the help form a little longer.
  const dispatch = source === 'patrol' ? random.between(0.5, 1.5) : source === 'dispatcher' ? random.between(1, 3) : random.between(1.5, 4.5);
  const late = random.chance(LATE_SHARE);
  return {
    dispatchAfterMs: Math.round(dispatch * MIN),
    acceptAfterMs: Math.round(random.between(1, 3) * MIN),
    lateByMs: late ? Math.round(random.between(1, 4) * MIN) : null,
    workMs: Math.round(random.between(lo, hi) * MIN),
    escalates: { village: category === 'dispute' && random.chance(ESCALATE_SHARE.village), township: category === 'dispute' && random.chance(ESCALATE_SHARE.township) },
    mediationMs: Math.round(random.between(20, 90) * MIN),
  };
}

/** `after` past `from`, but (when the step has a limit still ahead) half a minute before it: only the scripted late ones are late. */
function inTime(from: number, after: number, due: IncidentSnapshot['due'], action: IncidentAction): number {
  const at = from + after;
  // Already overdue (a queue of incidents for too few teams): late whatever the team does.
  if (due?.action !== action || due.at - 30_000 < from + 20_000) return at;
  return Math.min(at, due.at - 30_000);
}

/** When the last step that led to `state` happened (creation for `new`). */
function lastAt(incident: IncidentSnapshot, events: readonly IncidentStep['event'][]): number {
  for (let i = incident.history.length - 1; i >= 0; i--) if (events.includes(incident.history[i]!.event)) return incident.history[i]!.at;
  return incident.history[0]?.at ?? 0;
}

/**
 * What happens to the incident next, and when. `travelMs`: how long the team takes to get
 * there once it accepted. `simulated`: the simulator made it, so the simulated dispatcher
 * handles it (sends a team, reopens or settles what was passed up); otherwise only the team's
 * own steps are simulated (a dispatcher on the map sent a simulated team). Null: nothing to do.
 */
export function nextStep(incident: IncidentSnapshot, script: IncidentScript, travelMs: number, simulated: boolean): NextStep | null {
  const h = incident.history;
  const last = h[h.length - 1];
  switch (incident.state) {
    case 'new': {
      if (!simulated) return null;
      if (incident.category === 'dispute' && incident.disputeLevel === 'township' && last?.event === 'reopen' && script.escalates.township) {
        return { action: 'escalate', at: lastAt(incident, ['reopen']) + MIN, by: 'dispatcher', reason: '乡镇两中心调解未果，移交县三中心调处' };
      }
      return { action: 'dispatch', at: inTime(lastAt(incident, ['created', 'reopen']), script.dispatchAfterMs, incident.due, 'dispatch'), by: 'dispatcher' };
    }
    case 'dispatched': {
      const dispatchedAt = lastAt(incident, ['dispatch']);
      if (script.lateByMs !== null && incident.due?.action === 'accept') return { action: 'accept', at: Math.max(incident.due.at, dispatchedAt) + script.lateByMs, by: 'team' };
      return { action: 'accept', at: inTime(dispatchedAt, script.acceptAfterMs, incident.due, 'accept'), by: 'team' };
    }
    case 'accepted':
      return { action: 'arrive', at: lastAt(incident, ['accept']) + travelMs, by: 'team' };
    case 'on_scene': {
      const at = lastAt(incident, ['arrive']) + script.workMs;
      if (incident.category === 'dispute' && incident.disputeLevel === 'village' && script.escalates.village) {
        return { action: 'escalate', at, by: 'team', reason: '村三室调解未果，申请乡镇两中心调处' };
      }
      const note = incident.category === 'dispute' && incident.disputeLevel !== 'village' ? '调解成功，双方签订协议' : RESOLUTIONS[incident.category];
      return { action: 'resolve', at, by: 'team', note };
    }
    case 'escalated': {
      if (!simulated) return null;
      const at = lastAt(incident, ['escalate']);
      if (incident.category === 'dispute' && incident.disputeLevel === 'township' && script.escalates.township) {
        return { action: 'reopen', at: at + 5 * MIN, by: 'dispatcher' };
      }
      const where = incident.disputeLevel === 'county' ? '县三中心' : incident.disputeLevel === 'township' ? '乡镇两中心' : '指挥中心';
      return { action: 'resolve', at: at + script.mediationMs, by: 'dispatcher', note: `${where}调解成功，双方签订协议` };
    }
    default:
      return null;
  }
}

const RESOLUTIONS: Record<IncidentCategory, string> = {
  help: '已帮助解决，群众满意',
  dispute: '村调解室调解成功，双方和解',
  public_order: '已劝离，现场秩序恢复',
  suspicious_person: '已核查身份，无异常',
  safety_hazard: '已设置警示，通知相关部门处理',
  traffic: '已疏导交通，双方协商处理',
  mass_gathering: '人员已疏散',
  other: '已处理',
};
