/**
 * Shapes of the incident API (事件/警情), imported as types by the web app. Every route is
 * listed with who may call it; the routes declare matching JSON schemas.
 *
 *   GET  /api/incidents?state=&category=&townshipId=&from=&to=&q=&limit=   viewers (admin dispatcher coordinator leader)
 *   GET  /api/incidents/:id                                                viewers; a patrol for incidents sent to its team
 *   POST /api/incidents                        admin dispatcher coordinator patrol (its own team's position is the default point)
 *   POST /api/incidents/:id/acknowledge        admin dispatcher coordinator(area): stops the marker pulsing
 *   POST /api/incidents/:id/dispatch           admin dispatcher coordinator(own teams): { teamId, version } — exactly one of two racing dispatchers wins, the other gets 409
 *   POST /api/incidents/:id/accept|arrive|resolve   patrol of the dispatched team; admin/dispatcher on its behalf
 *   POST /api/incidents/:id/escalate           admin dispatcher coordinator(area), patrol of the team: { reason } — a dispute climbs one mediation level
 *   POST /api/incidents/:id/reopen             admin dispatcher: an escalated incident goes back to `new` to be dispatched again
 *   GET  /api/disputes/stats?from=&to=&townshipId=   viewers: cases / settled / success rate per mediation level
 *
 *   GET  /api/public/grids/:gridId             public: what the help form shows (grid, township, grid leader and phone)
 *   POST /api/public/help                      public, rate-limited per client address and per grid: a resident's help request → reference number
 *   GET  /api/public/help/:reference           public, rate-limited: the request's state and step times (no names, no phones)
 *
 *   GET    /api/assignments?teamId=&at=        viewers: shifts active at `at` (default now), or a team's
 *   POST   /api/assignments                    admin dispatcher coordinator(own teams): { id, teamId, gridIds, locationIds, from, to }
 *   DELETE /api/assignments/:id                same roles as POST
 */
import type { DisputeLevel, IncidentAction, IncidentCategory, IncidentSeverity, IncidentSource, IncidentState, IncidentStep } from '@lianfang/geo';

export interface IncidentView {
  id: string;
  /** The public reference number (查询号) the resident keeps; unguessable, e.g. `SY7K3M9Q2X`. */
  reference: string;
  category: IncidentCategory;
  severity: IncidentSeverity;
  state: IncidentState;
  source: IncidentSource;
  lon: number;
  lat: number;
  /** Found from the point; null outside every grid. */
  gridId: string | null;
  townshipId: string | null;
  address: string | null;
  description: string;
  /** Null when the reporter left none (a patrol's own report). */
  reporter: { name: string | null; phone: string | null } | null;
  /** The team it is dispatched to (kept after resolution). */
  teamId: string | null;
  createdAt: number;
  updatedAt: number;
  /** Someone on the command map saw it (new incidents pulse until then). */
  acknowledged: { by: string; at: number } | null;
  /** The next step's time limit, if any: late once `at` has passed. */
  due: { action: IncidentAction; at: number } | null;
  /** Disputes only: the mediation level now. */
  disputeLevel: DisputeLevel | null;
  /** Bumped by every change; dispatch sends the version it saw. */
  version: number;
  /** Every step, oldest first. */
  history: IncidentStep[];
}

/** GET /api/incidents: newest first. */
export interface IncidentsResponse {
  incidents: IncidentView[];
  at: number;
}

/** POST /api/incidents (201 new, 200 a retry of the same client id). */
export interface CreateIncidentRequest {
  /** Client-generated, 8–64 of A–Z a–z 0–9 _ -: a retry never makes two incidents. */
  id: string;
  category: IncidentCategory;
  /** Default by category (help 1, dispute 3, others 2). */
  severity?: IncidentSeverity;
  lon: number;
  lat: number;
  address?: string;
  description: string;
  reporterName?: string;
  reporterPhone?: string;
}

/** Every action answers the incident after the change (`changed` false for a repeated request). */
export interface IncidentActionResponse {
  incident: IncidentView;
  changed: boolean;
}

export interface DispatchRequest {
  teamId: string;
  /** The `version` the dispatcher saw: another change first answers 409. */
  version: number;
  note?: string;
}

export interface DisputeStatsRow {
  level: DisputeLevel;
  /** Disputes that reached this level in the window. */
  cases: number;
  /** Resolved at this level. */
  settled: number;
  /** settled / cases, 0–1; null with no cases. */
  successRate: number | null;
}

export interface DisputeStatsResponse {
  from: number;
  to: number;
  rows: DisputeStatsRow[];
}

/** GET /api/public/grids/:gridId */
export interface PublicGridResponse {
  gridId: string;
  gridName: string;
  townshipName: string;
  leader: { name: string; phone: string } | null;
}

/** POST /api/public/help */
export interface PublicHelpRequest {
  /** Client-generated, as above: pressing send twice makes one request. */
  id: string;
  gridId: string;
  category?: 'help' | 'dispute' | 'safety_hazard' | 'public_order' | 'other';
  description: string;
  name?: string;
  phone: string;
  lon?: number;
  lat?: number;
}

/** POST /api/public/help → 201; GET /api/public/help/:reference → 200. */
export interface PublicHelpStatus {
  reference: string;
  category: IncidentCategory;
  state: IncidentState;
  createdAt: number;
  /** State changes, oldest first: no names, no phones. */
  steps: { state: IncidentState; at: number }[];
}

/** A patrol assignment (排班): a team on grids and key locations for a shift. */
export interface Assignment {
  id: string;
  teamId: string;
  gridIds: string[];
  locationIds: string[];
  from: number;
  to: number;
  by: string;
  createdAt: number;
}

export interface AssignmentsResponse {
  assignments: Assignment[];
  at: number;
}
