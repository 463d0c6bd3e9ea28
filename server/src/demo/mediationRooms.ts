/**
 * The demo county's mediation rooms (DOMAIN.md): each village's three rooms 三室 (party-member,
 * local-worthy, village mediation), each township's two centres 两中心, the departments'
 * professional rooms 专业调解室 by trade (county-wide, taking what townships pass on), and the
 * county's three centres 三中心. Pure: the demo plugin writes them (kept if already there).
 */
import { ROOM_KIND_LEVEL, type DisputeLevel, type MediationOutcome, type MediationRecord, type MediationRoom, type MediationRoomKind, type Township, type Village } from '@lianfang/geo';

/** The departments' rooms: trade and name. */
export const PROFESSIONAL_TRADES = [
  ['traffic', '交通事故', '交通事故纠纷专业调解室'],
  ['medical', '医疗纠纷', '医疗纠纷专业调解室'],
  ['labour', '劳动争议', '劳动争议专业调解室'],
  ['family', '婚姻家庭', '婚姻家庭纠纷专业调解室'],
  ['property', '物业纠纷', '物业纠纷专业调解室'],
  ['police', '警民联调', '公安派出所警民联调室'],
  ['court', '诉调对接', '法院诉调对接调解室'],
  ['petition', '访调对接', '信访访调对接调解室'],
] as const;

const COUNTY_CENTRES = [
  ['county-conflict', '县社会矛盾纠纷调处化解中心'],
  ['county-legal', '县公共法律服务中心'],
  ['county-petition', '县信访接待中心'],
] as const;

const room = (id: string, kind: MediationRoomKind, name: string, townshipId: string | null, extra: Partial<MediationRoom> = {}): MediationRoom => ({
  id,
  kind,
  level: ROOM_KIND_LEVEL[kind],
  name,
  townshipId,
  villageId: null,
  trade: null,
  ...extra,
});

/** Every room of the county, ids derived from the places' (`V001-party`, `T01-legal`, `pro-traffic`, `county-legal`). */
export function demoMediationRooms(townships: readonly Township[], villages: readonly Village[]): MediationRoom[] {
  const out: MediationRoom[] = [];
  for (const v of villages) {
    out.push(room(`${v.id}-party`, 'party', `${v.name}党员调解室`, v.townshipId, { villageId: v.id }));
    out.push(room(`${v.id}-worthy`, 'worthy', `${v.name}乡贤调解室`, v.townshipId, { villageId: v.id }));
    out.push(room(`${v.id}-room`, 'village', `${v.name}调解室`, v.townshipId, { villageId: v.id }));
  }
  for (const t of townships) {
    out.push(room(`${t.id}-grid`, 'grid_centre', `${t.name}网格化服务管理中心`, t.id));
    out.push(room(`${t.id}-legal`, 'legal_centre', `${t.name}公共法律服务中心`, t.id));
  }
  for (const [id, trade, name] of PROFESSIONAL_TRADES) out.push(room(`pro-${id}`, 'professional', name, null, { trade }));
  for (const [id, name] of COUNTY_CENTRES) out.push(room(id, 'county_centre', name, null));
  return out;
}

const MEDIATORS = ['张秀兰', '王建国', '李桂英', '刘德华', '陈玉梅', '杨志强', '赵淑珍', '周国平'];

/**
 * The mediation record of the `n`th demo dispute's step at `level` (deterministic: no randomness
 * spent, so the history's other draws stay as they were), or undefined when `rooms` lacks the room.
 */
export function demoMediation(
  n: number,
  level: DisputeLevel,
  place: { townshipId: string; villageId?: string | undefined },
  outcome: 'settled' | 'passed_up',
  kind: string,
  rooms: ReadonlyMap<string, MediationRoom>,
): MediationRecord | undefined {
  let roomId: string;
  if (level === 'village') {
    if (!place.villageId) return undefined;
    roomId = `${place.villageId}-${(['party', 'worthy', 'room'] as const)[n % 3]}`;
  } else if (level === 'township') {
    const trade = PROFESSIONAL_TRADES.find((p) => p[1].slice(0, 2) === kind.slice(0, 2));
    roomId = trade && outcome === 'settled' && n % 2 === 0 ? `pro-${trade[0]}` : `${place.townshipId}-${n % 2 === 0 ? 'legal' : 'grid'}`;
  } else {
    roomId = COUNTY_CENTRES[n % COUNTY_CENTRES.length]![0];
  }
  const room = rooms.get(roomId);
  if (!room) return undefined;
  // Now and then a case closed without an agreement: the parties withdrew, or were sent to court.
  const closed: MediationOutcome = outcome === 'passed_up' ? outcome : n % 29 === 0 ? 'withdrawn' : n % 31 === 0 ? 'not_settled' : 'settled';
  return { roomId, room: room.name, mediator: MEDIATORS[n % MEDIATORS.length]!, outcome: closed, agreement: closed === 'settled' ? `双方就${kind}纠纷达成调解协议，自愿履行` : null };
}
