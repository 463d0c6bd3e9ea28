/**
 * How the patrol page talks over its socket, without the browser: an emit that gives up when no
 * acknowledgement comes, which answers mean "try again later", and why the server refused the
 * handshake. Plain functions, so unit tests need no browser.
 */

/** An ack that doesn't come in this long is treated as lost: the items stay queued. */
export const ACK_TIMEOUT_MS = 15_000;
/** How long to wait before sending again, or connecting again after the server cut the link. */
export const RETRY_MS = 5_000;

/** The ack error a server sends when something failed on its side: worth another try later. */
export const RETRY_MESSAGE = 'internal error, retry';

/** Whether an ack says the server failed on its side (send again later) rather than answered. */
export function isRetry(res: { data: unknown } | { error: { message: string } }): boolean {
  return 'error' in res && res.error.message === RETRY_MESSAGE;
}

/** Emits with an acknowledgement, rejecting when none arrives in time (a lost packet, a dead link). */
export function withAck<T>(send: (ack: (res: T) => void) => void, timeoutMs = ACK_TIMEOUT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ack timeout')), timeoutMs);
    send((res) => {
      clearTimeout(timer);
      resolve(res);
    });
  });
}

/** Why the server refused the socket for good, from its handshake error. */
export type PatrolRefusal = 'unknown' | 'revoked' | 'unauthorized';

const REFUSALS: Record<string, PatrolRefusal> = {
  'unknown device': 'unknown',
  'revoked device': 'revoked',
  unauthorized: 'unauthorized',
};

/** The refusal a handshake error names, or null for one worth retrying (a transport failure, 'unavailable'). */
export function connectRefusal(message: string): PatrolRefusal | null {
  return Object.hasOwn(REFUSALS, message) ? REFUSALS[message]! : null;
}
