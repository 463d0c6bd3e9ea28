// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LiveAlerts } from '$lib/live/alerts.svelte';
import type { LiveAssignments } from '$lib/live/assignments.svelte';
import type { LiveIncidents } from '$lib/live/incidents.svelte';
import type { LiveCoverage } from '$lib/live/coverage.svelte';
import type { TeamsState } from '$lib/live/teams.svelte';
import type { TrackReplay } from '$lib/replay/replay.svelte';
import type { EventReplayState } from '$lib/events/replay.svelte';

declare global {
  namespace App {}

  interface Window {
    /**
     * Test hook, read by the browser tests in tests/e2e: the MapLibre map and the live states.
     * Not an API: nothing in the app reads it.
     */
    __lianfang?: {
      map: MapLibreMap;
      teams: TeamsState;
      coverage: LiveCoverage;
      alerts: LiveAlerts;
      replay: TrackReplay;
      incidents: LiveIncidents;
      assignments: LiveAssignments;
      eventReplay?: EventReplayState;
    };
    /** The same for the wall (/wall), read by its browser test and `npm run bench -- wall`. */
    __lianfangWall?: {
      map: MapLibreMap;
      teams: TeamsState;
    };
  }
}

export {};
