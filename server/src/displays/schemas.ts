/**
 * Wall displays' shapes (显示屏): a screen in a command centre that reads the live map and the
 * county's figures with a long-lived, read-only, scoped, revocable token instead of a user's session.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable } from '../schemaKit.ts';

const Id = T.String({ minLength: 1, maxLength: 64 });

/**
 * What a display may see: the whole county, the townships listed (`townshipIds`, required
 * then), or a major event's board (`eventId`, required then), checked by the route. One object
 * rather than a union: Ajv's removal of extra fields would strip `townshipIds` while trying the
 * county branch.
 */
export const DisplayScopeSchema = T.Object(
  {
    kind: T.Union([T.Literal('county'), T.Literal('townships'), T.Literal('event')]),
    townshipIds: T.Optional(T.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true })),
    eventId: T.Optional(Id),
  },
  { additionalProperties: false },
);
export type DisplayScope = Static<typeof DisplayScopeSchema>;

/** As stored (hash `displays`); the token is never stored, only its hash (hash `displays:tokens`). */
export interface StoredDisplay {
  id: string;
  name: string;
  scope: DisplayScope;
  createdAt: number;
  createdBy: string;
  /** SHA-256 of its token (base64url), the key of `displays:tokens`. */
  tokenHash: string;
  /** Set when revoked; a revoked display is kept so its id is not reused. */
  revokedAt: number | null;
}

export const DisplaySchema = T.Object({
  id: T.String(),
  name: T.String(),
  scope: DisplayScopeSchema,
  createdAt: T.Number(),
  createdBy: T.String(),
  /** When the display last read (at most a minute old), null when it never did. */
  lastSeenAt: Nullable(T.Number()),
});
export type DisplayView = Static<typeof DisplaySchema>;

/** GET /api/displays: the displays not revoked, oldest first. */
export const DisplaysSchema = T.Object({ displays: T.Array(DisplaySchema) });
export type DisplaysResponse = Static<typeof DisplaysSchema>;

/** POST /api/displays */
export const NewDisplayBody = T.Object(
  {
    /** Client-generated: a retry with the same id and body answers the same display (with a fresh token, the only one that works). */
    id: T.Optional(T.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    name: T.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
    scope: DisplayScopeSchema,
  },
  { additionalProperties: false },
);
export type NewDisplay = Static<typeof NewDisplayBody>;

/** POST /api/displays → 201 (200 a retry): the display and its sign-in URL, shown this once. */
export const CreatedDisplaySchema = T.Object({ display: DisplaySchema, url: T.String() });
export type CreatedDisplay = Static<typeof CreatedDisplaySchema>;

export const DisplayParams = T.Object({ id: Id });
