/**
 * Mediation records (调解记录): the rooms and centres that mediate disputes, by level of the
 * ladder (DOMAIN.md), and what a dispute's resolve or pass-up step records about its mediation.
 * Pure tables and checks; the server keeps the rooms, the web offers the fitting ones.
 */
import type { DisputeLevel } from './types.ts';

/**
 * Kinds of mediation room: the village three rooms 三室 (党员调解室 party-member, 乡贤调解室
 * local-worthy, 村调解室 village mediation room), the township two centres 两中心 (网格化服务管理中心
 * grid centre, 公共法律服务中心 legal centre), a department's professional room 专业调解室 (by trade),
 * a county centre 三中心.
 */
export const MEDIATION_ROOM_KINDS = ['party', 'worthy', 'village', 'grid_centre', 'legal_centre', 'professional', 'county_centre'] as const;
export type MediationRoomKind = (typeof MEDIATION_ROOM_KINDS)[number];

/** The ladder level each kind mediates at. Professional rooms take what a township passes on, beside its centres. */
export const ROOM_KIND_LEVEL: Record<MediationRoomKind, DisputeLevel> = {
  party: 'village',
  worthy: 'village',
  village: 'village',
  grid_centre: 'township',
  legal_centre: 'township',
  professional: 'township',
  county_centre: 'county',
};

/** 已调解成功 settled, 调解不成 not settled (closed, e.g. told to go to court), 撤回 withdrawn, 上报 passed up. */
export const MEDIATION_OUTCOMES = ['settled', 'not_settled', 'withdrawn', 'passed_up'] as const;
export type MediationOutcome = (typeof MEDIATION_OUTCOMES)[number];

/** A room or centre that mediates (调解室/中心). */
export interface MediationRoom {
  id: string;
  kind: MediationRoomKind;
  /** Follows from the kind (ROOM_KIND_LEVEL). */
  level: DisputeLevel;
  name: string;
  /** Null for county centres and county-wide professional rooms. */
  townshipId: string | null;
  /** Village rooms: their village. */
  villageId: string | null;
  /** Professional rooms: the trade (交通事故, 医疗纠纷 …). */
  trade: string | null;
}

/** What a dispute's resolve or escalate step records about its mediation. */
export interface MediationRecord {
  roomId: string;
  /** The room's name when the step was taken (a later rename does not rewrite history). */
  room: string;
  /** Who mediated (调解员). */
  mediator: string;
  outcome: MediationOutcome;
  /** The agreement reached (调解协议), if any. */
  agreement: string | null;
}

/**
 * Why `room` may not record a step of a dispute at `level` in `townshipId`, or null if it may:
 * the room's level must be the dispute's level now, and a room of a township only mediates that
 * township's disputes.
 *
 * @example
 * roomMismatch({ level: 'village', townshipId: 't1', … }, 'township', 't1'); // 'wrong_level'
 */
export function roomMismatch(room: Pick<MediationRoom, 'level' | 'townshipId'>, level: DisputeLevel, townshipId: string | null): 'wrong_level' | 'wrong_township' | null {
  if (room.level !== level) return 'wrong_level';
  if (room.townshipId && room.townshipId !== townshipId) return 'wrong_township';
  return null;
}

/**
 * The rooms fit to record a dispute at `level` in `townshipId`, village rooms of the dispute's
 * village first, then by name.
 *
 * @example
 * roomsForDispute(rooms, 'township', 't1'); // t1's two centres and the professional rooms
 */
export function roomsForDispute<R extends MediationRoom>(rooms: readonly R[], level: DisputeLevel, townshipId: string | null, villageId?: string | null): R[] {
  const fit = rooms.filter((r) => roomMismatch(r, level, townshipId) === null);
  const own = (r: R) => (villageId && r.villageId === villageId ? 0 : 1);
  return fit.sort((a, b) => own(a) - own(b) || (a.kind === 'professional' ? 1 : 0) - (b.kind === 'professional' ? 1 : 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
