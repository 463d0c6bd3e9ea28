/** What a key location's check-in poster needs: the location's details and its current check-in code (the QR's content). */
import type { CheckInCodeResponse, LocationDetail, LocationsResponse } from '@lianfang/server/api';
import { getJson } from '../api';

export interface PosterData {
  location: LocationDetail;
  code: CheckInCodeResponse;
}

export async function loadPoster(locationId: string): Promise<PosterData> {
  const id = encodeURIComponent(locationId);
  const [location, code] = await Promise.all([getJson<LocationDetail>(`/api/geo/locations/${id}`), getJson<CheckInCodeResponse>(`/api/checkins/codes/${id}`)]);
  return { location, code };
}

/** The key locations of a grid or a township, in the map's order. */
export async function locationsIn(area: { grid?: string; township?: string }): Promise<string[]> {
  const all = await getJson<LocationsResponse>('/api/geo/locations');
  return all.features
    .map((f) => f.properties)
    .filter((p) => (area.grid ? p.gridId === area.grid : p.townshipId === area.township))
    .map((p) => p.id);
}

/** Runs `work` over `items`, at most `limit` at a time, resolving results in the items' order. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, progress?: (done: number) => void): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
      progress?.(++done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
