/** Shared set-up for coverage and alert tests: a fake clock, an admin client, plan helpers. */
import type { CoverageRule, KeyPeriod } from '@lianfang/geo';
import type { AlertView, CoverageSnapshot } from '@lianfang/server/api';
import type { TestApp } from '../../helpers/app.ts';
import { as, signIn, type SignedIn } from '../../helpers/auth.ts';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): number {
    this.t = t;
    return t;
  }
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

/** Local Shanghai wall-clock time as epoch ms (UTC+8). */
export const sh = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h - 8, mi, s);
export const MIN = 60_000;

export async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export function client(t: TestApp, session: SignedIn) {
  const call = as(session);
  const send = (method: string, path: string, body?: unknown) =>
    call(`${t.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return {
    get: (path: string) => call(`${t.url}${path}`),
    post: (path: string, body: unknown = {}) => send('POST', path, body),
    put: (path: string, body: unknown) => send('PUT', path, body),
    del: (path: string) => send('DELETE', path),
    async coverage(): Promise<CoverageSnapshot> {
      return json(await call(`${t.url}/api/coverage`));
    },
    async alerts(query = ''): Promise<AlertView[]> {
      return (await json<{ alerts: AlertView[] }>(await call(`${t.url}/api/alerts${query}`))).alerts;
    },
  };
}

export type Client = ReturnType<typeof client>;

/** Writes a plan straight through the admin API. */
export async function plan(admin: Client, periods: Omit<KeyPeriod, 'id'>[] & { id?: string }[], rules: (Omit<CoverageRule, 'id'> & { id?: string })[]): Promise<void> {
  for (const p of periods) await json(await admin.post('/api/coverage/periods', p));
  for (const r of rules) await json(await admin.post('/api/coverage/rules', r));
}

/** Empties the coverage engine's state and every alert (between tests of one file). */
export async function clearCoverage(t: TestApp): Promise<void> {
  const k = t.app.keys;
  const sets: string[] = [];
  for await (const batch of t.app.redis.scanIterator({ MATCH: `${k.covClassVisitsPrefix}*`, COUNT: 1000 })) sets.push(...batch);
  await t.app.redis.del([k.covLastVisit, k.covClassOf, k.covClasses, k.covTownshipClasses, k.covDue, k.covMeta, ...sets, k.alerts, k.alertsOpen, k.alertsClosed, k.alertSubjects, k.alertEscalations, k.alertOutside, k.teamStatus]);
}

export async function signInAdmin(t: TestApp): Promise<Client> {
  return client(t, await signIn(t, 'admin'));
}
