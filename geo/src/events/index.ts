/** Major events 重大活动: perimeter, post staffing, staffing over time, replay positions. Pure. */
export * from './types.ts';
export { perimeterContains } from './perimeterContains.ts';
export { postStaffing, type PostStaffing, type StaffingOptions } from './postStaffing.ts';
export { staffingSpans, type PostStaffingReport, type StaffingChange, type StaffingSpan } from './staffingSpans.ts';
export { positionAt, type TrackFix } from './positionAt.ts';
