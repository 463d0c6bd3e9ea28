/**
 * Major events 重大活动 without HTTP: create (once per client id, the major-event template's
 * coverage applied to the locations inside the perimeter for the window), cancel, check-ins at
 * posts, and the periodic look at every active event's posts: staffing changes go on its
 * timeline once (a script compares and writes), and an assigned team away from its post longer
 * than POST_LEFT_GRACE_S after arriving raises one post_left alert (the alert scripts keep one
 * open per subject, so two processes looking at once raise it once), resolved when it is back.
 */
import type { FastifyInstance } from 'fastify';
import { applyTemplate, localMinute, perimeterContains, pointInPolygon, postStaffing, type PlanTemplate, type PostStaffing } from '@lianfang/geo';
import { canManageOrganisation } from '../access/roles.ts';
import type { SessionUser } from '../access/schemas.ts';
import { HttpError } from '../plugins/errors.ts';
import type { CreateEventBody, PatrolPost, PostCheckIn, StoredEvent } from './schemas.ts';
import { createEventStore, type StaffingLook } from './store.ts';

/** The template applied when the body names none. */
export const DEFAULT_TEMPLATE_ID = 'major-event';
/** A post's radius when the body gives none, metres. */
export const DEFAULT_POST_RADIUS_M = 100;
/** A fix older than this places a team nowhere (its phone went quiet). */
export const STALE_FIX_MS = 10 * 60_000;
const MAX_WINDOW_MS = 31 * 86_400_000;

/** The subject of a team's post_left alert. */
export const postLeftSubject = (eventId: string, postId: string, teamId: string) => `${eventId}/${postId}/${teamId}`;

/** JSON with sorted keys: a retried create is recognised whatever the key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** The request an event was made from (to recognise a retry). */
const requestOf = (e: StoredEvent) => ({ name: e.name, start: e.start, end: e.end, perimeter: e.perimeter, posts: e.posts.map(({ id: _id, ...p }) => p) });

export type EventsService = ReturnType<typeof createEventsService>;

