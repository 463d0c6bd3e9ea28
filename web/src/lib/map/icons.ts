/** Images drawn on a canvas for `map.addImage`, so the style needs no sprite from anywhere. */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { HEADING_IMAGE_PREFIX } from './ids';
import { AGENCY_COLOURS } from './palette';

const PIXEL_RATIO = 2;
/** CSS pixels; the arrow is centred on the team dot, so the image is square around it. */
const SIZE = 32;

/** A wedge pointing north, just outside a 6.5 px dot with its 2 px ring. */
function drawArrow(colour: string): ImageData {
  const px = SIZE * PIXEL_RATIO;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = px;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Canvas 2D is unavailable: cannot draw the heading arrow');
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
