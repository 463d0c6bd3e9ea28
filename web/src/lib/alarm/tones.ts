/**
 * The alarm sounds, synthesised here as WAV files (no sound file fetched from anywhere): each a
 * short pattern of tones that an `<audio loop>` repeats. SOS is urgent and unmistakable (a fast
 * high–low siren), an escalation a slower two-tone, a help request a soft double chime.
 */
import type { AlarmSound } from './alarm';

/** [frequency Hz (0: silence), duration ms] */
type Note = [number, number];

const PATTERNS: Record<AlarmSound, Note[]> = {
  sos: [[1046, 160], [784, 160], [1046, 160], [784, 160], [1046, 160], [784, 160], [0, 400]],
  escalation: [[659, 300], [0, 80], [880, 300], [0, 900]],
  help: [[880, 140], [0, 90], [1175, 220], [0, 1400]],
};

const RATE = 16_000;

/** A mono 16-bit PCM WAV of a tone pattern, with a short fade on each tone so it does not click. */
export function toneWav(sound: AlarmSound): Uint8Array {
  const notes = PATTERNS[sound];
  const samples = notes.reduce((n, [, ms]) => n + Math.round((RATE * ms) / 1000), 0);
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, RATE, true);
  view.setUint32(28, RATE * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, samples * 2, true);
  let at = 44;
  for (const [hz, ms] of notes) {
    const n = Math.round((RATE * ms) / 1000);
    const fade = Math.min(n / 2, RATE * 0.01);
    for (let i = 0; i < n; i++) {
      const envelope = Math.min(1, i / fade, (n - i) / fade);
      const value = hz === 0 ? 0 : Math.sin((2 * Math.PI * hz * i) / RATE) * envelope * 0.6;
      view.setInt16(at, Math.round(value * 32_767), true);
      at += 2;
    }
  }
  return bytes;
}
