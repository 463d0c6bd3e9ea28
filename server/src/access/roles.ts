/**
 * Roles and who may do what. Every route declares its access in `config.access`; the access
 * plugin refuses to boot when an /api route has none, so a new route cannot be forgotten.
 */
export const ROLES = ['admin', 'dispatcher', 'coordinator', 'leader', 'patrol'] as const;
/**
 * admin: configuration, users, imports · dispatcher (police command centre): sees all, dispatches
 * any team, acknowledges any alert · coordinator (security company or township): manages only
 * its organisation's teams · leader: sees all, changes nothing · patrol: reports for its own team.
 */
export type Role = (typeof ROLES)[number];

/**
 * `'public'`: anyone, signed in or not. `'device'`: a tracker device, authenticated by the
 * unguessable device identifier in the request itself (checked by the route; 401/403 when
 * unknown or revoked), whatever the session. Otherwise the roles allowed.
 */
export type RouteAccess = 'public' | 'device' | readonly Role[];

/** Everyone who watches the shared map. */
export const VIEWERS: readonly Role[] = ['admin', 'dispatcher', 'coordinator', 'leader'];
/** Those who manage teams (coordinators only their own organisation's). */
export const TEAM_MANAGERS: readonly Role[] = ['admin', 'dispatcher', 'coordinator'];
export const ADMINS: readonly Role[] = ['admin'];

/** The signed-in user as the server and the web app see it (its schema: schemas.ts). */
export type { SessionUser } from './schemas.ts';
import type { SessionUser } from './schemas.ts';

/** May `user` manage a team of `organisationId`? Dispatchers and admins any; coordinators only their own. */
export function canManageOrganisation(user: SessionUser, organisationId: string): boolean {
  if (user.role === 'admin' || user.role === 'dispatcher') return true;
  return user.role === 'coordinator' && user.organisationId === organisationId;
}
