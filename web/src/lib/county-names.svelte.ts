/**
 * Lookups the command map's panels need from the county's geography: names by id, each
 * township's key locations, and the "township · grid" place line of an alert or an incident.
 * Derived once per geography load, not per card.
 */
import type { AlertView, IncidentView } from '@lianfang/server/api';
import type { GeoData } from './geo-data.svelte';
import { isTownshipAlert, type KeyPlace } from './live/alerts';

export class CountyNames {
  readonly #geo: GeoData;
  /** Each key location's township. */
  readonly townshipOf = $derived.by(() => new Map((this.#geo.locations?.features ?? []).map((f) => [f.properties.id, f.properties.townshipId])));
  readonly townships = $derived.by(() => new Map((this.#geo.townships?.features ?? []).map((f) => [f.properties.id, f.properties.name])));
  readonly locations = $derived.by(() => new Map((this.#geo.locations?.features ?? []).map((f) => [f.properties.id, f.properties.name])));
  readonly grids = $derived.by(() => new Map((this.#geo.grids?.features ?? []).map((f) => [f.properties.id, f.properties.name])));
  /** Townships for the incident form's picker. */
  readonly townshipList = $derived.by(() => (this.#geo.townships?.features ?? []).map((f) => ({ id: f.properties.id, name: f.properties.name })));
  /** Each township's key locations, for its coverage alerts' lists. */
  readonly placesByTownship = $derived.by(() => {
    const byTownship = new Map<string, KeyPlace[]>();
    for (const { properties, geometry } of this.#geo.locations?.features ?? []) {
      if (!properties.townshipId) continue;
      const [lon, lat] = geometry.coordinates as [number, number];
      let places = byTownship.get(properties.townshipId);
      if (!places) byTownship.set(properties.townshipId, (places = []));
      places.push({ id: properties.id, name: properties.name, lon, lat });
    }
    return byTownship;
  });

  constructor(geo: GeoData) {
    this.#geo = geo;
  }

  locationName = (id: string): string => this.locations.get(id) ?? id;
  gridName = (id: string): string => this.grids.get(id) ?? id;

  /** An alert's place line; a township's coverage alert is titled with the township already. */
  alertPlace = (alert: AlertView): string => {
    const township = alert.townshipId && !isTownshipAlert(alert) ? this.townships.get(alert.townshipId) : null;
    return this.#join(township, alert.gridId);
  };

  incidentPlace = (incident: IncidentView): string => {
    const township = incident.townshipId ? this.townships.get(incident.townshipId) : null;
    return this.#join(township, incident.gridId);
  };

  #join(township: string | null | undefined, gridId: string | null): string {
    return [township, gridId ? this.grids.get(gridId) : null].filter(Boolean).join(' · ');
  }
}
