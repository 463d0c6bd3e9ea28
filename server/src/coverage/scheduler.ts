/**
 * Runs the coverage engine and the alert sweeps on a timer in every server process. That is
 * safe because each transition is one atomic Redis script (a second process finds nothing left
 * to do); only the visit reconciliation, which reads every location's check-in stream, takes a
 * lease so one process does it per minute.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from '../plugins/redis.ts';
import type { Keys } from '../keys.ts';
import type { Clock } from '../clock.ts';
import type { AlertsService } from '../alerts/service.ts';
import type { CoverageEngine } from './engine.ts';

export interface SchedulerDeps {
  redis: Redis;
  keys: Keys;
  clock: Clock;
  log: FastifyBaseLogger;
  engine: CoverageEngine;
  alerts: AlertsService;
  tickMs: number;
  /** Team alerts (offline, outside grids) are swept this often (default 5 s). */
  teamSweepMs?: number;
  /** Check-in streams are re-read for missed visits this often (default 60 s). */
  reconcileMs?: number;
}

export function createScheduler(deps: SchedulerDeps) {
  const me = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  const teamSweepMs = deps.teamSweepMs ?? 5_000;
  const reconcileMs = deps.reconcileMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let lastSweep = -Infinity;
  let lastReconcile = -Infinity;

  async function holdReconcileLease(): Promise<boolean> {
    return (await deps.redis.set(deps.keys.covReconcile, me, { NX: true, PX: Math.max(1000, reconcileMs - 1000) })) === 'OK';
  }

  /** One round at `now`: missed visits (a minute apart), the coverage tick, escalations, team alerts. */
  async function step(now: number): Promise<void> {
    if (now - lastReconcile >= reconcileMs) {
      lastReconcile = now;
      if (await holdReconcileLease()) {
        const missed = await deps.engine.reconcileVisits(now);
        if (missed > 0) deps.log.info({ missed }, 'coverage: recorded visits found only in the check-in streams');
      }
    }
    await deps.engine.tick(now);
    await deps.alerts.escalate(now);
    if (now - lastSweep >= teamSweepMs) {
      lastSweep = now;
      await deps.alerts.sweepTeams(now);
    }
  }

  async function loop(): Promise<void> {
    if (stopped) return;
    try {
      if (deps.redis.isReady) await step(deps.clock.now());
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'coverage tick failed');
    }
    if (!stopped) {
      timer = setTimeout(() => void loop(), deps.tickMs);
      timer.unref();
    }
  }

  return {
    step,
    /** Starts the loop; the first round runs now (catching up on what passed while no process ran). */
    start(): void {
      if (!stopped || deps.tickMs <= 0) return;
      stopped = false;
      void loop();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
