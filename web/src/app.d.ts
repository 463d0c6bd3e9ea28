// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { TeamsState } from '$lib/live/teams.svelte';

declare global {
  namespace App {}

  interface Window {
    /**
     * Test hook, read by the browser tests in tests/e2e: the MapLibre map and the live teams state.
     * Not an API: nothing in the app reads it.
     */
    __lianfang?: { map: MapLibreMap; teams: TeamsState };
  }
}

export {};
