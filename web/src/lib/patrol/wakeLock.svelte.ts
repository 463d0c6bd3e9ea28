/**
 * Keeps the screen on while the patrol is on duty (Screen Wake Lock API), so the page keeps
 * reading the position and the SOS is one tap away. The browser drops the lock whenever the page
 * is hidden; it is asked for again each time the page comes back. Needs a secure context (HTTPS
 * or localhost); elsewhere `state` is 'unsupported' and the phone sleeps as usual.
 */
export type WakeState = 'off' | 'on' | 'unsupported';

export class ScreenWake {
  state = $state<WakeState>('off');

  #wanted = false;
  #sentinel: WakeLockSentinel | null = null;
  #onVisible = () => {
    if (document.visibilityState === 'visible' && this.#wanted && !this.#sentinel) void this.#acquire();
  };

  constructor() {
    if (typeof navigator === 'undefined' || !('wakeLock' in navigator)) this.state = 'unsupported';
  }

  /** Wanted on duty, released off duty. */
  set(wanted: boolean): void {
    if (this.state === 'unsupported') return;
    this.#wanted = wanted;
    if (wanted) {
      document.addEventListener('visibilitychange', this.#onVisible);
      if (!this.#sentinel) void this.#acquire();
    } else this.stop();
  }

  stop(): void {
    this.#wanted = false;
    document.removeEventListener('visibilitychange', this.#onVisible);
    const sentinel = this.#sentinel;
    this.#sentinel = null;
    if (this.state !== 'unsupported') this.state = 'off';
    void sentinel?.release().catch(() => {});
  }

  async #acquire(): Promise<void> {
    if (document.visibilityState !== 'visible') return; // asked again when the page is shown
    try {
      const sentinel = await navigator.wakeLock.request('screen');
      if (!this.#wanted) {
        void sentinel.release().catch(() => {});
        return;
      }
      this.#sentinel = sentinel;
      this.state = 'on';
      sentinel.addEventListener('release', () => {
        if (this.#sentinel !== sentinel) return;
        this.#sentinel = null;
        this.state = 'off';
      });
    } catch {
      // Refused (battery saver, not visible): tried again on the next visibility change.
      this.state = 'off';
    }
  }
}
