/**
 * The shapes of teams as the API shows them: the map's team list with latest positions, one
 * team's details, derived status and its changes. Types are `Static<typeof …>`; the web imports
 * them. No imports from other domains, so any domain may use these.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { AGENCIES, MEMBER_ROLES } from '@lianfang/geo';
import { Nullable, StringEnum } from '../schemaKit.ts';

/**
 * Team status 巡逻状态, derived from data: `off_duty` (never reported, ended its shift, or silent
 * for OFF_DUTY_AFTER_S), `offline` (on patrol but no position for OFFLINE_AFTER_S), `responding`
 * (dispatched to an incident), `on_patrol` (reporting).
 */
export const TEAM_STATUSES = ['off_duty', 'on_patrol', 'responding', 'offline'] as const;
export type TeamStatus = (typeof TEAM_STATUSES)[number];
export const TeamStatusSchema = StringEnum(TEAM_STATUSES);

/** A team as the map shows it, with its latest position (null fields when it never reported). */
export const TeamViewSchema = T.Object({
  id: T.String(),
  callSign: T.String(),
  agency: StringEnum(AGENCIES),
  organisationId: T.String(),
  townshipId: Nullable(T.String()),
  lon: Nullable(T.Number()),
  lat: Nullable(T.Number()),
  /** Fix time of the latest position, epoch ms. */
  time: Nullable(T.Number()),
  heading: Nullable(T.Number()),
  speed: Nullable(T.Number()),
  /** Battery in percent at the team's last report that carried one. */
  battery: Nullable(T.Number()),
  /** As the server derives it; live changes arrive as `team:status`. */
  status: TeamStatusSchema,
  statusSince: Nullable(T.Number()),
});
export type TeamView = Static<typeof TeamViewSchema>;

/** GET /api/teams */
export const TeamsResponseSchema = T.Object({
  teams: T.Array(TeamViewSchema),
  /** Server time when the snapshot was taken, epoch ms: deltas older than this are already in it. */
  at: T.Number(),
});
export type TeamsResponse = Static<typeof TeamsResponseSchema>;

const MemberSchema = T.Object({ name: T.String(), phone: T.String(), role: StringEnum(MEMBER_ROLES), organisationId: T.Optional(T.String()) });

/** GET /api/teams/:id: a team with its members (phones) and grids. */
export const TeamDetailSchema = T.Object({
  team: T.Object({
    id: T.String(),
    callSign: T.String(),
    agency: StringEnum(AGENCIES),
    organisationId: T.String(),
    townshipId: Nullable(T.String()),
    members: T.Array(MemberSchema),
    gridIds: T.Array(T.String()),
    status: TeamStatusSchema,
    statusSince: Nullable(T.Number()),
  }),
});
export type TeamDetailResponse = Static<typeof TeamDetailSchema>;

/** A derived status change, as `team:status` carries it. */
export const TeamStatusChangeSchema = T.Object({
  teamId: T.String(),
  status: TeamStatusSchema,
  /** Since when, epoch ms; null for a team that never reported. */
  since: Nullable(T.Number()),
});
export type TeamStatusChange = Static<typeof TeamStatusChangeSchema>;

export const TeamIdParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) });

const Phone = T.String({ pattern: '^[0-9+ -]{3,20}$' });
/** A call sign as a manager writes it: not blank (e.g. 十字巡01). */
const CallSign = T.String({ minLength: 1, maxLength: 32, pattern: '\\S' });
const MembersBody = T.Array(
  T.Object({ name: T.String({ minLength: 1, maxLength: 32, pattern: '\\S' }), phone: Phone, role: T.Union(MEMBER_ROLES.map((r) => T.Literal(r))), organisationId: T.Optional(T.String({ maxLength: 64 })) }),
  { maxItems: 50 },
);
const GridIdsBody = T.Array(T.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 });

/** PATCH /api/teams/:id: call sign, members or grids. */
export const TeamChangeBody = T.Object(
  {
    callSign: T.Optional(CallSign),
    members: T.Optional(MembersBody),
    gridIds: T.Optional(GridIdsBody),
  },
  { minProperties: 1 },
);

/**
 * POST /api/teams: a new team. `id` is the client's own (so a retry after a lost answer does not
 * make a second team); without it the server takes the next TMnnn.
 */
export const NewTeamBody = T.Object({
  id: T.Optional(T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
  callSign: CallSign,
  agency: StringEnum(AGENCIES),
  organisationId: T.String({ minLength: 1, maxLength: 64 }),
  gridIds: T.Optional(GridIdsBody),
  members: T.Optional(MembersBody),
});

/** POST /api/teams → 201 (or 200 for a retry), PATCH /api/teams/:id → 200: the team as stored. */
export const TeamChangedSchema = T.Object({
  team: T.Object({
    id: T.String(),
    callSign: T.String(),
    agency: StringEnum(AGENCIES),
    organisationId: T.String(),
    townshipId: T.Optional(T.String()),
    members: T.Array(MemberSchema),
    gridIds: T.Array(T.String()),
  }),
});

/** GET /api/organisations */
export const OrganisationsSchema = T.Object({
  organisations: T.Array(T.Object({ id: T.String(), name: T.String(), kind: T.String(), townshipId: Nullable(T.String()) })),
});
export type OrganisationsResponse = Static<typeof OrganisationsSchema>;
export type TeamChangedResponse = Static<typeof TeamChangedSchema>;

/**
 * A team as the team screen lists it: counts for every team, members (names, phones) only of
 * teams the caller may see them of (a coordinator: its own organisation's), else null.
 */
export const RosterTeamSchema = T.Object({
  id: T.String(),
  callSign: T.String(),
  agency: StringEnum(AGENCIES),
  organisationId: T.String(),
  townshipId: Nullable(T.String()),
  gridIds: T.Array(T.String()),
  memberCount: T.Integer(),
  members: Nullable(T.Array(MemberSchema)),
  status: TeamStatusSchema,
});
export type RosterTeam = Static<typeof RosterTeamSchema>;
/** GET /api/roster/teams */
export const RosterSchema = T.Object({ teams: T.Array(RosterTeamSchema) });
export type RosterResponse = Static<typeof RosterSchema>;
