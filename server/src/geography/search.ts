/**
 * Name search over townships, villages, grids and key locations: Chinese substring, full
 * pinyin, or pinyin initials ("sy" finds 沭阳). Exact and prefix matches rank first.
 */
import { pinyin } from 'pinyin-pro';
import type { Grid, Village } from '@lianfang/geo';
import type { SearchResult } from './schemas.ts';
import type { Geography, StoredTownship } from './store.ts';
import { bboxOf, locationPoint } from './shapes.ts';

interface Entry {
  result: SearchResult;
  name: string;
  full: string;
  initials: string;
  rank: number;
}

const KIND_RANK: Record<SearchResult['kind'], number> = { township: 0, village: 1, grid: 2, location: 3 };

function spell(name: string): { full: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' }) as string[];
  return {
    full: syllables.join('').toLowerCase().replace(/\s+/g, ''),
    initials: syllables.map((s) => s[0] ?? '').join('').toLowerCase(),
  };
}

function centre(b: [number, number, number, number]): [number, number] {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}

export function createSearchIndex(
  geo: Geography,
  lookups: { townshipById: Map<string, StoredTownship>; villageById: Map<string, Village>; gridById: Map<string, Grid> },
) {
  const entries: Entry[] = [];
  const add = (result: SearchResult) => entries.push({ result, name: result.name.toLowerCase(), ...spell(result.name), rank: KIND_RANK[result.kind] });

  for (const t of geo.townships) {
    const bbox = bboxOf(t.geometry);
    add({ kind: 'township', id: t.id, name: t.name, context: geo.county.name, lon: t.label[0], lat: t.label[1], bbox });
  }
  // A village's extent is the union of its grids'.
  const villageBox = new Map<string, [number, number, number, number]>();
  for (const g of geo.grids) {
    if (!g.villageId) continue;
    const b = bboxOf(g.geometry);
    const v = villageBox.get(g.villageId);
    villageBox.set(g.villageId, v ? [Math.min(v[0], b[0]), Math.min(v[1], b[1]), Math.max(v[2], b[2]), Math.max(v[3], b[3])] : b);
  }
  for (const v of geo.villages) {
    const bbox = villageBox.get(v.id);
    if (!bbox) continue;
    const [lon, lat] = centre(bbox);
    add({ kind: 'village', id: v.id, name: v.name, context: lookups.townshipById.get(v.townshipId)?.name ?? '', lon, lat, bbox });
  }
  for (const g of geo.grids) {
    const bbox = bboxOf(g.geometry);
    const [lon, lat] = centre(bbox);
    const village = g.villageId ? lookups.villageById.get(g.villageId)?.name : undefined;
    const township = lookups.townshipById.get(g.townshipId)?.name ?? '';
    add({ kind: 'grid', id: g.id, name: g.name, context: [township, village].filter(Boolean).join(' · '), lon, lat, bbox });
  }
  for (const l of geo.locations) {
    const [lon, lat] = locationPoint(l);
    const grid = l.gridId ? lookups.gridById.get(l.gridId) : undefined;
    const township = l.townshipId ? (lookups.townshipById.get(l.townshipId)?.name ?? '') : '';
    add({ kind: 'location', id: l.id, name: l.name, context: [township, grid?.name].filter(Boolean).join(' · '), lon, lat, bbox: null });
  }

  return {
    search(query: string, limit: number): SearchResult[] {
      const q = query.trim().toLowerCase().replace(/\s+/g, '');
      if (!q) return [];
      const scored: { entry: Entry; score: number }[] = [];
      for (const entry of entries) {
        let score = -1;
        if (entry.name === q) score = 0;
        else if (entry.name.startsWith(q)) score = 1;
        else if (entry.initials === q || entry.full === q) score = 2;
        else if (entry.initials.startsWith(q) || entry.full.startsWith(q)) score = 3;
        else if (entry.name.includes(q)) score = 4;
        else if (q.length >= 2 && (entry.full.includes(q) || entry.initials.includes(q))) score = 5;
        if (score >= 0) scored.push({ entry, score });
      }
      scored.sort(
        (a, b) => a.score - b.score || a.entry.rank - b.entry.rank || a.entry.name.length - b.entry.name.length || a.entry.result.id.localeCompare(b.entry.result.id),
      );
      return scored.slice(0, limit).map((s) => s.entry.result);
    },
  };
}

export type SearchIndex = ReturnType<typeof createSearchIndex>;
