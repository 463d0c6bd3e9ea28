import { describe, expect, it } from 'vitest';
import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { addLayerInOrder, buildBaseStyle } from '../../../web/src/lib/map/style/base.ts';
import {
  basemapLayer,
  countyLayers,
  gridLabelLayers,
  gridLayers,
  highlightLayers,
  townshipLabelLayers,
  townshipLayers,
  townshipUncoveredLayers,
} from '../../../web/src/lib/map/style/areas.ts';
import { alertFocusLayers, locationLayers } from '../../../web/src/lib/map/style/locations.ts';
import { replayLayers, teamLayers, teamTrailLayers } from '../../../web/src/lib/map/style/teams.ts';

const allLayers = (): LayerSpecification[] => [
  ...alertFocusLayers(),
  ...townshipUncoveredLayers(),
  ...teamLayers(),
  ...teamTrailLayers(),
  ...replayLayers(),
  ...locationLayers(),
  ...gridLabelLayers(),
  ...townshipLabelLayers(),
  ...gridLayers(),
  ...highlightLayers(),
  ...townshipLayers(),
  ...countyLayers(),
];

/** Just enough of a map to watch where layers are inserted. */
function fakeMap(): { map: MapLibreMap; order: string[] } {
  const order: string[] = [];
  const map = {
    getLayer: (id: string) => (order.includes(id) ? { id } : undefined),
    addLayer: (layer: LayerSpecification, before?: string) => {
      order.splice(before ? order.indexOf(before) : order.length, 0, layer.id);
    },
  } as unknown as MapLibreMap;
  return { map, order };
}

describe(buildBaseStyle.name, () => {
  it('asks no host for anything: no glyphs, no sprite, no tiles unless a raster basemap is configured', () => {
    const style = buildBaseStyle();
    expect(style).not.toHaveProperty('glyphs');
    expect(style).not.toHaveProperty('sprite');
    expect(JSON.stringify(style)).not.toMatch(/https?:/);
    expect(style.sources).toEqual({});
  });

  it('draws a configured raster basemap under everything else', () => {
    const style = buildBaseStyle({ raster: { tiles: ['/tiles/{z}/{x}/{y}.png'], opacity: 0.5 } });
    expect(style.sources['basemap-raster']).toMatchObject({ type: 'raster', tiles: ['/tiles/{z}/{x}/{y}.png'] });
    expect(style.layers.map((l) => l.id)).toEqual(['background', 'basemap-raster']);
  });
});

describe(addLayerInOrder.name, () => {
  it('stacks areas under points under labels whatever order the layer components mount in', () => {
    const { map, order } = fakeMap();
    for (const layer of allLayers()) addLayerInOrder(map, layer);
    const rank = (id: string) => order.indexOf(id);
    expect(rank('county-land')).toBe(0);
    addLayerInOrder(map, basemapLayer());
    expect(rank('basemap-raster')).toBe(0);
    expect(rank('township-fill')).toBeLessThan(rank('grid-line'));
    expect(rank('grid-line')).toBeLessThan(rank('county-line'));
    expect(rank('county-line')).toBeLessThan(rank('locations'));
    expect(rank('locations')).toBeLessThan(rank('teams'));
    expect(rank('teams')).toBeLessThan(rank('township-label'));
    expect(rank('location-halo')).toBeLessThan(rank('locations'));
    expect(rank('township-label')).toBeLessThan(rank('township-uncovered'));
    expect(order.at(-1)).toBe('team-label');
    expect(rank('team-trail')).toBeLessThan(rank('teams'));
    expect(rank('replay-position')).toBeGreaterThan(rank('teams'));
  });

  it('refuses a layer that has no place in the stack', () => {
    const { map } = fakeMap();
    expect(() => addLayerInOrder(map, { id: 'stray', type: 'background' })).toThrow(/stray/);
  });
});

describe('label layers', () => {
  it('name their fonts after the self-hosted family, so MapLibre draws them locally', () => {
    const fonts = allLayers()
      .filter((l) => l.type === 'symbol' && l.layout && 'text-font' in l.layout)
      .map((l) => (l.layout as { 'text-font': string[] })['text-font']);
    expect(fonts.length).toBeGreaterThan(0);
    for (const stack of fonts) expect(stack).toContain('Noto Sans SC');
  });
});
