/** The session cookie (an opaque random token, httpOnly, SameSite=Strict) and the socket rooms that follow it. */
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'lf_session';

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies?.[SESSION_COOKIE];
}

/** Room of every socket a user opened with a session (closed when the user is disabled or changes role). */
export const userRoom = (userId: string) => `user:${userId}`;
/** Room of the sockets opened with one session, by the token's hash (closed at logout). */
export const sessionRoom = (tokenHash: string) => `session:${tokenHash}`;
