/**
 * The phone's position: the Geolocation API watched while the page is open, its latest fix, and
 * why there is none. Standing still, a phone may stop reporting, so a heartbeat asks for a fix
 * when none came for a while (only when `wanted()` says the position is being shared). Where the
 * browser tells the battery level (Chrome on Android), each fix carries it for the dispatchers.
 */
import type { PatrolFix } from '@lianfang/server/events';
import { fixFromPosition, isFresh } from './fixes';

/** The part of the Battery Status API read here (not in TypeScript's DOM types). */
interface BatteryLike {
  level: number;
  addEventListener(type: 'levelchange', listener: () => void): void;
}

export type GeoProblem = 'denied' | 'unavailable' | 'insecure' | 'unsupported';

/** Standing still, a phone may stop reporting: ask for a fix when none came for this long. */
const HEARTBEAT_MS = 20_000;

export class Gps {
  fix = $state.raw<PatrolFix | null>(null);
  /** Local time the latest fix arrived (the fix's own time is the phone's GPS clock). */
  receivedAt = $state(0);
  problem = $state<GeoProblem | null>(null);

  /** Battery percent, when the browser tells it. */
  #battery: number | undefined;
  #watchId: number | null = null;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  /**
   * @param onFix every fix as it arrives.
   * @param wanted whether to wake a quiet GPS up (the position is being shared).
   */
  constructor(
    private readonly onFix: (fix: PatrolFix) => void,
    private readonly wanted: () => boolean,
  ) {}

  /** The latest fix still says where the phone is. */
  get isFresh(): boolean {
    return this.fix !== null && isFresh(this.receivedAt, Date.now());
  }

  /** The latest fix if fresh, else null. */
  get freshFix(): PatrolFix | null {
    return this.isFresh ? this.fix : null;
  }

  start(): void {
    this.#watchBattery();
    if (!window.isSecureContext) {
      this.problem = 'insecure';
      return;
    }
    const geo = navigator.geolocation;
    if (!geo) {
      this.problem = 'unsupported';
      return;
    }
    this.#watchId = geo.watchPosition(this.#onPosition, this.#onError, { enableHighAccuracy: true, maximumAge: 5000, timeout: 30_000 });
    this.#heartbeat = setInterval(() => {
      if (this.wanted() && Date.now() - this.receivedAt >= HEARTBEAT_MS) {
        geo.getCurrentPosition(this.#onPosition, this.#onError, { enableHighAccuracy: true, maximumAge: 0, timeout: 30_000 });
      }
    }, HEARTBEAT_MS / 2);
  }

  stop(): void {
    if (this.#watchId !== null) navigator.geolocation?.clearWatch(this.#watchId);
    this.#watchId = null;
    clearInterval(this.#heartbeat);
  }

  #watchBattery(): void {
    const getBattery = (navigator as Navigator & { getBattery?: () => Promise<BatteryLike> }).getBattery;
    if (!getBattery) return;
    getBattery
      .call(navigator)
      .then((battery) => {
        const read = () => (this.#battery = Number.isFinite(battery.level) ? Math.round(battery.level * 100) : undefined);
        read();
        battery.addEventListener('levelchange', read);
      })
      .catch(() => undefined);
  }

  #onPosition = (position: GeolocationPosition): void => {
    const fix = fixFromPosition(position, this.#battery);
    this.problem = null;
    this.fix = fix;
    this.receivedAt = Date.now();
    this.onFix(fix);
  };

  #onError = (error: GeolocationPositionError): void => {
    if (error.code === error.PERMISSION_DENIED) this.problem = 'denied';
    // A timeout while a fix is held is just a quiet moment; without one, say we can't locate.
    else if (!this.isFresh) this.problem = 'unavailable';
  };
}
