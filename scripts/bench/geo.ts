/**
 * Benchmarks of the geo hot paths on the demo county: index builds, point → grid and point →
 * nearby key locations against naive loops, the generator, and validating a 100,000-feature import.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { createGridIndex, createLocationIndex, createRandom, distanceMetres, generateDemoCounty, validateGrids, validateLocations, parseLocationsCsv } from '../../geo/src/index.ts';
import { distanceToPolygon } from '../../geo/src/distanceToPolygon.ts';
import { flattenPolygon, locatePoint, OUTSIDE } from '../../geo/src/pointInPolygon.ts';
import { measure, report } from './harness.ts';

export function run(): void {
  console.log(`geo benchmarks — node ${process.version}, ${new Date().toISOString()}`);

  // Generator: the first call is what a server start pays (cold JIT), then warm calls.
  let demo!: ReturnType<typeof generateDemoCounty>;
  measure('generateDemoCounty, first call (cold)', () => (demo = generateDemoCounty()), { iterations: 1, warmup: 0, target: 2_000_000 });
  measure('generateDemoCounty', () => (demo = generateDemoCounty()), { iterations: 5, warmup: 0, target: 2_000_000 });

  measure('createGridIndex (1,855 grids)', () => createGridIndex(demo.grids), { iterations: 30, warmup: 5, target: 200_000 });
  measure('createLocationIndex (5,000 locations)', () => createLocationIndex(demo.locations), { iterations: 30, warmup: 5, target: 200_000 });
  const grids = createGridIndex(demo.grids);
  const locations = createLocationIndex(demo.locations);

  // Probe points: positions inside the county, as patrols report them.
  const random = createRandom(42);
  const n = 10_000;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; ) {
    const x = random.between(118.5, 119.1);
    const y = random.between(33.8, 34.5);
    if (grids.gridAt(x, y)) [xs[i], ys[i++]] = [x, y];
  }
  const flat = demo.grids.map((g) => flattenPolygon(g.geometry));
  measure('point→grid: naive loop, every grid (bbox + PIP)', (i) => {
    const x = xs[i % n]!;
    const y = ys[i % n]!;
    for (let g = 0; g < flat.length; g++) if (locatePoint(x, y, flat[g]!) !== OUTSIDE) return g;
    return -1;
  }, { iterations: 5_000, batch: 5 });
  measure('point→grid: naive loop, every grid (turf PIP)', (i) => demo.grids.find((g) => booleanPointInPolygon([xs[i % n]!, ys[i % n]!], g.geometry)), { iterations: 500 });
  measure('point→grid: gridAt', (i) => grids.gridAt(xs[i % n]!, ys[i % n]!), {
    iterations: 200_000,
    batch: 20,
    target: 5,
    baseline: 'point→grid: naive loop, every grid (bbox + PIP)',
  });

  // Near-location probes: half next to a key location (a patrol checking in), half anywhere.
  const nx = new Float64Array(n);
  const ny = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i % 2) [nx[i], ny[i]] = [xs[i]!, ys[i]!];
    else {
      const l = demo.locations[random.int(0, demo.locations.length - 1)]!;
      const [x, y] = l.geometry.type === 'Point' ? l.geometry.coordinates : l.geometry.coordinates[0]![0]!;
      [nx[i], ny[i]] = [x! + random.between(-0.002, 0.002), y! + random.between(-0.002, 0.002)];
    }
  }
  const shapes = demo.locations.map((l) => (l.geometry.type === 'Polygon' ? flattenPolygon(l.geometry) : undefined));
  measure('point→nearby locations: naive loop, all 5,000', (i) => {
    const x = nx[i % n]!;
    const y = ny[i % n]!;
    const found: Array<{ id: string; d: number }> = [];
    for (let j = 0; j < demo.locations.length; j++) {
      const l = demo.locations[j]!;
      const shape = shapes[j];
      const d = shape ? distanceToPolygon(x, y, shape) : distanceMetres(x, y, l.geometry.coordinates[0] as number, l.geometry.coordinates[1] as number);
      if (d <= l.radius + 10) found.push({ id: l.id, d });
    }
    return found.sort((a, b) => a.d - b.d);
  }, { iterations: 2_000 });
  measure('point→nearby locations: near (+10 m)', (i) => locations.near(nx[i % n]!, ny[i % n]!, { extraMetres: 10 }), {
    iterations: 200_000,
    batch: 20,
    target: 10,
    baseline: 'point→nearby locations: naive loop, all 5,000',
  });
  measure('point→5 nearest locations: nearest', (i) => locations.nearest(nx[i % n]!, ny[i % n]!, 5), { iterations: 50_000, batch: 10 });
  report('Indexes and generator (times per call)');

  // A 100,000-feature import: 80 % points, 20 % small polygons, spread over the county.
  const features = Array.from({ length: 100_000 }, (_, i) => {
    const x = random.between(118.55, 119.05);
    const y = random.between(33.85, 34.45);
    const s = 0.001;
    const geometry = i % 5 === 0
      ? { type: 'Polygon', coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x + s / 2, y + 1.5 * s], [x, y + s], [x, y]]] }
      : { type: 'Point', coordinates: [x, y] };
    return { type: 'Feature', properties: { id: `L${i}`, name: `地点${i}`, category: 'residential', priority: 2, radius: 80 }, geometry };
  });
  const collection = { type: 'FeatureCollection', features };
  const csv = ['id,name,category,lon,lat,priority,radius', ...features.map((f, i) => `L${i},"地点${i}, 东",market,${118.6 + (i % 1000) / 2000},${33.9 + i / 200_000},1,60`)].join('\n');
  const gridCollection = { type: 'FeatureCollection', features: demo.grids.map((g) => ({ type: 'Feature', properties: { id: g.id, name: g.name, township: g.townshipId }, geometry: g.geometry })) };
  measure('validateLocations, 100,000 features', () => {
    const result = validateLocations(collection);
    if (!result.ok) throw new Error(`benchmark input should be valid: ${result.errors[0]?.reason}`);
    return result;
  }, { iterations: 3, warmup: 1 });
  measure('parseLocationsCsv, 100,000 rows', () => parseLocationsCsv(csv), { iterations: 3, warmup: 1 });
  measure('validateGrids, the 1,855 demo grids', () => validateGrids(gridCollection), { iterations: 3, warmup: 1 });
  report('Import validation (times per whole file)');
}
