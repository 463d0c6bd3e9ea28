/**
 * The county's geography, fetched once: outline, townships, grids and key locations.
 * Each piece retries on its own until it arrives, so one slow request doesn't hold up the rest.
 */
import type { CountyResponse, GridsResponse, LocationsResponse, TownshipsResponse } from '@lianfang/server/api';
import { getJson } from './api';
import { preloadGlyphs, type LabelWeight } from './map/fonts';

const RETRY_MS = 5_000;

export class GeoData {
  county = $state.raw<CountyResponse | null>(null);
  townships = $state.raw<TownshipsResponse | null>(null);
  grids = $state.raw<GridsResponse | null>(null);
  locations = $state.raw<LocationsResponse | null>(null);
  /** Set while some piece is failing, cleared when all have arrived. */
  failing = $state(false);
  #stopped = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();

  start(): () => void {
    this.#stopped = false;
    // Label weights as in the layer styles (map/style/): township names bold, grid and location names regular.
    void this.#fetch<CountyResponse>('/api/geo/county', () => [], 400, (d) => (this.county = d));
    void this.#fetch<TownshipsResponse>(
      '/api/geo/townships',
      (d) => d.features.map((f) => f.properties.name),
      700,
      (d) => (this.townships = d),
    );
    void this.#fetch<GridsResponse>(
      '/api/geo/grids',
      (d) => d.features.map((f) => f.properties.name),
      400,
      (d) => (this.grids = d),
    );
    void this.#fetch<LocationsResponse>(
      '/api/geo/locations',
      (d) => d.features.map((f) => f.properties.name),
      400,
      (d) => (this.locations = d),
    );
    return () => {
      this.#stopped = true;
      for (const timer of this.#timers) clearTimeout(timer);
    };
  }

  get complete(): boolean {
    return Boolean(this.county && this.townships && this.grids && this.locations);
  }

  async #fetch<T>(url: string, labels: (data: T) => string[], weight: LabelWeight, assign: (data: T) => void): Promise<void> {
    try {
      const data = await getJson<T>(url);
      // The names become map labels: load their font files before the layer draws them.
      await preloadGlyphs(labels(data), weight);
      if (this.#stopped) return;
      assign(data);
      if (this.complete) this.failing = false;
    } catch (error) {
      if (this.#stopped) return;
      console.warn(`${url} failed; retrying`, error);
      this.failing = true;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.#fetch(url, labels, weight, assign);
      }, RETRY_MS);
      this.#timers.add(timer);
    }
  }
}
