/**
 * Incidents (事件/警情): residents' help requests (求助), disputes (矛盾纠纷) that climb the
 * mediation ladder, public-order events seen on patrol. Pure types and tables; no I/O.
 * Times are epoch milliseconds.
 */
import type { MediationRecord } from './mediation.ts';

/** 求助 矛盾纠纷 治安 可疑人员 安全隐患 交通 人员聚集 其他 */
export const INCIDENT_CATEGORIES = ['help', 'dispute', 'public_order', 'suspicious_person', 'safety_hazard', 'traffic', 'mass_gathering', 'other'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** 1 = most urgent (紧急), 2 = 较急, 3 = 一般. */
export const INCIDENT_SEVERITIES = [1, 2, 3] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/**
 * new 待处置 → dispatched 已派警 → accepted 已接警 → on_scene 已到场 → resolved 已办结;
 * or escalated 已上报 (passed up: a dispute to the next mediation level, anything else to the
 * command centre's leaders). An escalated incident may be dispatched again.
 */
export const INCIDENT_STATES = ['new', 'dispatched', 'accepted', 'on_scene', 'resolved', 'escalated'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** Who reported it: a dispatcher on the map, a patrol from its page, a resident on the public help form. */
export const INCIDENT_SOURCES = ['dispatcher', 'patrol', 'public'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** What someone does to an incident; each action is legal only from some states (see `INCIDENT_TRANSITIONS`). */
export const INCIDENT_ACTIONS = ['dispatch', 'accept', 'arrive', 'resolve', 'escalate', 'reopen'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/**
 * The mediation ladder as Shuyang runs it: village three rooms 三室 → township two centres 两中心
 * (or a department's professional mediation room 专业调解室) → county three centres 三中心.
 */
export const DISPUTE_LEVELS = ['village', 'township', 'county'] as const;
export type DisputeLevel = (typeof DISPUTE_LEVELS)[number];

/** One step of an incident's history. */
export interface IncidentStep {
  /** 'created', an action, or 'acknowledged' (a dispatcher saw it: the marker stops pulsing). */
  event: 'created' | 'acknowledged' | IncidentAction;
  /** State after the step. */
  state: IncidentState;
  /** Username, 'public' for the help form, or the team's call sign for a patrol device. */
  by: string;
  at: number;
  /** Team dispatched, dispute level reached, resolution, reason passed up… */
  note: string | null;
  teamId?: string | null;
  level?: DisputeLevel | null;
  /** Disputes: the mediation a resolve or escalate step records (room, mediator, outcome, agreement). */
  mediation?: MediationRecord | null;
}
