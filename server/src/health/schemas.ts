/** GET /api/health's shape: is this process up, and can it reach Redis. */
import { Type as T, type Static } from '@sinclair/typebox';
import { StringEnum } from '../schemaKit.ts';

export const HealthSchema = T.Object({
  status: StringEnum(['ok', 'degraded']),
  redis: StringEnum(['up', 'down']),
  /** Seconds since this process started. */
  uptime: T.Number(),
  version: T.String(),
});
export type HealthResponse = Static<typeof HealthSchema>;
