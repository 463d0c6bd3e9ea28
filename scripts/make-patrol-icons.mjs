/**
 * Draws the patrol app's home-screen icons (web/static/patrol-icon-*.png) from the shield mark
 * with the system Chromium, so no image tool is needed. Run again after changing the mark:
 *   node scripts/make-patrol-icons.mjs
 * Full-bleed background with the mark inside the middle 60 %, so Android's masks (circle,
 * squircle) never cut it ("purpose": "any maskable" in the manifest).
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { root, say } from './lib/setup.mjs';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100%" height="100%">
  <rect width="100" height="100" fill="#081120"/>
  <circle cx="50" cy="50" r="40" fill="#0f2440"/>
  <path d="M50 24 68 31v13c0 11.5-7.5 19.7-18 23-10.5-3.3-18-11.5-18-23V31z" fill="rgba(92,200,255,.14)" stroke="#5cc8ff" stroke-width="3.6" stroke-linejoin="round"/>
  <path d="M41 45.5h18M50 36.5v18" stroke="#5cc8ff" stroke-width="3.8" stroke-linecap="round"/>
</svg>`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0">${SVG}</body></html>`);
    const path = join(root, 'web', 'static', `patrol-icon-${size}.png`);
    await page.screenshot({ path, clip: { x: 0, y: 0, width: size, height: size } });
    say(`wrote ${path}`);
  }
} finally {
  await browser.close();
}
