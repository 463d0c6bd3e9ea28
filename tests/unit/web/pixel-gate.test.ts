import { describe, expect, it } from 'vitest';
import { pixelKey, PixelGate, type Drawn } from '../../../web/src/lib/map/pixel-gate';

const team = (id: string, lon: number, lat: number, look = 'patrolling'): Drawn => ({ id, lon, lat, look });
/** Metres east as degrees of longitude near Shuyang (34° N). */
const east = (m: number) => m / (111_320 * Math.cos((34 * Math.PI) / 180));

describe('redrawing moving teams only when the map would look different', () => {
  it('lets the first picture through, then holds a patrol that walked 5 m at county zoom', () => {
    const gate = new PixelGate();
    expect(gate.changed([team('A', 118.8, 34.1)], 9.5)).toBe(true);
    expect(gate.changed([team('A', 118.8 + east(5), 34.1)], 9.5)).toBe(false);
  });

  it('redraws when the same 5 m is visible at street zoom', () => {
    const gate = new PixelGate();
    gate.changed([team('A', 118.8, 34.1)], 17);
    expect(gate.changed([team('A', 118.8 + east(5), 34.1)], 17)).toBe(true);
  });

  it('redraws at county zoom once the team has moved a few hundred metres', () => {
    const gate = new PixelGate();
    gate.changed([team('A', 118.8, 34.1)], 9.5);
    expect(gate.changed([team('A', 118.8 + east(400), 34.1)], 9.5)).toBe(true);
  });

  it('redraws when a team changes status, appears or goes, without moving', () => {
    const gate = new PixelGate();
    gate.changed([team('A', 118.8, 34.1), team('B', 118.7, 34.0)], 9.5);
    expect(gate.changed([team('A', 118.8, 34.1, 'responding'), team('B', 118.7, 34.0)], 9.5)).toBe(true);
    expect(gate.changed([team('A', 118.8, 34.1, 'responding')], 9.5)).toBe(true);
    expect(gate.changed([team('A', 118.8, 34.1, 'responding'), team('C', 118.7, 34.0)], 9.5)).toBe(true);
    expect(gate.changed([team('A', 118.8, 34.1, 'responding'), team('C', 118.7, 34.0)], 9.5)).toBe(false);
  });

  it('remembers what it let through, so slow drift is drawn once it adds up to a pixel', () => {
    const gate = new PixelGate();
    gate.changed([team('A', 118.8, 34.1)], 12);
    let drawn = 0;
    for (let step = 1; step <= 40; step++) if (gate.changed([team('A', 118.8 + east(step * 5), 34.1)], 12)) drawn++;
    // 200 m at zoom 12 (about 16 m a pixel): some redraws, far fewer than the 40 fixes.
    expect(drawn).toBeGreaterThan(3);
    expect(drawn).toBeLessThan(20);
  });

  it('lets everything through when the map is drawn in other coordinates (a GCJ-02 basemap)', () => {
    const gate = new PixelGate();
    gate.changed([team('A', 118.8, 34.1)], 9.5, 'wgs84');
    expect(gate.changed([team('A', 118.8, 34.1)], 9.5, 'wgs84')).toBe(false);
    expect(gate.changed([team('A', 118.8, 34.1)], 9.5, 'gcj02')).toBe(true);
  });

  it('puts a point on the pixel grid of Web Mercator (the equator and the antimeridian)', () => {
    expect(pixelKey(0, 0, 0)).toBe('256,256');
    expect(pixelKey(-180, 0, 1)).toBe('0,512');
  });
});
