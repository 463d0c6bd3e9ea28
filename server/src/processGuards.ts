/**
 * Last-resort handlers for the process: an exception nobody caught (a synchronous throw in a
 * timer, an event handler) or a rejection nobody handled is logged, then the process closes what
 * it can and exits 1, so its supervisor (systemd, Docker, npm start) restarts it on a clean state
 * instead of it dying without a word or running on in a state nobody knows.
 */
export interface GuardedProcess {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  exit(code: number): never;
}

export interface GuardLog {
  fatal(obj: object, msg: string): void;
}

/** `close` gets `graceMs` to finish (disconnect sockets, quit Redis) before the exit is forced. */
export function installProcessGuards(log: GuardLog, close: () => Promise<unknown>, proc: GuardedProcess = process, graceMs = 3000): void {
  let exiting = false;
  const fail = (what: string) => (reason: unknown) => {
    log.fatal({ err: reason }, `${what}: exiting for the supervisor to restart`);
    if (exiting) return;
    exiting = true;
    setTimeout(() => proc.exit(1), graceMs).unref();
    void Promise.resolve()
      .then(close)
      .catch(() => {})
      .finally(() => proc.exit(1));
  };
  proc.on('uncaughtException', fail('uncaught exception'));
  proc.on('unhandledRejection', fail('unhandled rejection'));
}
