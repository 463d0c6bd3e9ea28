/**
 * The major-event API's shapes (重大活动): an event with its window, perimeter (grids or a drawn
 * polygon) and posts (岗位), its board (posts staffed or short, incidents and alerts inside, a
 * timeline), its replay and its report. Types are `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../schemaKit.ts';
import { AlertSchema } from '../alerts/schemas.ts';
import { IncidentSchema } from '../incidents/schemas.ts';

const Id = T.String({ minLength: 1, maxLength: 64 });
const Lon = T.Number({ minimum: -180, maximum: 180 });
const Lat = T.Number({ minimum: -90, maximum: 90 });
const Time = T.Integer({ minimum: 0 });
const Position = T.Tuple([Lon, Lat]);

/** The event's area: whole grids, or one polygon drawn on the map (exactly one of them). */
export const PerimeterSchema = T.Object(
  {
    gridIds: T.Optional(T.Array(Id, { minItems: 1, maxItems: 500 })),
    polygon: T.Optional(T.Object({ type: T.Literal('Polygon'), coordinates: T.Array(T.Array(Position, { minItems: 4, maxItems: 2000 }), { minItems: 1, maxItems: 1 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const NewPostSchema = T.Object(
  {
    name: T.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
    lon: Lon,
    lat: Lat,
    /** Metres: a team within this stands at the post (default 100). */
    radius: T.Optional(T.Integer({ minimum: 10, maximum: 2000 })),
    /** Teams needed there. */
    headcount: T.Integer({ minimum: 1, maximum: 50 }),
    teamIds: T.Array(Id, { maxItems: 50 }),
  },
  { additionalProperties: false },
);

/** POST /api/events */
export const CreateEventBody = T.Object(
  {
    /** Client-generated: a retry with the same id and body answers the same event. */
    id: T.String({ minLength: 8, maxLength: 48, pattern: '^[A-Za-z0-9_-]+$' }),
    name: T.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
    start: Time,
    end: Time,
    perimeter: PerimeterSchema,
    posts: T.Array(NewPostSchema, { minItems: 1, maxItems: 50 }),
    /** The coverage template applied to the locations inside the perimeter for the window; default `major-event` when it exists, null for none. */
    templateId: T.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type CreateEventBody = Static<typeof CreateEventBody>;

export const PostSchema = T.Object({ id: T.String(), name: T.String(), lon: T.Number(), lat: T.Number(), radius: T.Integer(), headcount: T.Integer(), teamIds: T.Array(T.String()) });
export type PostView = Static<typeof PostSchema>;

export const EventSchema = T.Object({
  id: T.String(),
  name: T.String(),
  start: T.Integer(),
  end: T.Integer(),
  perimeter: PerimeterSchema,
  posts: T.Array(PostSchema),
  /** The coverage period and rules applied for the window (ids in /api/coverage), or null. */
  coverage: Nullable(T.Object({ templateId: T.String(), periodId: T.String(), ruleIds: T.Array(T.String()), locationIds: T.Array(T.String()) })),
  by: T.String(),
  byName: T.String(),
  createdAt: T.Integer(),
  cancelled: Nullable(T.Object({ by: T.String(), at: T.Integer() })),
});
export type EventView = Static<typeof EventSchema>;

export const EventsResponseSchema = T.Object({ events: T.Array(EventSchema), at: T.Integer() });
export type EventsResponse = Static<typeof EventsResponseSchema>;

export const EventIdParams = T.Object({ id: Id });
export const PostParams = T.Object({ id: Id, postId: Id });
export const EventListQuery = T.Object({ limit: T.Optional(T.Integer({ minimum: 1, maximum: 200 })) });

/** POST /api/events/:id/posts/:postId/checkins: a patrol for its own team; managers name the team. */
export const PostCheckInBody = T.Object(
  { id: T.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), teamId: T.Optional(Id) },
  { additionalProperties: false },
);
/** The patrol socket's `post:checkin`: the phone's team checks in at a post of an event under way. */
export const PatrolPostCheckInPayload = T.Object(
  { id: T.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), eventId: Id, postId: Id },
  { additionalProperties: false },
);

/** A post the phone's team is assigned to, in an event under way (`patrol:posts`), with its latest check-in there. */
export interface PatrolPost {
  eventId: string;
  eventName: string;
  end: number;
  postId: string;
  name: string;
  lon: number;
  lat: number;
  radius: number;
  checkedInAt: number | null;
}

export const PostCheckInSchema = T.Object({ eventId: T.String(), postId: T.String(), teamId: T.String(), time: T.Integer(), by: T.String(), duplicate: T.Boolean() });
export type PostCheckIn = Static<typeof PostCheckInSchema>;

export const POST_STATES = ['staffed', 'short'] as const;
export const BoardPostSchema = T.Object({
  ...PostSchema.properties,
  state: StringEnum(POST_STATES),
  /** Teams standing at the post now (by position within its radius, or a check-in there since their latest fix). */
  present: T.Array(T.String()),
});
export type BoardPost = Static<typeof BoardPostSchema>;

export const TIMELINE_KINDS = ['created', 'cancelled', 'checkin', 'staffing', 'arrived', 'left', 'back', 'incident', 'alert'] as const;
export const TimelineEntrySchema = T.Object({
  at: T.Integer(),
  kind: StringEnum(TIMELINE_KINDS),
  postId: Nullable(T.String()),
  teamId: Nullable(T.String()),
  state: Nullable(StringEnum(POST_STATES)),
  count: Nullable(T.Integer()),
  by: Nullable(T.String()),
  incidentId: Nullable(T.String()),
  alertId: Nullable(T.String()),
});
export type TimelineEntry = Static<typeof TimelineEntrySchema>;

/** GET /api/events/:id/board: the event as its board shows it now (the wall takes the same). */
export const BoardSchema = T.Object({
  event: EventSchema,
  /** Now, epoch ms. */
  at: T.Integer(),
  /** 'upcoming' before the start, 'active' in the window, 'ended' after it or once cancelled. */
  phase: StringEnum(['upcoming', 'active', 'ended']),
  posts: T.Array(BoardPostSchema),
  staffed: T.Integer(),
  short: T.Integer(),
  /** Incidents inside the perimeter reported in the window (the viewer's area only), newest first. */
  incidents: T.Array(IncidentSchema),
  /** The event's post_left alerts and the open alerts placed inside the perimeter. */
  alerts: T.Array(AlertSchema),
  /** Newest first, at most 200. */
  timeline: T.Array(TimelineEntrySchema),
});
export type EventBoard = Static<typeof BoardSchema>;

/** GET /api/events/:id/replay: every team seen inside the perimeter (or assigned to a post) and every incident there, over the window. */
export const ReplaySchema = T.Object({
  event: EventSchema,
  from: T.Integer(),
  to: T.Integer(),
  teams: T.Array(T.Object({ teamId: T.String(), callSign: T.String(), track: T.Array(T.Object({ time: T.Integer(), lon: T.Number(), lat: T.Number() })) })),
  incidents: T.Array(T.Object({ id: T.String(), category: IncidentSchema.properties.category, lon: T.Number(), lat: T.Number(), createdAt: T.Integer(), resolvedAt: Nullable(T.Integer()) })),
  checkIns: T.Array(T.Object({ postId: T.String(), teamId: T.String(), at: T.Integer() })),
  /** True when a team's track was cut at the limit. */
  truncated: T.Boolean(),
});
export type EventReplay = Static<typeof ReplaySchema>;

/** GET /api/events/:id/report */
export const ReportSchema = T.Object({
  event: EventSchema,
  from: T.Integer(),
  to: T.Integer(),
  posts: T.Array(
    T.Object({
      postId: T.String(),
      name: T.String(),
      headcount: T.Integer(),
      /** 0–1 of the window. */
      staffedShare: T.Number(),
      spans: T.Array(T.Object({ from: T.Integer(), to: T.Integer(), state: StringEnum(POST_STATES), count: T.Integer() })),
      checkIns: T.Integer(),
      leftAlerts: T.Integer(),
    }),
  ),
  /** Key locations inside the perimeter the template covered, and how many were visited in the window. */
  coverage: T.Object({ locations: T.Integer(), visited: T.Integer() }),
  incidents: T.Array(T.Object({ id: T.String(), category: IncidentSchema.properties.category, createdAt: T.Integer(), arrivedAt: Nullable(T.Integer()), resolvedAt: Nullable(T.Integer()), responseMs: Nullable(T.Integer()) })),
  /** Median of the incidents' times from report to arrival on scene, ms; null with none. */
  medianResponseMs: Nullable(T.Integer()),
});
export type EventReport = Static<typeof ReportSchema>;

/** What is stored under the event's id. */
export type StoredEvent = EventView;
