/** Images drawn on a canvas for `map.addImage`, so the style needs no sprite from anywhere. */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { HEADING_IMAGE_PREFIX, KEY_GRID_PATTERN } from './ids';
import { AGENCY_COLOURS, THEME } from './palette';

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
