/**
 * Seeds positions the way production receives them: through the one ingest pipeline
 * (`app.positions.ingest`), as a signed-in patrol of the team, so a test's fixes pass the same
 * checks, resend guard, dwell clock and late index as a phone's.
 */
import type { FastifyInstance } from 'fastify';
import type { Fix } from '../../geo/src/index.ts';

/** Who the fixes come from in the team's history and check-ins (as the simulator says 'simulator'). */
export const TEST_REPORTER = 'test';

/**
 * Reports `fixes` for the team, as one request. The same fix time twice within an hour is a
 * resend and stored once: give each report its own time. Throws the HttpError a refused fix
 * gets (outside the county, in the future, …).
 */
export async function report(app: FastifyInstance, teamId: string, fixes: Fix[]) {
  return app.positions.ingest({ teamId, by: TEST_REPORTER }, fixes, 'http', (i, field) => `fixes.${i}.${field}`, 'test');
}
