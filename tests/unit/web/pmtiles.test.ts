import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  HEADER_BYTES,
  PmtilesArchive,
  findEntry,
  parseDirectory,
  parseHeader,
  parsePmtilesUrl,
  pmtilesProtocol,
  zxyToTileId,
  type Entry,
} from '../../../web/src/lib/map/pmtiles.ts';

/* ---------- A tiny PMTiles v3 writer, just enough to read back ---------- */

function varints(values: number[]): number[] {
  const out: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
  }
  return out;
}

function directory(entries: Entry[]): Uint8Array {
  const ids = entries.map((e, i) => e.tileId - (i ? entries[i - 1]!.tileId : 0));
  const offsets = entries.map((e, i) => {
    const p = entries[i - 1];
    return p && e.offset === p.offset + p.length ? 0 : e.offset + 1;
  });
  return Uint8Array.from(varints([entries.length, ...ids, ...entries.map((e) => e.runLength), ...entries.map((e) => e.length), ...offsets]));
}

/** Tiles 0/0/0 and 1/0/0…1/1/0 (one blob shared by a run of two), root → leaf for zoom 1, gzip directories. */
function archive(): { bytes: ArrayBuffer; tiles: Record<string, string> } {
  const blobs = ['tile-0', 'tile-1a', 'tile-1b'].map((s) => new TextEncoder().encode(s));
  const data = new Uint8Array(blobs.reduce((n, b) => n + b.length, 0));
  let at = 0;
  const placed = blobs.map((b) => {
    data.set(b, at);
    const entry = { offset: at, length: b.length };
    at += b.length;
    return entry;
  });
  // Zoom 1 ids: 1 (0/0), 2 (0/1), 3 (1/1), 4 (1/0). A run of two from id 1 shares 'tile-1a'.
  const leaf = gzipSync(directory([
    { tileId: 1, runLength: 2, ...placed[1]! },
    { tileId: 3, runLength: 1, ...placed[2]! },
  ]));
  const root = gzipSync(directory([
    { tileId: 0, runLength: 1, ...placed[0]! },
    { tileId: 1, runLength: 0, offset: 0, length: leaf.length },
  ]));
  const rootOffset = HEADER_BYTES;
  const leafOffset = rootOffset + root.length;
  const dataOffset = leafOffset + leaf.length;
  const file = new Uint8Array(dataOffset + data.length);
  const view = new DataView(file.buffer);
  file.set(new TextEncoder().encode('PMTiles'), 0);
  view.setUint8(7, 3);
  const u64 = (at: number, v: number) => view.setUint32(at, v, true);
  u64(8, rootOffset);
  u64(16, root.length);
  u64(40, leafOffset);
  u64(48, leaf.length);
  u64(56, dataOffset);
  u64(64, data.length);
  view.setUint8(97, 2); // directories gzip
  view.setUint8(98, 1); // tiles uncompressed
  view.setUint8(99, 2); // png
  view.setUint8(100, 0);
  view.setUint8(101, 1);
  view.setInt32(102, 1187000000, true);
  view.setInt32(106, 339000000, true);
  view.setInt32(110, 1192000000, true);
  view.setInt32(114, 345000000, true);
  file.set(root, rootOffset);
  file.set(leaf, leafOffset);
  file.set(data, dataOffset);
  return { bytes: file.buffer, tiles: { '0/0/0': 'tile-0', '1/0/0': 'tile-1a', '1/0/1': 'tile-1a', '1/1/1': 'tile-1b' } };
}

const inMemory = (bytes: ArrayBuffer) => async (offset: number, length: number) => bytes.slice(offset, offset + length);
const text = (b: ArrayBuffer | null) => (b ? new TextDecoder().decode(b) : null);

describe(zxyToTileId.name, () => {
  it('numbers tiles zoom by zoom along the Hilbert curve, as the PMTiles spec does', () => {
    expect([zxyToTileId(0, 0, 0), zxyToTileId(1, 0, 0), zxyToTileId(1, 0, 1), zxyToTileId(1, 1, 1), zxyToTileId(1, 1, 0), zxyToTileId(2, 0, 0)]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(zxyToTileId(12, 3423, 1763)).toBe(19078479);
  });

  it('refuses a tile outside its zoom', () => {
    expect(() => zxyToTileId(1, 2, 0)).toThrow(/outside/);
  });
});

describe(parseDirectory.name, () => {
  it('reads delta-coded ids, run lengths, lengths and offsets (0 meaning right after the previous)', () => {
    const entries: Entry[] = [
      { tileId: 5, runLength: 1, offset: 0, length: 300 },
      { tileId: 6, runLength: 3, offset: 300, length: 20 },
      { tileId: 200, runLength: 0, offset: 9000, length: 70_000 },
    ];
    expect(parseDirectory(directory(entries))).toEqual(entries);
  });
});

describe(findEntry.name, () => {
  const entries: Entry[] = [
    { tileId: 5, runLength: 2, offset: 0, length: 1 },
    { tileId: 10, runLength: 0, offset: 0, length: 1 },
  ];
  it('finds a tile inside a run, a leaf for ids after it, nothing in a gap', () => {
    expect(findEntry(entries, 6)?.tileId).toBe(5);
    expect(findEntry(entries, 7)).toBeNull();
    expect(findEntry(entries, 4)).toBeNull();
    expect(findEntry(entries, 99)?.tileId).toBe(10);
  });
});

describe(PmtilesArchive.name, () => {
  it('reads the header and tiles through the root and a gzip leaf directory', async () => {
    const { bytes, tiles } = archive();
    const header = parseHeader(bytes);
    expect(header).toMatchObject({ tileType: 2, minZoom: 0, maxZoom: 1, bounds: [118.7, 33.9, 119.2, 34.5] });
    const reader = new PmtilesArchive(inMemory(bytes));
    for (const [zxy, expected] of Object.entries(tiles)) {
      const [z, x, y] = zxy.split('/').map(Number) as [number, number, number];
      expect(text(await reader.tile(z, x, y))).toBe(expected);
    }
    expect(await reader.tile(1, 1, 0)).toBeNull();
    expect(await reader.tile(2, 0, 0)).toBeNull();
  });

  it('refuses a file that is not PMTiles v3', () => {
    expect(() => parseHeader(new ArrayBuffer(200))).toThrow(/not a PMTiles/);
  });
});

describe('the pmtiles:// protocol', () => {
  it('answers a TileJSON for the archive and the bytes of a tile', async () => {
    const { bytes } = archive();
    const protocol = pmtilesProtocol(() => inMemory(bytes));
    const abort = new AbortController();
    const tilejson = (await protocol({ url: 'pmtiles:///basemap/shuyang.pmtiles' }, abort)).data as { tiles: string[]; maxzoom: number };
    expect(tilejson.tiles).toEqual(['pmtiles:///basemap/shuyang.pmtiles/{z}/{x}/{y}']);
    expect(tilejson.maxzoom).toBe(1);
    expect(text((await protocol({ url: 'pmtiles:///basemap/shuyang.pmtiles/1/1/1' }, abort)).data as ArrayBuffer)).toBe('tile-1b');
    expect(parsePmtilesUrl('pmtiles://https://host/a.pmtiles/3/2/1')).toEqual({ archive: 'https://host/a.pmtiles', tile: [3, 2, 1] });
  });
});
