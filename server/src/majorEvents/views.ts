/**
 * What a major event looks like to people: its board now (posts staffed or short, incidents and
 * alerts inside the perimeter, the timeline), its replay (every team and incident of its window
 * and area; tracks scoped like GET /api/teams/:id/track) and its report. `board(id, viewer)` is
 * what the wall takes for an event scope.
 */
import type { FastifyInstance } from 'fastify';
import { staffingSpans, type StaffingChange } from '@lianfang/geo';
import type { SessionUser } from '../access/schemas.ts';
import type { AlertView } from '../alerts/schemas.ts';
import { readTrack } from '../tracking/track.ts';
import type { BoardPost, EventBoard, EventReplay, EventReport, StoredEvent, TimelineEntry } from './schemas.ts';
import type { EventsService } from './service.ts';

const TRACK_LIMIT = 20_000;

const entry = (e: Partial<TimelineEntry> & Pick<TimelineEntry, 'at' | 'kind'>): TimelineEntry => ({ postId: null, teamId: null, state: null, count: null, by: null, incidentId: null, alertId: null, ...e });

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
}

export function createEventViews(app: FastifyInstance, events: EventsService) {
  /** Incidents reported inside the perimeter during the window, that the viewer may see. */
  async function incidentsOf(event: StoredEvent, viewer: SessionUser | undefined, until: number) {
    const inside = await events.contains(event);
    const list = await app.incidents.list({ from: event.start, to: Math.min(event.end, until), limit: 500, ...(viewer ? { viewer } : {}) });
    return list.filter((i) => inside(i.lon, i.lat));
  }

  /** The event's post_left alerts, and the open alerts placed inside the perimeter. */
  async function alertsOf(event: StoredEvent): Promise<AlertView[]> {
    const inside = await events.contains(event);
    const own = await app.alerts.views((await events.store.alerts(event.id)).map((a) => a.alertId));
    const ownIds = new Set(own.map((a) => a.id));
    const open = (await app.alerts.list({ state: 'open' })).filter((a) => !ownIds.has(a.id) && a.kind !== 'post_left' && a.lon !== null && a.lat !== null && inside(a.lon, a.lat));
    return [...own, ...open].sort((a, b) => b.at - a.at);
  }

  return {
    async board(id: string, viewer?: SessionUser): Promise<EventBoard> {
      const event = await events.mustGet(id);
      const now = app.clock.now();
      const phase = event.cancelled || now >= event.end ? 'ended' : now < event.start ? 'upcoming' : 'active';
      const staffing = phase === 'active' ? await events.staffing(event, now) : [];
      const posts: BoardPost[] = event.posts.map((p) => {
        const s = staffing.find((x) => x.postId === p.id);
        return { ...p, state: s?.state ?? 'short', present: s?.present ?? [] };
      });
      const [incidents, alerts, stored] = await Promise.all([incidentsOf(event, viewer, now), alertsOf(event), events.store.timeline(id)]);
      const timeline = [
        ...stored,
        ...incidents.map((i) => entry({ at: i.createdAt, kind: 'incident', incidentId: i.id, teamId: i.teamId })),
        ...alerts.map((a) => entry({ at: a.raisedAt, kind: 'alert', alertId: a.id, teamId: a.teamId })),
      ]
        .sort((a, b) => b.at - a.at)
        .slice(0, 200);
      const staffed = posts.filter((p) => p.state === 'staffed').length;
      return { event, at: now, phase, posts, staffed, short: posts.length - staffed, incidents, alerts, timeline };
    },

    async replay(id: string, viewer?: SessionUser): Promise<EventReplay> {
      const event = await events.mustGet(id);
      const from = event.start;
      const to = Math.min(event.end, event.cancelled?.at ?? event.end, app.clock.now());
      const inside = await events.contains(event);
      const assigned = new Set(event.posts.flatMap((p) => p.teamIds));
      const teams = await app.teams.assigned(true);
      let truncated = false;
      const out: EventReplay['teams'] = [];
      for (const [teamId, team] of teams) {
        // Latest positions are the shared map; histories are scoped (a coordinator: their area's teams).
        if (viewer && !(await app.scope.seesTeam(viewer, team))) continue;
        const track = await readTrack(app.redis, app.keys, { teamId, from, to, limit: TRACK_LIMIT, futureToleranceMs: app.config.futureToleranceS * 1000 });
        if (track.positions.length === 0) continue;
        if (!assigned.has(teamId) && !track.positions.some((p) => inside(p.lon, p.lat))) continue;
        truncated ||= track.truncated;
        out.push({ teamId, callSign: team.callSign, track: track.positions.map((p) => ({ time: p.time, lon: p.lon, lat: p.lat })) });
      }
      const incidents = (await incidentsOf(event, viewer, to)).map((i) => ({
        id: i.id,
        category: i.category,
        lon: i.lon,
        lat: i.lat,
        createdAt: i.createdAt,
        resolvedAt: i.history.find((h) => h.event === 'resolve')?.at ?? null,
      }));
      const checkIns = (await events.store.timeline(id)).filter((e) => e.kind === 'checkin' && e.postId && e.teamId).map((e) => ({ postId: e.postId!, teamId: e.teamId!, at: e.at }));
      return { event, from, to: Math.max(from + 1, to), teams: out.sort((a, b) => a.callSign.localeCompare(b.callSign)), incidents: incidents.sort((a, b) => a.createdAt - b.createdAt), checkIns, truncated };
    },

    async report(id: string, viewer?: SessionUser): Promise<EventReport> {
      const event = await events.mustGet(id);
      const from = event.start;
      const to = Math.max(from + 1, Math.min(event.end, event.cancelled?.at ?? event.end, app.clock.now()));
      const timeline = await events.store.timeline(id);
      const changes: StaffingChange[] = timeline.filter((e) => e.kind === 'staffing' && e.postId && e.state).map((e) => ({ postId: e.postId!, at: e.at, state: e.state!, count: e.count ?? 0 }));
      const spans = staffingSpans(event.posts.map((p) => p.id), changes, from, to);
      const raised = await events.store.alerts(id);
      const posts = event.posts.map((p, i) => ({
        postId: p.id,
        name: p.name,
        headcount: p.headcount,
        staffedShare: spans[i]!.staffedShare,
        spans: spans[i]!.spans,
        checkIns: timeline.filter((e) => e.kind === 'checkin' && e.postId === p.id).length,
        leftAlerts: raised.filter((a) => a.postId === p.id).length,
      }));
      const locationIds = event.coverage?.locationIds ?? [];
      let visited = 0;
      for (const loc of locationIds) {
        const first = await app.redis.xRange(app.keys.locationCheckins(loc), String(from), String(to), { COUNT: 1 });
        if (first.length) visited++;
      }
      const incidents = (await incidentsOf(event, viewer, to)).map((i) => {
        const arrivedAt = i.history.find((h) => h.event === 'arrive')?.at ?? null;
        return { id: i.id, category: i.category, createdAt: i.createdAt, arrivedAt, resolvedAt: i.history.find((h) => h.event === 'resolve')?.at ?? null, responseMs: arrivedAt === null ? null : arrivedAt - i.createdAt };
      });
      incidents.sort((a, b) => a.createdAt - b.createdAt);
      return {
        event,
        from,
        to,
        posts,
        coverage: { locations: locationIds.length, visited },
        incidents,
        medianResponseMs: median(incidents.flatMap((i) => (i.responseMs === null ? [] : [i.responseMs]))),
      };
    },
  };
}

export type EventViews = ReturnType<typeof createEventViews>;
