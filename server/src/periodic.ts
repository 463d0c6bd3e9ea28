/**
 * A job a process runs every few seconds (a tick, a roll-up): never two runs of it at once in one
 * process, a failure logged and left to the next run, the timer stopped when the app closes.
 * Running it on every process is safe: each job claims its work in Redis.
 */
import type { FastifyInstance } from 'fastify';

/** Runs `job` every `ms` (0 or less: never), not while its previous run is still going. */
export function every(app: FastifyInstance, ms: number, job: () => Promise<unknown>, failure: string): void {
  if (ms <= 0) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    job()
      .catch((err: Error) => app.log.warn({ err: err.message }, failure))
      .finally(() => (running = false));
  }, ms);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
