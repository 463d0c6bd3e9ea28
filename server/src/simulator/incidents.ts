/**
 * Carries out the demo's trickle (trickle.ts) through the incident service, as the people
 * would: residents send the help form, patrols report what they see, the dispatcher records
 * phone calls and sends the nearest free team, the team accepts, drives there (its simulated
 * position moves toward the incident), works on scene and resolves or passes a dispute up.
 * Simulated teams also answer incidents a dispatcher on the map sends them, and the simulated
 * dispatcher takes up residents' help requests from the public form that nobody on the map
 * has (so a visitor trying the form sees a team come). Runs inside the
 * simulator's tick (one process, the lease holder), on the app's clock.
 */
import { distanceMetres, type Agency, type Team, type TeamPosition } from '@lianfang/geo';
import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../access/roles.ts';
import type { IncidentView } from '../incidents/schemas.ts';
import type { IncidentActor } from '../incidents/service.ts';
import { nextStep, plannedIncidents, scriptOf, type PlannedIncident, type TrickleTownship } from './trickle.ts';

export const TRICKLE_SEED = 20_260_310;
/** After a pause (a restart, the lease moving) the trickle does not make up more than this. */
const MAX_CATCH_UP_MS = 15 * 60_000;
/** How fast a team gets to an incident, m/s: police by car, grid workers and guards by e-bike, volunteers on foot. */
const RESPONSE_SPEED: Record<Agency, number> = { police: 8, grid: 5, security: 4, volunteer: 1.5, joint: 4 };
const MIN_TRAVEL_MS = 60_000;
const MAX_TRAVEL_MS = 12 * 60_000;
/** A patrol reports only what it sees: the incident is where the team is, within this radius of the planned point. */
const PATROL_SEES_M = 3000;
const OPEN_STATES = new Set(['new', 'dispatched', 'accepted', 'on_scene', 'escalated']);

/** The demo's dispatcher on duty (no account: it acts through the service, never over HTTP). */
export const SIM_DISPATCHER: SessionUser = { id: 'simulator', username: 'simulator', name: '指挥中心（模拟）', role: 'dispatcher', organisationId: null, teamId: null };

export interface TrickleDeps {
  app: FastifyInstance;
  /** Where a simulated team is on its patrol loop at a time; undefined for teams not simulated. */
  routePosition(teamId: string, at: number): TeamPosition | undefined;
  teams(): Map<string, Team>;
  speedup: number;
}

export interface TrickleTick {
  created: number;
  steps: number;
  /** Where responding teams are instead of on their loop. */
  overrides: Map<string, { lon: number; lat: number; heading: number; speed: number }>;
}

function bearing(fromLon: number, fromLat: number, toLon: number, toLat: number): number {
  const y = Math.sin(((toLon - fromLon) * Math.PI) / 180) * Math.cos((toLat * Math.PI) / 180);
  const x = Math.cos((fromLat * Math.PI) / 180) * Math.sin((toLat * Math.PI) / 180) - Math.sin((fromLat * Math.PI) / 180) * Math.cos((toLat * Math.PI) / 180) * Math.cos(((toLon - fromLon) * Math.PI) / 180);
  return Math.round(((Math.atan2(y, x) * 180) / Math.PI + 360) % 360);
}

