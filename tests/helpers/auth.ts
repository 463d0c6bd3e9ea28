/** Signs a test user in: creates the account through the real access service, logs in over HTTP. */
import type { Role } from '@lianfang/server/api';
import type { TestApp } from './app.ts';

export const TEST_PASSWORD = 'correct horse battery';
let counter = 0;

export interface SignedIn {
  /** `lf_session=…`, for the Cookie header of fetch and socket.io-client. */
  cookie: string;
  username: string;
  userId: string;
}

export async function signIn(t: TestApp, role: Role, scope: { organisationId?: string; teamId?: string; username?: string } = {}): Promise<SignedIn> {
  const username = scope.username ?? `${role}-${process.pid}-${++counter}`;
  let user = await t.app.access.store.findByUsername(username);
  if (!user) {
    const created = await t.app.access.createUser({
      username,
      name: `测试${role}`,
      role,
      organisationId: scope.organisationId ?? (role === 'coordinator' || role === 'patrol' ? 'O-SC' : null),
      teamId: scope.teamId ?? (role === 'patrol' ? 'team-2' : null),
      password: TEST_PASSWORD,
    });
    if (!created) throw new Error(`could not create ${username}`);
    user = created;
  }
  const res = await fetch(`${t.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lf_session='))?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return { cookie, username, userId: user.id };
}

/** fetch with a session cookie. */
export function as(session: SignedIn | undefined) {
  return (url: string, init: RequestInit = {}) =>
    fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...(session ? { cookie: session.cookie } : {}) } });
}
