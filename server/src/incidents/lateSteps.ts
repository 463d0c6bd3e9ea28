/**
 * Late steps: an incident whose next step is overdue raises an `incident_late` alert (at most
 * one open per incident), resolved when the incident moves on. The sweep also forgets incidents
 * resolved longer ago than the retention. Safe in every process at once: raising is idempotent
 * per incident.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { AlertsService } from '../alerts/service.ts';
import type { IncidentStore, StoredIncident } from './store.ts';

/** How often the sweep looks for late alerts left open by a process that died mid-step (app-clock ms). */
const RECONCILE_MS = 30_000;
/** Due incidents read per round of the sweep. */
const DUE_BATCH = 200;

export interface LateStepsDeps {
  store: IncidentStore;
  alerts: AlertsService;
  log: FastifyBaseLogger;
  retentionMs: number;
}

export function createLateSteps(deps: LateStepsDeps) {
  const { store, alerts } = deps;
  let lastReconcile = -Infinity;

  /** Resolves late alerts whose incident moved on (or is gone) but whose resolve never ran. */
  async function reconcile(now: number): Promise<void> {
    const ids = await alerts.openSubjects('incident_late');
    if (ids.length === 0) return;
    const byId = new Map((await store.getMany(ids)).map((s) => [s.id, s]));
    for (const id of ids) {
      const s = byId.get(id);
      if (s?.due && s.due.at <= now) {
        const open = await alerts.openOf('incident_late', id);
        if (!open || open.deadline === s.due.at) continue;
      }
      await alerts.resolveSubject('incident_late', id, s ? 'step_done' : 'incident_gone', undefined, now);
    }
  }

  /** Raises the late alert of one due incident, if it is still due; answers whether one was created. */
  async function raiseIfLate(id: string, now: number): Promise<boolean> {
    const s = await store.get(id);
    if (!s?.due || s.due.at > now || s.state === 'resolved') return false;
    const open = await alerts.openOf('incident_late', id);
    // An alert left open for an earlier step (a process died before resolving it).
    if (open && open.deadline !== s.due.at) await alerts.resolveSubject('incident_late', id, 'step_done', undefined, now);
    const fields = {
      lon: s.lon,
      lat: s.lat,
      at: s.due.at,
      deadline: s.due.at,
      note: `late step: ${s.due.action}`,
      step: s.due.action,
      title: (s.address ?? s.description).slice(0, 40),
      townshipId: s.townshipId ?? undefined,
      gridId: s.gridId ?? undefined,
      teamId: s.teamId ?? undefined,
    };
    return (await alerts.raise('incident_late', id, fields, true, now)).created;
  }

  return {
    /**
     * Raises an `incident_late` alert for every incident whose next step is overdue, and forgets
     * incidents resolved longer ago than the retention. Answers how many alerts were raised.
     */
    async sweep(now: number): Promise<number> {
      let raised = 0;
      for (;;) {
        const due = await store.dueBy(now, DUE_BATCH);
        for (const { id, at } of due) {
          if (await raiseIfLate(id, now)) raised++;
          await store.dropDue(id, at);
        }
        if (due.length < DUE_BATCH) break;
      }
      if (now - lastReconcile >= RECONCILE_MS || now < lastReconcile) {
        lastReconcile = now;
        await reconcile(now);
      }
      await store.forget(now - deps.retentionMs);
      return raised;
    },

    /** Resolves the incident's late alert when its next step changed; never fails the step. */
    async settle(before: StoredIncident, after: StoredIncident): Promise<void> {
      if (before.due?.action === after.due?.action && before.due?.at === after.due?.at) return;
      try {
        await alerts.resolveSubject('incident_late', after.id, 'step_done', before.due ? `${before.due.action} done` : undefined);
      } catch (err) {
        deps.log.warn({ err: (err as Error).message, incident: after.id }, 'incidents: late alert not resolved yet; the sweep will');
      }
    },
  };
}