export function createEventsService(app: FastifyInstance, announce: (eventId: string) => void) {
  const store = createEventStore(app.redis, app.keys);
  const graceMs = () => app.config.postLeftGraceS * 1000;

  async function mustGet(id: string): Promise<StoredEvent> {
    const e = await store.get(id);
    if (!e) throw new HttpError(404, `no event with id ${id}`, 'params.id', { code: 'not_found' });
    return e;
  }

  /** The grid a point lies in, from the geography read model. */
  async function gridAtFn(): Promise<(lon: number, lat: number) => string | undefined> {
    const places = await app.geography.places.current();
    return (lon, lat) => places.gridIndex.gridAt(lon, lat)?.id;
  }

  /** Who stands at each post now. */
  async function staffing(event: StoredEvent, now = app.clock.now()): Promise<PostStaffing[]> {
    const teams = await app.teams.assigned();
    const ids = [...teams.keys()];
    const rows = await Promise.all(ids.map((id) => app.redis.hmGet(app.keys.teamPosition(id), ['lon', 'lat', 'time'])));
    const fixes = ids.flatMap((teamId, i) => {
      const [lon, lat, time] = rows[i] ?? [];
      return lon && lat && time ? [{ teamId, lon: Number(lon), lat: Number(lat), time: Number(time) }] : [];
    });
    const checkIns = await store.lastCheckIns(event.id);
    return postStaffing(event.posts, fixes, checkIns, { since: event.start, staleAfterMs: STALE_FIX_MS, now });
  }

  async function checkBody(body: CreateEventBody): Promise<void> {
    if (body.end <= body.start) throw new HttpError(400, 'body.end must be after body.start', 'body.end', { code: 'ends_before_start' });
    if (body.end - body.start > MAX_WINDOW_MS) throw new HttpError(400, 'an event lasts at most 31 days', 'body.end', { code: 'invalid' });
    const { gridIds, polygon } = body.perimeter;
    if ((gridIds === undefined) === (polygon === undefined)) throw new HttpError(400, 'give the perimeter as gridIds or as a polygon, one of them', 'body.perimeter', { code: 'required' });
    const places = await app.geography.places.current();
    const badGrid = gridIds?.find((id) => !places.grids.has(id));
    if (badGrid) throw new HttpError(400, `body.perimeter.gridIds names an unknown grid ${badGrid}`, 'body.perimeter.gridIds', { code: 'unknown_grid', params: { id: badGrid } });
    const ring = polygon?.coordinates[0];
    if (ring && (ring[0]![0] !== ring[ring.length - 1]![0] || ring[0]![1] !== ring[ring.length - 1]![1])) {
      throw new HttpError(400, 'the polygon ring must end where it starts', 'body.perimeter.polygon', { code: 'invalid' });
    }
    const teams = await app.teams.assigned(true);
    for (const [i, post] of body.posts.entries()) {
      const bad = post.teamIds.find((id) => !teams.has(id));
      if (bad) throw new HttpError(400, `body.posts[${i}].teamIds names an unknown team ${bad}`, `body.posts.${i}.teamIds`, { code: 'unknown_team', params: { team: bad } });
    }
  }

  /** The template's period and rules over the window, scoped to the locations inside the perimeter (null when none is). */
  async function coverageFor(body: CreateEventBody): Promise<{ template: PlanTemplate; locationIds: string[] } | null> {
    const templateId = body.templateId === undefined ? DEFAULT_TEMPLATE_ID : body.templateId;
    if (templateId === null) return null;
    const template = await app.coverage.store.get<PlanTemplate>('template', templateId);
    if (!template) {
      if (body.templateId === undefined) return null;
      throw new HttpError(400, `body.templateId names an unknown template ${templateId}`, 'body.templateId', { code: 'unknown_template' });
    }
    const places = await app.geography.places.current();
    const { gridIds, polygon } = body.perimeter;
    const locationIds = [...places.locations.values()]
      .filter((l) => (polygon ? pointInPolygon([l.lon, l.lat], polygon) : l.gridId !== undefined && gridIds!.includes(l.gridId)))
      .map((l) => l.id)
      .sort();
    return locationIds.length ? { template, locationIds } : null;
  }

  return {
    store,
    staffing,
    get: store.get,
    mustGet,
    list: store.list,

    async create(body: CreateEventBody, user: SessionUser): Promise<{ event: StoredEvent; created: boolean }> {
      const existing = await store.get(body.id);
      const posts = body.posts.map((p, i) => ({ id: `P${i + 1}`, name: p.name.trim(), lon: p.lon, lat: p.lat, radius: p.radius ?? DEFAULT_POST_RADIUS_M, headcount: p.headcount, teamIds: [...new Set(p.teamIds)] }));
      const request = { name: body.name.trim(), start: body.start, end: body.end, perimeter: body.perimeter, posts: posts.map(({ id: _id, ...p }) => p) };
      if (existing) {
        if (existing.by !== user.username || canonical(requestOf(existing)) !== canonical(request)) throw new HttpError(409, `event ${body.id} exists with another body`, 'body.id', { code: 'conflict' });
        return { event: existing, created: false };
      }
      await checkBody(body);
      const cov = await coverageFor(body);
      const now = app.clock.now();
      const tz = app.config.timeZone;
      let coverage: StoredEvent['coverage'] = null;
      if (cov) {
        // Ids from the event's: a retry after a crash rewrites the same period and rules.
        const periodId = `ev-${body.id}`;
        const ruleIds = cov.template.rules.map((_, i) => `ev-${body.id}-r${i + 1}`);
        const scope = body.perimeter.gridIds ? { gridIds: [...body.perimeter.gridIds] } : { locationIds: cov.locationIds };
        const { period, rules } = applyTemplate(cov.template, { periodId, ruleIds, name: request.name, start: localMinute(body.start, tz), end: localMinute(body.end, tz), scope });
        await app.coverage.store.write({ periods: [JSON.parse(JSON.stringify(period))], rules: rules.map((r) => JSON.parse(JSON.stringify(r))) });
        coverage = { templateId: cov.template.id, periodId, ruleIds, locationIds: cov.locationIds };
      }
      const event: StoredEvent = { id: body.id, ...request, posts, coverage, by: user.username, byName: user.name, createdAt: now, cancelled: null };
      if (!(await store.create(event, now))) return this.create(body, user);
      if (coverage) await app.coverage.engine.recompute();
      announce(event.id);
      return { event, created: true };
    },

    async cancel(id: string, user: SessionUser): Promise<{ event: StoredEvent; changed: boolean }> {
      await mustGet(id);
      const now = app.clock.now();
      const r = await store.cancel(id, user.username, now);
      if (!r.event) throw new HttpError(404, `no event with id ${id}`, 'params.id', { code: 'not_found' });
      const c = r.event.coverage;
      if (c) {
        await app.coverage.store.write({ deletePeriods: [c.periodId], deleteRules: c.ruleIds });
        await app.coverage.engine.recompute();
      }
      for (const subject of await app.alerts.openSubjects('post_left')) {
        if (subject.startsWith(`${id}/`)) await app.alerts.resolveSubject('post_left', subject, 'event_cancelled', undefined, now);
      }
      if (r.status === 'ok') announce(id);
      return { event: r.event, changed: r.status === 'ok' };
    },

    /** A team checks in at a post (its own team for a patrol; a manager names one in its scope). */
    async checkIn(eventId: string, postId: string, body: { id: string; teamId?: string }, user: SessionUser): Promise<PostCheckIn> {
      const teamId = user.role === 'patrol' ? user.teamId : body.teamId;
      if (!teamId) throw new HttpError(400, 'name the team checking in', 'body.teamId', { code: 'required' });
      const team = (await app.teams.assigned()).get(teamId);
      if (!team) throw new HttpError(400, `body.teamId names an unknown team ${teamId}`, 'body.teamId', { code: 'unknown_team', params: { team: teamId } });
      if (user.role !== 'patrol' && !canManageOrganisation(user, team.organisationId)) throw new HttpError(403, `team ${teamId} belongs to another organisation`, 'body.teamId', { code: 'team_out_of_scope', params: { team: teamId } });
      return this.checkInTeam(eventId, postId, body.id, teamId, user.username);
    },

    /** Records the team's check-in at the post under the client id (once), in an event under way. */
    async checkInTeam(eventId: string, postId: string, clientId: string, teamId: string, by: string): Promise<PostCheckIn> {
      const event = await mustGet(eventId);
      if (!event.posts.some((p) => p.id === postId)) throw new HttpError(404, `event ${eventId} has no post ${postId}`, 'params.postId', { code: 'not_found' });
      const now = app.clock.now();
      if (event.cancelled || now < event.start || now >= event.end) throw new HttpError(409, `event ${eventId} is not under way`, 'params.id', { code: 'event_not_active' });
      const r = await store.checkIn(eventId, clientId, teamId, postId, now, by, Math.max(event.end - now, 0) + 86_400_000);
      if (r.stored) announce(eventId);
      return { eventId, postId: r.postId, teamId: r.teamId, time: r.time, by: r.by, duplicate: !r.stored };
    },

    /** The posts the team is assigned to in events under way, with its latest check-in at each. */
    async postsForTeam(teamId: string): Promise<PatrolPost[]> {
      const out: PatrolPost[] = [];
      for (const event of await store.active(app.clock.now())) {
        const mine = event.posts.filter((p) => p.teamIds.includes(teamId));
        if (mine.length === 0) continue;
        const last = (await store.lastCheckIns(event.id)).get(teamId);
        for (const p of mine) out.push({ eventId: event.id, eventName: event.name, end: event.end, postId: p.id, name: p.name, lon: p.lon, lat: p.lat, radius: p.radius, checkedInAt: last?.postId === p.id ? last.time : null });
      }
      return out;
    },

    /** Looks at every active event's posts; returns how many alerts it raised or resolved. */
    async tick(now = app.clock.now()): Promise<number> {
      let changed = 0;
      const active = await store.active(now);
      const live = new Set(active.map((e) => e.id));
      const open = await app.alerts.openSubjects('post_left');
      // An event that ended or was cancelled leaves no team alerted for leaving its post.
      for (const subject of open) {
        if (!live.has(subject.split('/')[0]!) && (await app.alerts.resolveSubject('post_left', subject, 'event_ended', undefined, now))) changed++;
      }
      for (const event of active) {
        const posts = await staffing(event, now);
        const look: StaffingLook = {
          posts: posts.map((p) => ({ postId: p.postId, state: p.state, count: p.present.length, teams: p.present })),
          assigned: event.posts.flatMap((post) => post.teamIds.map((teamId) => ({ postId: post.id, teamId, present: posts.find((p) => p.postId === post.id)!.present.includes(teamId) }))),
        };
        const r = await store.recordStaffing(event.id, look, now);
        let moved = r.changedPosts.length > 0 || r.back.length > 0;
        for (const a of r.away) {
          if (now - a.since < graceMs()) continue;
          const post = event.posts.find((p) => p.id === a.postId)!;
          const raised = await app.alerts.raise('post_left', postLeftSubject(event.id, a.postId, a.teamId), { teamId: a.teamId, at: a.since, lon: post.lon, lat: post.lat, title: post.name, note: event.name }, true, now);
          if (raised.alert) await store.addAlert(event.id, a.postId, raised.alert.id);
          if (raised.created) {
            changed++;
            moved = true;
          }
        }
        // Back at the post: resolve (also one a process stopped before resolving left open).
        for (const a of look.assigned) {
          const subject = postLeftSubject(event.id, a.postId, a.teamId);
          if (a.present && open.includes(subject) && (await app.alerts.resolveSubject('post_left', subject, 'back_at_post', undefined, now))) {
            changed++;
            moved = true;
          }
        }
        for (const b of r.back) {
          if (await app.alerts.resolveSubject('post_left', postLeftSubject(event.id, b.postId, b.teamId), 'back_at_post', undefined, now)) changed++;
        }
        if (moved) announce(event.id);
      }
      return changed;
    },

    /** Does the point lie inside the event's perimeter? */
    async contains(event: StoredEvent): Promise<(lon: number, lat: number) => boolean> {
      const gridAt = await gridAtFn();
      return (lon, lat) => perimeterContains(event.perimeter, lon, lat, gridAt);
    },
  };
}
