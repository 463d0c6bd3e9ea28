/**
 * Who is signed in. The map's API and live feed need a session (an httpOnly cookie the server
 * sets at sign-in), so the page asks `/api/auth/me` first and shows the sign-in form without one.
 */
import type { MeResponse, Role, SessionUser } from '@lianfang/server/api';
import { HttpError, getJson, onUnauthorized, postJson } from './api';

/** Roles that may watch the shared map (the server's VIEWERS); a patrol account reports only. */
export const MAP_VIEWERS = ['admin', 'dispatcher', 'coordinator', 'leader'] as const satisfies readonly Role[];

export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';
export type SignInProblem = 'wrong' | 'locked' | 'not-viewer' | 'failed' | 'expired';

export class Session {
  status = $state<SessionStatus>('checking');
  user = $state.raw<SessionUser | null>(null);
  /** Why the sign-in form is showing, when it is not the first visit. */
  problem = $state<SignInProblem | null>(null);
  retryAfterSeconds = $state(0);

  constructor() {
    onUnauthorized(() => this.expire());
  }

  get canViewMap(): boolean {
    return this.user !== null && (MAP_VIEWERS as readonly Role[]).includes(this.user.role);
  }

  async check(): Promise<void> {
    try {
      const { user } = await getJson<MeResponse>('/api/auth/me');
      this.#signedIn(user);
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) {
        this.status = 'signed-out';
        return;
      }
      // The server is unreachable or failing: try again shortly rather than show a wrong form.
      setTimeout(() => void this.check(), 3000);
    }
  }

  async signIn(username: string, password: string): Promise<boolean> {
    try {
      const { user } = await postJson<MeResponse>('/api/auth/login', { username, password });
      this.#signedIn(user);
      return this.status === 'signed-in';
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) this.problem = 'wrong';
      else if (error instanceof HttpError && error.status === 429) {
        this.problem = 'locked';
        this.retryAfterSeconds = error.retryAfterSeconds ?? 60;
      } else this.problem = 'failed';
      return false;
    }
  }

  async signOut(): Promise<void> {
    try {
      await postJson('/api/auth/logout');
    } finally {
      this.user = null;
      this.problem = null;
      this.status = 'signed-out';
    }
  }

  /** The server refused our session (expired or revoked). */
  expire(): void {
    if (this.status !== 'signed-in') return;
    this.user = null;
    this.problem = 'expired';
    this.status = 'signed-out';
  }

  #signedIn(user: SessionUser): void {
    this.user = user;
    if (!this.canViewMap) {
      // Signed in, but this account has no map to see: say so on the form.
      this.problem = 'not-viewer';
      this.status = 'signed-out';
      void postJson('/api/auth/logout').catch(() => {});
      return;
    }
    this.problem = null;
    this.status = 'signed-in';
  }
}
