/**
 * What the server says about this deployment (GET /api/config): the basemap, the low-battery
 * threshold. Retried until it
 * answers; the map works without a basemap meanwhile.
 */
import type { MapConfigResponse } from '@lianfang/server/api';
import { getJson } from '../api';
import { setLowBattery } from '../battery.svelte';
import type { BasemapConfig } from './basemap';

const RETRY_MS = 10_000;

export class MapConfig {
  /** Null until the server answers. */
  value = $state.raw<MapConfigResponse | null>(null);

  get basemap(): BasemapConfig | null {
    return this.value?.basemap ?? null;
  }

  /** The basemap's credit line ('' when there is no basemap). */
  get attribution(): string {
    const basemap = this.basemap;
    return basemap && basemap.kind !== 'none' ? basemap.attribution : '';
  }

  start(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const load = () =>
      getJson<MapConfigResponse>('/api/config').then(
        (config) => {
          if (stopped) return;
          this.value = config;
          setLowBattery(config.batteryLowPercent);
        },
        (error) => {
          console.warn('Map configuration failed; retrying', error);
          if (!stopped) timer = setTimeout(load, RETRY_MS);
        },
      );
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }
}
