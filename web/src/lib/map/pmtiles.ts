/**
 * A raster basemap from one PMTiles v3 archive served by our own server (range requests), read
 * without the `pmtiles` package: the header, the directories (varint-encoded, gzip or
 * uncompressed) and the Hilbert tile ids, as the spec (github.com/protomaps/PMTiles, spec/v3)
 * lays them out. Registered with MapLibre as the `pmtiles://` protocol: `pmtiles://<url>` answers
 * a TileJSON, `pmtiles://<url>/{z}/{x}/{y}` a tile's bytes.
 */
import type { RequestParameters } from 'maplibre-gl';

export const PMTILES_PROTOCOL = 'pmtiles';

/** Tile types 2–5 are images MapLibre can draw as a raster source; 1 (vector) is not supported here. */
export const TILE_TYPES = { 1: 'mvt', 2: 'png', 3: 'jpg', 4: 'webp', 5: 'avif' } as const;
const COMPRESSION = { unknown: 0, none: 1, gzip: 2, brotli: 3, zstd: 4 } as const;

export interface PmtilesHeader {
  rootDirectoryOffset: number;
  rootDirectoryLength: number;
  metadataOffset: number;
  metadataLength: number;
  leafDirectoryOffset: number;
  leafDirectoryLength: number;
  tileDataOffset: number;
  tileDataLength: number;
  internalCompression: number;
  tileCompression: number;
  tileType: number;
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north], degrees. */
  bounds: [number, number, number, number];
  center: [number, number, number];
}

/** A directory entry: a run of `runLength` tiles from `tileId` sharing one blob, or (runLength 0) a leaf directory. */
export interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

export const HEADER_BYTES = 127;
/** The spec keeps the header and the root directory within the first 16 KiB. */
const FIRST_READ = 16_384;

function uint64(view: DataView, at: number): number {
  // Offsets and lengths stay far below 2^53.
  return view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true);
}

export function parseHeader(buffer: ArrayBuffer): PmtilesHeader {
  const view = new DataView(buffer);
  if (buffer.byteLength < HEADER_BYTES) throw new Error('PMTiles: file too short for a header');
  const magic = String.fromCharCode(...new Uint8Array(buffer, 0, 7));
  if (magic !== 'PMTiles') throw new Error('PMTiles: not a PMTiles file');
  const version = view.getUint8(7);
  if (version !== 3) throw new Error(`PMTiles: version ${version} is not supported (only 3)`);
  const e7 = (at: number) => view.getInt32(at, true) / 1e7;
  return {
    rootDirectoryOffset: uint64(view, 8),
    rootDirectoryLength: uint64(view, 16),
    metadataOffset: uint64(view, 24),
    metadataLength: uint64(view, 32),
    leafDirectoryOffset: uint64(view, 40),
    leafDirectoryLength: uint64(view, 48),
    tileDataOffset: uint64(view, 56),
    tileDataLength: uint64(view, 64),
    internalCompression: view.getUint8(97),
    tileCompression: view.getUint8(98),
    tileType: view.getUint8(99),
    minZoom: view.getUint8(100),
    maxZoom: view.getUint8(101),
    bounds: [e7(102), e7(106), e7(110), e7(114)],
    center: [e7(119), e7(123), view.getUint8(118)],
  };
}

