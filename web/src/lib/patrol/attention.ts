/**
 * Getting a patrol's attention on the phone, one way for everything sent to the team (an order,
 * a go-to from point dispatch, an incident dispatched to it): a vibration and a chime. Either may
 * be refused (no vibration motor, no sound before the member touched the page): the card or
 * banner on screen still shows.
 */
import { toneWav } from '$lib/alarm/tones';

let chimeUrl: string | null = null;

export function ring(): void {
  try {
    navigator.vibrate?.([300, 120, 300]);
  } catch {
    // Not every browser vibrates.
  }
  try {
    chimeUrl ??= URL.createObjectURL(new Blob([toneWav('help') as BlobPart], { type: 'audio/wav' }));
    void new Audio(chimeUrl).play().catch(() => {});
  } catch {
    // No sound before the user touched the page.
  }
}
