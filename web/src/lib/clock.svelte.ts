/** A ticking "now" for the header clock and for greying teams whose fix has gone stale. */
export class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  start(intervalMs = 1000): () => void {
    this.now = Date.now();
    this.#timer = setInterval(() => {
      this.now = Date.now();
    }, intervalMs);
    return () => clearInterval(this.#timer);
  }
}
