/** GET /api/health's shape: is this process up, can it reach Redis, is the demo (when on) ready. */
import { Type as T, type Static } from '@sinclair/typebox';
import { StringEnum } from '../schemaKit.ts';

/**
 * Redis memory against its `maxmemory` (INFO memory). With the `noeviction` policy the start
 * script and compose set, a full Redis refuses writes (positions answer 503) rather than
 * dropping data; `degraded` from 90 % on, so monitoring warns before that.
 */
export const HealthMemorySchema = T.Object({
  usedBytes: T.Integer(),
  /** null: no maxmemory set (Redis may grow until the machine runs out). */
  maxBytes: T.Union([T.Integer(), T.Null()]),
  /** usedBytes / maxBytes, or null without a maxmemory. */
  ratio: T.Union([T.Number(), T.Null()]),
  /** Redis's maxmemory-policy: anything but noeviction drops data when full. */
  policy: T.String(),
  degraded: T.Boolean(),
});
export type HealthMemory = Static<typeof HealthMemorySchema>;

export const HealthSchema = T.Object({
  status: StringEnum(['ok', 'degraded']),
  redis: StringEnum(['up', 'down']),
  /** Seconds since this process started. */
  uptime: T.Number(),
  version: T.String(),
  /** Absent while Redis is down (or INFO did not answer in time). */
  memory: T.Optional(HealthMemorySchema),
  /**
   * With the demo on: 'loading' (503) until the demo accounts can sign in and the demo's data
   * is written, then 'ready'. Absent without the demo.
   */
  demo: T.Optional(StringEnum(['loading', 'ready'])),
});
export type HealthResponse = Static<typeof HealthSchema>;
