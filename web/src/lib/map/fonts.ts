/**
 * Map label fonts. The style has no `glyphs` URL, so MapLibre draws every label locally with TinySDF,
 * reading a `text-font` stack as CSS font families; Noto Sans SC is self-hosted (imported in the
 * root layout), so labels look the same on every machine and nothing is fetched from elsewhere.
 *
 * The font is split by unicode-range into ~100 files per weight, and the browser only fetches a
 * file once text needs it. A canvas draws a character whose file is still loading with a fallback
 * font (or an empty box on a machine without CJK fonts), and MapLibre caches that glyph for good,
 * so `preloadGlyphs` loads the files for a layer's text before the layer gets its data.
 */
export const MAP_FONT_FAMILY = 'Noto Sans SC';

/** 400. */
export const FONT_REGULAR = [MAP_FONT_FAMILY];
/**
 * 700: MapLibre takes the weight from the first name ("Bold") and CSS then falls back to the real
 * family, "Noto Sans SC", at that weight.
 */
export const FONT_BOLD = [`${MAP_FONT_FAMILY} Bold`, MAP_FONT_FAMILY];

export type LabelWeight = 400 | 700;
const loaded = { 400: new Set<string>(), 700: new Set<string>() };

/**
 * Loads the font files of one weight covering every character of `texts`: 700 for labels in
 * {@link FONT_BOLD}, 400 for {@link FONT_REGULAR}. Each character is asked for once per page.
 */
export async function preloadGlyphs(texts: Iterable<string | null | undefined>, weight: LabelWeight): Promise<void> {
  if (typeof document === 'undefined' || !document.fonts) return;
  const seen = loaded[weight];
  let missing = '';
  for (const text of texts) {
    if (!text) continue;
    for (const ch of text) {
      if (!seen.has(ch)) {
        seen.add(ch);
        missing += ch;
      }
    }
  }
  if (!missing) return;
  try {
    await document.fonts.load(`${weight} 16px "${MAP_FONT_FAMILY}"`, missing);
  } catch {
    // A font file failed: the label is drawn with a fallback font, better than no label.
  }
}
