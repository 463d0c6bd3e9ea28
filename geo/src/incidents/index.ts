/** Incidents (事件/警情): types, the transition table, time limits, the dispute ladder. */
export * from './types.ts';
export { INCIDENT_TRANSITIONS, checkTransition, type TransitionCheck } from './transitions.ts';
export { SEVERITY_LIMITS, HELP_ACCEPT_MS, NEXT_ACTION, defaultSeverity, stepLimits, dueStep, type StepLimits, type TimedAction, type DueInput } from './timeLimits.ts';
export { nextDisputeLevel, disputeStats, type DisputeLevelStats, type DisputeRecord } from './disputeLadder.ts';
export { MEDIATION_ROOM_KINDS, ROOM_KIND_LEVEL, MEDIATION_OUTCOMES, roomMismatch, roomsForDispute, type MediationRoomKind, type MediationOutcome, type MediationRoom, type MediationRecord } from './mediation.ts';
