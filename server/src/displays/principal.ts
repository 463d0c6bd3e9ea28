/** A wall display as the principal the access layer gives routes: a leader's reads, in its scope. */
import type { SessionUser } from '../access/roles.ts';
import type { StoredDisplay } from './schemas.ts';

export const displayPrincipalId = (displayId: string) => `display:${displayId}`;

/**
 * The display as a leader-like user: routes read as for a leader (the access layer lets it call
 * GET routes only), the scope rule narrows a townships display by `townshipIds` (scope/rule.ts).
 */
export function displayPrincipal(d: StoredDisplay): SessionUser & { townshipIds?: readonly string[] } {
  const user: SessionUser & { townshipIds?: readonly string[] } = {
    id: displayPrincipalId(d.id),
    username: displayPrincipalId(d.id),
    name: d.name,
    role: 'leader',
    organisationId: null,
    teamId: null,
  };
  if (d.scope.kind === 'townships') user.townshipIds = d.scope.townshipIds ?? [];
  return user;
}
