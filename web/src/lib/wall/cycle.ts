/**
 * The wall's slow cycle (巡屏): the county, then each township with something open (locations
 * uncovered now, incidents not yet resolved), the busiest first, one view per period, and round
 * again. What is open is read afresh at each step, so a township that has settled drops out and
 * a new trouble spot joins the next round.
 */
import type { WallFigures } from '@lianfang/server/api';

export interface Stop {
  /** A township's id, or null for the whole scope (the county, or the display's townships). */
  townshipId: string | null;
  uncovered: number;
  open: number;
}

/** The townships of the figures with something open, busiest first (ties by id, so the order holds still). */
export function townshipsWithSomethingOpen(figures: Pick<WallFigures, 'coverage'>, openIncidentTownships: Iterable<string | null>): Stop[] {
  const inScope = new Set(figures.coverage.townships.map((t) => t.id));
  const stops = new Map<string, Stop>();
  for (const t of figures.coverage.townships) if (t.uncovered > 0) stops.set(t.id, { townshipId: t.id, uncovered: t.uncovered, open: 0 });
  for (const id of openIncidentTownships) {
    if (!id || !inScope.has(id)) continue;
    const stop = stops.get(id) ?? { townshipId: id, uncovered: 0, open: 0 };
    stop.open += 1;
    stops.set(id, stop);
  }
  return [...stops.values()].sort((a, b) => b.uncovered + b.open - (a.uncovered + a.open) || a.townshipId!.localeCompare(b.townshipId!));
}

/**
 * The stop after `current` in the round [whole scope, ...stops]: the township that follows the
 * current one in this round's order, or the whole scope once the round is done (or the current
 * township has dropped out and none follows it).
 */
export function nextStop(current: string | null, stops: readonly Stop[]): Stop {
  const whole: Stop = { townshipId: null, uncovered: 0, open: 0 };
  if (stops.length === 0) return whole;
  if (current === null) return stops[0]!;
  const at = stops.findIndex((s) => s.townshipId === current);
  return at >= 0 && at + 1 < stops.length ? stops[at + 1]! : whole;
}
