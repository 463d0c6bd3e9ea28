/**
 * Every shape of the HTTP API, for the web app and the tests (as `@lianfang/server/api`, types
 * only). Each is `Static<typeof …>` of the schema its routes validate and serialise with, in its
 * domain's `schemas.ts`; the same schemas make the OpenAPI document at /api/docs.
 */
export type * from './access/schemas.ts';
export type { Role } from './access/roles.ts';
export type { AuditAction, AuditEntry } from './access/auditShapes.ts';
export type * from './alerts/schemas.ts';
export type * from './assignments/schemas.ts';
export type * from './checkins/schemas.ts';
export type * from './coverage/schemas.ts';
export type * from './coverage/planSchemas.ts';
export type * from './coverage/calendarSchemas.ts';
export type * from './devices/schemas.ts';
export type * from './geography/schemas.ts';
export type * from './health/schemas.ts';
export type * from './incidents/schemas.ts';
export type * from './mapconfig/schemas.ts';
export type * from './plugins/errorSchema.ts';
export type * from './teams/schemas.ts';
export type * from './tracking/schemas.ts';
export type * from './tls/schemas.ts';
export type * from './webhooks/schemas.ts';
export type * from './displays/schemas.ts';
export type * from './wall/schemas.ts';
export type * from './reports/schemas.ts';
export type * from './majorEvents/schemas.ts';
export type * from './reports/briefingSchemas.ts';
export type * from './mediation/schemas.ts';
