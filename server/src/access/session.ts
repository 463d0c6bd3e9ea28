/** The session cookie: an opaque random token, httpOnly, SameSite=Strict. */
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'lf_session';

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies?.[SESSION_COOKIE];
}
