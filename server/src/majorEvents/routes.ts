/**
 * The major-event API (重大活动), at /api/events (server/src/events.ts is the Socket.IO event map):
 *   POST /api/events                              admin dispatcher: 201 created, 200 a retry of the same id and body, 409 same id other body
 *   GET  /api/events?limit=                       viewers: newest start first
 *   GET  /api/events/:id                          viewers
 *   POST /api/events/:id/cancel                   admin dispatcher: 200 (changed false when it already was)
 *   POST /api/events/:id/posts/:postId/checkins   patrol (own team), admin dispatcher coordinator (a team they manage)
 *   GET  /api/events/:id/board                    viewers: posts staffed or short, incidents (the viewer's area) and alerts inside, timeline
 *   GET  /api/events/:id/replay                   viewers: every team and incident of the window and area
 *   GET  /api/events/:id/report                   viewers: staffing per post over time, coverage, incidents, response times
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { VIEWERS, type Role } from '../access/roles.ts';
import {
  BoardSchema,
  CreateEventBody,
  EventIdParams,
  EventListQuery,
  EventSchema,
  EventsResponseSchema,
  PostCheckInBody,
  PostCheckInSchema,
  PostParams,
  ReplaySchema,
  ReportSchema,
} from './schemas.ts';

const COMMANDERS: readonly Role[] = ['admin', 'dispatcher'];
const CHECKERS: readonly Role[] = ['admin', 'dispatcher', 'coordinator', 'patrol'];

const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/events', { config: { access: COMMANDERS }, schema: { body: CreateEventBody, response: { 200: EventSchema, 201: EventSchema } } }, async (request, reply) => {
    const { event, created } = await app.majorEvents.create(request.body, request.user!);
    if (created) {
      await app.auditRequest(request, { action: 'event_create', target: `event:${event.id}`, detail: { name: event.name, start: event.start, end: event.end, posts: event.posts.length, coverage: event.coverage?.periodId ?? null } });
    }
    reply.status(created ? 201 : 200);
    return event;
  });

  app.get('/api/events', { config: { access: VIEWERS }, schema: { querystring: EventListQuery, response: { 200: EventsResponseSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return { events: await app.majorEvents.list(request.query.limit ?? 50), at: app.clock.now() };
  });

  app.get('/api/events/:id', { config: { access: VIEWERS }, schema: { params: EventIdParams, response: { 200: EventSchema } } }, async (request) => app.majorEvents.mustGet(request.params.id));

  app.post(
    '/api/events/:id/cancel',
    { config: { access: COMMANDERS }, schema: { params: EventIdParams, response: { 200: T.Object({ event: EventSchema, changed: T.Boolean() }) } } },
    async (request) => {
      const r = await app.majorEvents.cancel(request.params.id, request.user!);
      if (r.changed) await app.auditRequest(request, { action: 'event_cancel', target: `event:${r.event.id}`, detail: { name: r.event.name } });
      return r;
    },
  );

  app.post(
    '/api/events/:id/posts/:postId/checkins',
    { config: { access: CHECKERS }, schema: { params: PostParams, body: PostCheckInBody, response: { 200: PostCheckInSchema, 201: PostCheckInSchema } } },
    async (request, reply) => {
      const r = await app.majorEvents.checkIn(request.params.id, request.params.postId, request.body, request.user!);
      reply.status(r.duplicate ? 200 : 201);
      return r;
    },
  );

  app.get('/api/events/:id/board', { config: { access: VIEWERS }, schema: { params: EventIdParams, response: { 200: BoardSchema } } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return app.majorEvents.views.board(request.params.id, request.user!);
  });

  app.get('/api/events/:id/replay', { config: { access: VIEWERS }, schema: { params: EventIdParams, response: { 200: ReplaySchema } } }, async (request) => app.majorEvents.views.replay(request.params.id, request.user!));

  app.get('/api/events/:id/report', { config: { access: VIEWERS }, schema: { params: EventIdParams, response: { 200: ReportSchema } } }, async (request) => app.majorEvents.views.report(request.params.id, request.user!));
};

export default eventRoutes;
