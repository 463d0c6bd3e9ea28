/** Shared set-up for incident tests: an incident client per signed-in user. */
import type { IncidentActionResponse, IncidentView } from '@lianfang/server/api';
import type { TestApp } from '../../helpers/app.ts';
import { as, type SignedIn } from '../../helpers/auth.ts';

let counter = 0;
/** A fresh client-generated id. */
export const clientId = () => `test-${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** A point in each grid of the small county. */
export const POINT = { 'G-A1': [118.62, 33.85], 'G-A2': [118.67, 33.86], 'G-B1': [118.72, 33.85], 'G-B2': [118.76, 33.84] } as const;

export interface Answer<T> {
  status: number;
  body: T & { message?: string; field?: string };
}

export function incidentClient(t: TestApp, session: SignedIn) {
  const call = as(session);
  async function send<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await call(`${t.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }
  return {
    username: session.username,
    get: <T = IncidentView>(path: string) => send<T>('GET', path),
    post: <T = IncidentActionResponse>(path: string, body: unknown = {}) => send<T>('POST', path, body),
    /** Creates an incident (asserting it was) and answers it. */
    async create(fields: Record<string, unknown> & { grid?: keyof typeof POINT } = {}): Promise<IncidentView> {
      const { grid = 'G-A1', ...rest } = fields;
      const [lon, lat] = POINT[grid];
      const r = await send<IncidentActionResponse>('POST', '/api/incidents', { id: clientId(), category: 'public_order', lon, lat, description: '两人在路口争吵', ...rest });
      if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.incident;
    },
    /** Takes a step (asserting it worked) and answers the incident after it. */
    async step(id: string, action: string, body: unknown = {}): Promise<IncidentView> {
      const r = await send<IncidentActionResponse>('POST', `/api/incidents/${id}/${action}`, body);
      if (r.status !== 200) throw new Error(`${action}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.incident;
    },
  };
}

export type IncidentClient = ReturnType<typeof incidentClient>;
