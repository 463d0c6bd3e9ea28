/**
 * The real server for a browser test: its own redis-server and demo county (tests/helpers/app.ts),
 * serving the built web app (web/build, from `npm run build`), with a dispatcher signed in.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '@lianfang/server';
import { startTestApp, waitFor, type TestApp } from '../helpers/app.ts';
import { as, signIn, type SignedIn } from '../helpers/auth.ts';

export const WEB_BUILD = fileURLToPath(new URL('../../web/build', import.meta.url));

export interface MapApp {
  testApp: TestApp;
  url: string;
  /** A dispatcher's session: its cookie opens the map. */
  session: SignedIn;
  /** GET with the dispatcher's session. */
  get<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export interface MapAppOptions {
  /** Run the patrol simulator (default true). */
  simulate?: boolean;
  simulateIntervalMs?: number;
  /** Time-lapse, so a team crosses pixels in seconds. */
  simulateSpeedup?: number;
  /** The server's clock (coverage deadlines pass when a test moves it on). */
  clock?: Clock;
}

export async function startMapApp(options: MapAppOptions = {}): Promise<MapApp> {
  if (!existsSync(`${WEB_BUILD}/index.html`)) {
    throw new Error(`The web app is not built (${WEB_BUILD}/index.html is missing): run \`npm run build\` first`);
  }
  const simulate = options.simulate ?? true;
  const app = await startTestApp({
    demo: true,
    simulate,
    simulateIntervalMs: options.simulateIntervalMs ?? 500,
    simulateSpeedup: options.simulateSpeedup ?? 1,
    webRoot: WEB_BUILD,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  try {
    await app.app.demoReady;
    const session = await signIn(app, 'dispatcher');
    const fetchAs = as(session);
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetchAs(`${app.url}${path}`);
      if (!res.ok) throw new Error(`GET ${path} answered ${res.status}`);
      return (await res.json()) as T;
    };
    if (simulate) {
      await waitFor(async () => {
        const { teams } = await get<{ teams: { lon: number | null }[] }>('/api/teams');
        return teams.length > 0 && teams.some((t) => t.lon !== null);
      }, 30_000);
    }
    return { testApp: app, url: app.url, session, get, stop: () => app.stop() };
  } catch (error) {
    await app.stop();
    throw error;
  }
}
