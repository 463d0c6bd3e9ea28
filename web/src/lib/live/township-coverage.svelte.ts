/**
 * Live coverage seen by township, for the alert panel and the township labels: counts per township
 * and for the county, the townships with most uncovered locations, and the locations a township's
 * coverage alert is about now.
 */
import type { AlertView } from '@lianfang/server/api';
import type { CountyNames } from '../county-names.svelte';
import { alertLocations, isTownshipAlert, type AlertLocations } from './alerts';
import { countByTownship, mostUncovered } from './coverage';
import type { LiveCoverage } from './coverage.svelte';

export class TownshipCoverage {
  readonly #coverage: LiveCoverage;
  readonly #names: CountyNames;
  readonly counts = $derived.by(() => countByTownship(this.#coverage.all(), this.#names.townshipOf));
  readonly uncovered = $derived(new Map([...this.counts.townships].map(([id, c]) => [id, c.uncovered])));
  readonly worst = $derived.by(() => mostUncovered(this.uncovered, (id) => this.#names.townships.get(id) ?? id));

  constructor(coverage: LiveCoverage, names: CountyNames) {
    this.#coverage = coverage;
    this.#names = names;
  }

  /** Which of the township's locations a coverage alert is about now, most urgent first; null for other alerts. */
  locationsOf = (alert: AlertView): AlertLocations | null => {
    if (!isTownshipAlert(alert)) return null;
    return alertLocations(alert.kind, this.#names.placesByTownship.get(alert.townshipId) ?? [], this.#coverage.all());
  };
}