/** Reads unsigned LEB128 varints one after another. */
class VarintReader {
  #at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  next(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.#at >= this.bytes.length) throw new Error('PMTiles: directory ends mid-number');
      const byte = this.bytes[this.#at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  }
}

/** A directory's entries: ids delta-coded, then run lengths, lengths, and offsets (0 = right after the previous). */
export function parseDirectory(bytes: Uint8Array): Entry[] {
  const read = new VarintReader(bytes);
  const count = read.next();
  const entries: Entry[] = [];
  let tileId = 0;
  for (let i = 0; i < count; i++) {
    tileId += read.next();
    entries.push({ tileId, offset: 0, length: 0, runLength: 0 });
  }
  for (const entry of entries) entry.runLength = read.next();
  for (const entry of entries) entry.length = read.next();
  entries.forEach((entry, i) => {
    const value = read.next();
    const previous = entries[i - 1];
    entry.offset = value === 0 && previous ? previous.offset + previous.length : value - 1;
  });
  return entries;
}

/** Rotates a quadrant of the Hilbert curve. */
function rotate(n: number, xy: [number, number], rx: number, ry: number): void {
  if (ry !== 0) return;
  if (rx === 1) {
    xy[0] = n - 1 - xy[0];
    xy[1] = n - 1 - xy[1];
  }
  [xy[0], xy[1]] = [xy[1], xy[0]];
}

/** The tile id: tiles of lower zooms first, then the position along the Hilbert curve at zoom z. */
export function zxyToTileId(z: number, x: number, y: number): number {
  if (z > 26) throw new Error('PMTiles: zoom above 26');
  const n = 2 ** z;
  if (x < 0 || y < 0 || x >= n || y >= n) throw new Error(`PMTiles: tile ${z}/${x}/${y} outside its zoom`);
  const before = (4 ** z - 1) / 3;
  const xy: [number, number] = [x, y];
  let d = 0;
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (xy[0] & s) > 0 ? 1 : 0;
    const ry = (xy[1] & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    rotate(s, xy, rx, ry);
  }
  return before + d;
}

/** The entry holding `tileId` (a run covering it, or the leaf directory it is in); null when absent. */
export function findEntry(entries: readonly Entry[], tileId: number): Entry | null {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const diff = tileId - entries[mid]!.tileId;
    if (diff > 0) lo = mid + 1;
    else if (diff < 0) hi = mid - 1;
    else return entries[mid]!;
  }
  // The entry before: a run that reaches this id, or a leaf whose range starts before it.
  const before = entries[hi];
  if (!before) return null;
  if (before.runLength === 0) return before;
  return tileId - before.tileId < before.runLength ? before : null;
}