export function createTrickle(deps: TrickleDeps) {
  const { app } = deps;
  let townships: { version: number; list: TrickleTownship[] } | undefined;
  /** Teams driving back to their loop after an incident (in memory: after a lease move they jump back). */
  const returning = new Map<string, { lon: number; lat: number; at: number; ms: number }>();
  /** Where a team was when it accepted (it may have been on its way back from another incident). */
  const departedFrom = new Map<string, { lon: number; lat: number }>();

  async function plannedTownships(): Promise<TrickleTownship[]> {
    const snap = await app.geography.snapshot();
    if (townships?.version !== snap.version) {
      const byTownship = new Map<string, TrickleTownship['grids']>();
      for (const g of snap.raw.grids) byTownship.set(g.townshipId, [...(byTownship.get(g.townshipId) ?? []), g]);
      townships = { version: snap.version, list: snap.raw.townships.map((t) => ({ id: t.id, name: t.name, kind: t.kind, grids: byTownship.get(t.id) ?? [] })) };
    }
    return townships.list;
  }

  const teamActor = (teamId: string): IncidentActor => ({ kind: 'team', teamId, name: deps.teams().get(teamId)?.callSign ?? teamId });
  const dispatcher: IncidentActor = { kind: 'user', user: SIM_DISPATCHER };

  /** The travel of a team that accepted at `acceptAt`: from its loop to the incident. */
  function travel(incident: IncidentView, acceptAt: number): { from: TeamPosition; ms: number } | undefined {
    if (!incident.teamId) return undefined;
    const loop = deps.routePosition(incident.teamId, acceptAt);
    const team = deps.teams().get(incident.teamId);
    if (!loop || !team) return undefined;
    const from = { ...loop, ...departedFrom.get(incident.id) };
    const metres = distanceMetres(from.lon, from.lat, incident.lon, incident.lat);
    const ms = Math.min(MAX_TRAVEL_MS, Math.max(MIN_TRAVEL_MS, (metres / RESPONSE_SPEED[team.agency]) * 1000)) / deps.speedup;
    return { from, ms };
  }

  /** Where the team is now: on its way back from an incident, or on its loop. */
  function positionNow(teamId: string, now: number): { lon: number; lat: number } | undefined {
    const r = returning.get(teamId);
    const loop = deps.routePosition(teamId, now);
    if (!r || !loop) return loop;
    const f = Math.min(1, Math.max(0, (now - r.at) / r.ms));
    return { lon: r.lon + (loop.lon - r.lon) * f, lat: r.lat + (loop.lat - r.lat) * f };
  }

  /** The nearest simulated team that is not busy with another incident. */
  async function nearestFreeTeam(lon: number, lat: number, now: number): Promise<string | undefined> {
    const busy = new Set(await app.redis.sMembers(app.keys.teamsResponding));
    let best: { id: string; d: number } | undefined;
    for (const id of deps.teams().keys()) {
      if (busy.has(id)) continue;
      const p = positionNow(id, now);
      if (!p) continue;
      const d = distanceMetres(lon, lat, p.lon, p.lat);
      if (!best || d < best.d) best = { id, d };
    }
    return best?.id;
  }

  async function report(p: PlannedIncident, now: number): Promise<{ id: string; tag: string } | undefined> {
    const base = { id: p.id, category: p.category, description: p.description };
    if (p.source === 'public') {
      const { incident } = await app.incidents.create({ ...base, lon: p.lon, lat: p.lat, reporterName: p.reporterName, reporterPhone: p.reporterPhone }, { kind: 'public', ip: '127.0.0.1' }, 'public', { gridId: p.gridId });
      return { id: incident.id, tag: 'public:' };
    }
    if (p.source === 'patrol') {
      const teamId = await nearestFreeTeam(p.lon, p.lat, now);
      const at = teamId ? positionNow(teamId, now) : undefined;
      if (teamId && at && distanceMetres(p.lon, p.lat, at.lon, at.lat) <= PATROL_SEES_M) {
        const point = { lon: Math.round(at.lon * 1e6) / 1e6, lat: Math.round(at.lat * 1e6) / 1e6 };
        const { incident } = await app.incidents.create({ ...base, ...point }, teamActor(teamId), 'patrol');
        return { id: incident.id, tag: `patrol:${teamId}` };
      }
      // No patrol near: a resident phones it in instead.
    }
    const { incident } = await app.incidents.create(
      { ...base, lon: p.lon, lat: p.lat, address: p.address, reporterName: p.reporterName, reporterPhone: p.reporterPhone },
      dispatcher,
      'dispatcher',
    );
    return { id: incident.id, tag: 'dispatcher:' };
  }

  return {
    /** Reports what the plan has appear up to `now`, then takes every step that is due. */
    async tick(now: number): Promise<TrickleTick> {
      const { redis, keys } = app;
      const out: TrickleTick = { created: 0, steps: 0, overrides: new Map() };
      const cursor = Number((await redis.get(keys.simTrickle)) ?? now);
      const from = Math.max(cursor, now - MAX_CATCH_UP_MS);
      if (from < now) {
        for (const p of plannedIncidents(await plannedTownships(), from, now, { seed: TRICKLE_SEED })) {
          try {
            const made = await report(p, now);
            if (made) {
              await redis.hSet(keys.simIncidents, made.id, made.tag);
              out.created++;
            }
          } catch (err) {
            app.log.debug({ err: (err as Error).message, planned: p.id }, 'simulated incident not reported');
          }
        }
      }
      await redis.set(keys.simTrickle, String(Math.max(now, cursor)));

      const openIds = await app.incidents.store.openIds();
      const [open, tags] = await Promise.all([app.incidents.store.getMany(openIds), redis.hGetAll(keys.simIncidents)]);
      const isOpen = new Set(openIds);
      const stale = Object.keys(tags).filter((id) => !isOpen.has(id));
      for (const id of departedFrom.keys()) if (!isOpen.has(id)) departedFrom.delete(id);
      if (stale.length > 0) await redis.hDel(keys.simIncidents, stale);

      for (const incident of open.sort((a, b) => a.createdAt - b.createdAt)) {
        if (!OPEN_STATES.has(incident.state)) continue;
        const tag = tags[incident.id];
        const simulatedTeam = incident.teamId !== null && deps.routePosition(incident.teamId, now) !== undefined;
        // A resident's help request from the public form that no person on the map has taken up:
        // the simulated dispatcher handles it like one of its own, or it would sit there late.
        const unattended = tag === undefined && incident.source === 'public' && incident.state === 'new' && (!incident.acknowledged || incident.acknowledged.by === SIM_DISPATCHER.username);
        if (tag === undefined && !simulatedTeam && !unattended) continue;
        const acceptAt = incident.history.findLast((h) => h.event === 'accept')?.at ?? now;
        const way = incident.state === 'accepted' || incident.state === 'on_scene' ? travel(incident, acceptAt) : undefined;
        const step = nextStep(incident, scriptOf(incident.id, incident.category, incident.source, TRICKLE_SEED), way?.ms ?? MIN_TRAVEL_MS, tag !== undefined || unattended);

        if (step && step.at <= now && (step.by === 'dispatcher' || simulatedTeam)) {
          try {
            const actor = step.by === 'team' ? teamActor(incident.teamId!) : dispatcher;
            let body: { teamId?: string; version?: number; note?: string; reason?: string } = { note: step.note, reason: step.reason };
            if (step.action === 'dispatch') {
              const reporter = tag?.startsWith('patrol:') ? tag.slice('patrol:'.length) : '';
              const teamId = reporter && deps.teams().has(reporter) ? reporter : await nearestFreeTeam(incident.lon, incident.lat, now);
              if (!teamId) continue;
              // The dispatcher has seen it (the marker stops pulsing), then sends the team.
              const seen = incident.acknowledged ? incident : (await app.incidents.step(incident.id, 'acknowledge', dispatcher)).incident;
              body = { teamId, version: seen.version };
            }
            const origin = step.action === 'accept' ? positionNow(incident.teamId!, now) : undefined;
            const { changed } = await app.incidents.step(incident.id, step.action, actor, body);
            if (changed) out.steps++;
            // Taken up: from now on the simulated dispatcher sees it through, like its own.
            if (changed && unattended) await redis.hSet(keys.simIncidents, incident.id, 'public:');
            if (changed && step.action === 'accept') {
              // Sets off next tick, from where it is now.
              if (origin) departedFrom.set(incident.id, origin);
              returning.delete(incident.teamId!);
              if (origin) out.overrides.set(incident.teamId!, { ...origin, heading: bearing(origin.lon, origin.lat, incident.lon, incident.lat), speed: 0 });
              continue;
            }
            if (changed && step.by === 'team' && (step.action === 'resolve' || step.action === 'escalate') && way) {
              returning.set(incident.teamId!, { lon: incident.lon, lat: incident.lat, at: now, ms: way.ms });
              departedFrom.delete(incident.id);
              continue;
            }
          } catch (err) {
            // A person on the map got there first: the next tick decides again on what is there now.
            app.log.debug({ err: (err as Error).message, incident: incident.id, action: step.action }, 'simulated step refused');
            continue;
          }
        }

        // Where the team is while it responds: on the way, then on scene.
        if (way && incident.teamId && (incident.state === 'accepted' || incident.state === 'on_scene')) {
          const f = incident.state === 'on_scene' ? 1 : Math.min(1, Math.max(0, (now - acceptAt) / way.ms));
          out.overrides.set(incident.teamId, {
            lon: Math.round((way.from.lon + (incident.lon - way.from.lon) * f) * 1e6) / 1e6,
            lat: Math.round((way.from.lat + (incident.lat - way.from.lat) * f) * 1e6) / 1e6,
            heading: bearing(way.from.lon, way.from.lat, incident.lon, incident.lat),
            speed: f < 1 ? RESPONSE_SPEED[deps.teams().get(incident.teamId)?.agency ?? 'joint'] : 0,
          });
        }
      }
      // Back from an incident: from the scene to where the loop has got to meanwhile.
      for (const [teamId, r] of returning) {
        const f = (now - r.at) / r.ms;
        const loop = deps.routePosition(teamId, now);
        if (f >= 1 || f < 0 || !loop || out.overrides.has(teamId)) {
          returning.delete(teamId);
          continue;
        }
        out.overrides.set(teamId, {
          lon: Math.round((r.lon + (loop.lon - r.lon) * f) * 1e6) / 1e6,
          lat: Math.round((r.lat + (loop.lat - r.lat) * f) * 1e6) / 1e6,
          heading: bearing(r.lon, r.lat, loop.lon, loop.lat),
          speed: RESPONSE_SPEED[deps.teams().get(teamId)?.agency ?? 'joint'],
        });
      }
      return out;
    },
  };
}

export type Trickle = ReturnType<typeof createTrickle>;
