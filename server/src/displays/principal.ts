/** A wall display as the principal the access layer gives routes: a leader's reads, in its scope. */
import type { SessionUser } from '../access/roles.ts';
import type { StoredDisplay } from './schemas.ts';

export const displayPrincipalId = (displayId: string) => `display:${displayId}`;

/** A display's principal: a townships display carries its townships, an event display its event. */
export type DisplayPrincipal = SessionUser & { townshipIds?: readonly string[]; eventId?: string };

/**
 * The display as a leader-like user: routes read as for a leader (the access layer lets it call
 * GET routes only), the scope rule narrows a townships display by `townshipIds` (scope/rule.ts);
 * an event display reads the county like a county display, and its own event's board only.
 */
export function displayPrincipal(d: StoredDisplay): DisplayPrincipal {
  const user: DisplayPrincipal = {
    id: displayPrincipalId(d.id),
    username: displayPrincipalId(d.id),
    name: d.name,
    role: 'leader',
    organisationId: null,
    teamId: null,
  };
  if (d.scope.kind === 'townships') user.townshipIds = d.scope.townshipIds ?? [];
  if (d.scope.kind === 'event' && d.scope.eventId) user.eventId = d.scope.eventId;
  return user;
}