async function decompress(bytes: ArrayBuffer, compression: number): Promise<ArrayBuffer> {
  if (compression === COMPRESSION.none || compression === COMPRESSION.unknown) return bytes;
  if (compression !== COMPRESSION.gzip) throw new Error(`PMTiles: compression ${compression} is not supported (gzip or none only)`);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

export type FetchRange = (offset: number, length: number, signal?: AbortSignal) => Promise<ArrayBuffer>;

/** Range requests to our own server (@fastify/static answers 206); a 200 with the whole file is sliced. */
export function httpRange(url: string): FetchRange {
  return async (offset, length, signal) => {
    const response = await fetch(url, {
      headers: { range: `bytes=${offset}-${offset + length - 1}` },
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
    if (!response.ok) throw new Error(`PMTiles: ${url} answered ${response.status}`);
    const body = await response.arrayBuffer();
    return response.status === 206 ? body : body.slice(offset, offset + length);
  };
}

/** One archive: its header and root directory read once, leaf directories cached. */
export class PmtilesArchive {
  #start: Promise<{ header: PmtilesHeader; root: Entry[] }> | null = null;
  #leaves = new Map<number, Promise<Entry[]>>();

  constructor(private readonly fetchRange: FetchRange) {}

  #open(): Promise<{ header: PmtilesHeader; root: Entry[] }> {
    this.#start ??= (async () => {
      const first = await this.fetchRange(0, FIRST_READ);
      const header = parseHeader(first);
      const rootBytes =
        header.rootDirectoryOffset + header.rootDirectoryLength <= first.byteLength
          ? first.slice(header.rootDirectoryOffset, header.rootDirectoryOffset + header.rootDirectoryLength)
          : await this.fetchRange(header.rootDirectoryOffset, header.rootDirectoryLength);
      const root = parseDirectory(new Uint8Array(await decompress(rootBytes, header.internalCompression)));
      return { header, root };
    })();
    // A failed start (server restarting) is tried again on the next request.
    this.#start.catch(() => (this.#start = null));
    return this.#start;
  }

  header(): Promise<PmtilesHeader> {
    return this.#open().then(({ header }) => header);
  }

  #leaf(header: PmtilesHeader, entry: Entry): Promise<Entry[]> {
    let leaf = this.#leaves.get(entry.offset);
    if (!leaf) {
      leaf = this.fetchRange(header.leafDirectoryOffset + entry.offset, entry.length)
        .then((bytes) => decompress(bytes, header.internalCompression))
        .then((bytes) => parseDirectory(new Uint8Array(bytes)));
      leaf.catch(() => this.#leaves.delete(entry.offset));
      // A county's basemap has a handful of leaves; keep them all, but not without bound.
      if (this.#leaves.size > 256) this.#leaves.clear();
      this.#leaves.set(entry.offset, leaf);
    }
    return leaf;
  }

  /** A tile's bytes (decompressed), or null when the archive has none there. */
  async tile(z: number, x: number, y: number, signal?: AbortSignal): Promise<ArrayBuffer | null> {
    const { header, root } = await this.#open();
    if (z < header.minZoom || z > header.maxZoom) return null;
    const tileId = zxyToTileId(z, x, y);
    let entries = root;
    // The spec allows at most three levels of leaves below the root.
    for (let depth = 0; depth < 4; depth++) {
      const entry = findEntry(entries, tileId);
      if (!entry) return null;
      if (entry.runLength > 0) {
        const bytes = await this.fetchRange(header.tileDataOffset + entry.offset, entry.length, signal);
        return decompress(bytes, header.tileCompression);
      }
      entries = await this.#leaf(header, entry);
    }
    return null;
  }
}

/** `pmtiles://<archive>` (TileJSON) or `pmtiles://<archive>/{z}/{x}/{y}` (a tile). */
export function parsePmtilesUrl(url: string): { archive: string; tile: [number, number, number] | null } {
  const rest = url.replace(/^pmtiles:\/\//, '');
  const match = /^(.*)\/(\d+)\/(\d+)\/(\d+)$/.exec(rest);
  if (match) return { archive: match[1]!, tile: [Number(match[2]), Number(match[3]), Number(match[4])] };
  return { archive: rest, tile: null };
}

/** An empty image: where the archive has no tile, MapLibre draws nothing rather than logging an error. */
const EMPTY_PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  (c) => c.charCodeAt(0),
).buffer;

/**
 * The protocol handler for `maplibregl.addProtocol(PMTILES_PROTOCOL, …)`. Archives are opened
 * once per URL; only raster archives (PNG, JPEG, WebP, AVIF tiles) are served.
 */
export function pmtilesProtocol(fetchRangeFor: (url: string) => FetchRange = httpRange) {
  const archives = new Map<string, PmtilesArchive>();
  const archiveFor = (url: string) => {
    let archive = archives.get(url);
    if (!archive) archives.set(url, (archive = new PmtilesArchive(fetchRangeFor(url))));
    return archive;
  };
  return async (params: RequestParameters, abort: AbortController): Promise<{ data: ArrayBuffer | object }> => {
    const { archive: url, tile } = parsePmtilesUrl(params.url);
    const archive = archiveFor(url);
    if (!tile) {
      const header = await archive.header();
      const type = TILE_TYPES[header.tileType as keyof typeof TILE_TYPES];
      if (!type || type === 'mvt') throw new Error(`PMTiles: ${url} holds ${type ?? 'unknown'} tiles; only raster basemaps are supported`);
      return {
        data: {
          tilejson: '3.0.0',
          tiles: [`${PMTILES_PROTOCOL}://${url}/{z}/{x}/{y}`],
          minzoom: header.minZoom,
          maxzoom: header.maxZoom,
          bounds: header.bounds,
          center: header.center,
        },
      };
    }
    const bytes = await archive.tile(tile[0], tile[1], tile[2], abort.signal);
    return { data: bytes ?? EMPTY_PNG.slice(0) };
  };
}
