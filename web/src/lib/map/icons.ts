/** Images drawn on a canvas for `map.addImage`, so the style needs no sprite from anywhere. */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { HEADING_IMAGE_PREFIX, KEY_GRID_PATTERN, UNCOVERED_BADGE } from './ids';
import { AGENCY_COLOURS, COVERAGE_COLOURS, THEME } from './palette';

const PIXEL_RATIO = 2;
/** CSS pixels; the arrow is centred on the team dot, so the image is square around it. */
const SIZE = 32;

function canvas(px: number): CanvasRenderingContext2D {
  const element = document.createElement('canvas');
  element.width = element.height = px;
  const ctx = element.getContext('2d');
  if (!ctx) throw new Error('Canvas 2D is unavailable: cannot draw map images');
  return ctx;
}

/** A wedge pointing north, just outside a 6.5 px dot with its 2 px ring. */
function drawArrow(colour: string): ImageData {
  const px = SIZE * PIXEL_RATIO;
  const ctx = canvas(px);
  ctx.scale(PIXEL_RATIO, PIXEL_RATIO);
  const c = SIZE / 2;
  ctx.beginPath();
  ctx.moveTo(c, c - 15.5);
  ctx.lineTo(c + 4.6, c - 9);
  ctx.quadraticCurveTo(c, c - 10.6, c - 4.6, c - 9);
  ctx.closePath();
  ctx.fillStyle = colour;
  ctx.strokeStyle = 'rgba(255,255,255,0.9)';
  ctx.lineWidth = 1;
  ctx.lineJoin = 'round';
  ctx.fill();
  ctx.stroke();
  return ctx.getImageData(0, 0, px, px);
}

export function addHeadingImages(map: MapLibreMap): void {
  for (const [agency, colour] of Object.entries(AGENCY_COLOURS)) {
    const id = `${HEADING_IMAGE_PREFIX}${agency}`;
    if (!map.hasImage(id)) map.addImage(id, drawArrow(colour), { pixelRatio: PIXEL_RATIO });
  }
}

export function removeHeadingImages(map: MapLibreMap): void {
  for (const agency of Object.keys(AGENCY_COLOURS)) {
    const id = `${HEADING_IMAGE_PREFIX}${agency}`;
    if (map.hasImage(id)) map.removeImage(id);
  }
}

/** Amber diagonal hatching, 12 CSS px a tile, for key grids: reads at a glance on the dark ground. */
function drawHatch(): ImageData {
  const size = 12;
  const px = size * PIXEL_RATIO;
  const ctx = canvas(px);
  ctx.scale(PIXEL_RATIO, PIXEL_RATIO);
  ctx.strokeStyle = THEME.keyGrid;
  ctx.globalAlpha = 0.28;
  ctx.lineWidth = 1.6;
  ctx.beginPath();
  // Three strokes so the lines run on across tile edges.
  for (const offset of [-size, 0, size]) {
    ctx.moveTo(offset, size);
    ctx.lineTo(offset + size, 0);
  }
  ctx.stroke();
  return ctx.getImageData(0, 0, px, px);
}

export function addKeyGridPattern(map: MapLibreMap): void {
  if (!map.hasImage(KEY_GRID_PATTERN)) map.addImage(KEY_GRID_PATTERN, drawHatch(), { pixelRatio: PIXEL_RATIO });
}

export function removeKeyGridPattern(map: MapLibreMap): void {
  if (map.hasImage(KEY_GRID_PATTERN)) map.removeImage(KEY_GRID_PATTERN);
}

/**
 * A red pill (rounded both ends) for the uncovered count beside a township name, stretched to the
 * text by `icon-text-fit`: only the straight middle stretches, so the round ends stay round.
 */
function drawBadge(): { image: ImageData; stretchX: [number, number][]; stretchY: [number, number][]; content: [number, number, number, number] } {
  const w = 24;
  const h = 16;
  const r = h / 2;
  const ctx = canvas(w * PIXEL_RATIO);
  ctx.canvas.height = h * PIXEL_RATIO;
  ctx.scale(PIXEL_RATIO, PIXEL_RATIO);
  ctx.beginPath();
  ctx.moveTo(r, 0.75);
  ctx.lineTo(w - r, 0.75);
  ctx.arc(w - r, r, r - 0.75, -Math.PI / 2, Math.PI / 2);
  ctx.lineTo(r, h - 0.75);
  ctx.arc(r, r, r - 0.75, Math.PI / 2, (3 * Math.PI) / 2);
  ctx.closePath();
  ctx.fillStyle = COVERAGE_COLOURS.uncovered;
  ctx.fill();
  ctx.strokeStyle = 'rgba(255,255,255,0.85)';
  ctx.lineWidth = 1.2;
  ctx.stroke();
  const p = PIXEL_RATIO;
  return {
    image: ctx.getImageData(0, 0, w * p, h * p),
    stretchX: [[r * p, (w - r) * p]],
    stretchY: [[(r - 1) * p, (r + 1) * p]],
    content: [4 * p, 2 * p, (w - 4) * p, (h - 2) * p],
  };
}

export function addUncoveredBadge(map: MapLibreMap): void {
  if (map.hasImage(UNCOVERED_BADGE)) return;
  const { image, ...fit } = drawBadge();
  map.addImage(UNCOVERED_BADGE, image, { pixelRatio: PIXEL_RATIO, ...fit });
}

export function removeUncoveredBadge(map: MapLibreMap): void {
  if (map.hasImage(UNCOVERED_BADGE)) map.removeImage(UNCOVERED_BADGE);
}
