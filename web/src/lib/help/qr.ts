/** A QR code as one SVG path (dark modules, one unit each), drawn by the page itself: no image to fetch, no markup to inject. */
import qrcode from 'qrcode-generator';

export interface QrPath {
  /** Modules per side (without the quiet zone). */
  size: number;
  /** `M x,y h1v1h-1z` per dark module. */
  d: string;
}

/** Error correction M: a printed poster gets scuffed, but the code stays small enough to scan from a step away. */
export function qrPath(text: string): QrPath {
  if (/[^\x20-\x7e]/.test(text)) throw new Error('qrPath takes printable ASCII (percent-encode the rest)');
  const qr = qrcode(0, 'M');
  // Byte mode of the string's char codes: callers pass ASCII (a URL with its parts percent-encoded).
  qr.addData(text, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  const parts: string[] = [];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (qr.isDark(row, col)) parts.push(`M${col},${row}h1v1h-1z`);
    }
  }
  return { size, d: parts.join('') };
}
