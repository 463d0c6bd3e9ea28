/**
 * Checking in at the team's key locations: from the phone's fresh fix, or with a QR code scanned
 * there; queued in the outbox when offline. The server counts a check-in only on a position of
 * the team it received near the location, so the fix goes into the outbox ahead of the check-in
 * (a code scanned before the phone has a fix waits a little for one). Per location, what the page
 * last learned: done (by this phone or another of the team), too far, refused, or no fix to check in from.
 */
import type { CheckInAck, PatrolCheckIn, PatrolFix, TeamCheckInsBatch } from '@lianfang/server/events';
import { checkInAt, checkInWithCode, resultOf, withResult, withTeamCheckIns, type LocationResults } from './checkInResults';
import { newCheckInId } from './link';
import type { Outbox } from './outbox.svelte';
import { hasCheckInAt, type Batch } from './queue';
import type { PatrolLink } from './socket.svelte';

/** A code scanned before the phone's first fix waits this long for one, then goes without. */
const FIX_WAIT_MS = 30_000;

export class CheckIns {
  results = $state.raw<LocationResults>({});

  /** Scanned check-ins waiting for the phone's first fix. */
  #awaitingFix: PatrolCheckIn[] = [];
  #waitTimer: ReturnType<typeof setTimeout> | undefined;

  /** @param freshFix the phone's fix if it still says where the phone is. */
  constructor(
    private readonly link: PatrolLink,
    private readonly outbox: Outbox,
    private readonly freshFix: () => PatrolFix | null,
  ) {}

  /** Whether a check-in at `locationId` waits in the outbox. */
  isQueued(locationId: string): boolean {
    return hasCheckInAt(this.outbox.items, locationId);
  }

  /** Checks in at a key location from the latest fix; without a fresh one, says so. */
  at(locationId: string): void {
    const fix = this.freshFix();
    if (!fix) {
      this.results = withResult(this.results, locationId, { state: 'no-fix' });
      return;
    }
    this.results = withResult(this.results, locationId);
    this.outbox.add({ kind: 'fix', fix });
    this.outbox.add({ kind: 'checkin', checkIn: checkInAt(newCheckInId(), locationId, Date.now(), fix) });
  }

  /** Checks in with a QR code scanned at the location (the position, when fresh, goes along). */
  withCode(code: string): void {
    const fix = this.freshFix();
    const checkIn = checkInWithCode(newCheckInId(), code, Date.now(), fix);
    if (checkIn.locationId) this.results = withResult(this.results, checkIn.locationId);
    if (fix) {
      this.outbox.add({ kind: 'fix', fix });
      this.outbox.add({ kind: 'checkin', checkIn });
      return;
    }
    this.#awaitingFix.push(checkIn);
    this.#waitTimer ??= setTimeout(() => this.#release(null), FIX_WAIT_MS);
  }

  /** A new fix from the phone: check-ins waiting for one go, behind it. */
  onFix(fix: PatrolFix): void {
    if (this.#awaitingFix.length > 0) this.#release(fix);
  }

  stop(): void {
    // Whatever still waits is queued (kept in localStorage) rather than lost.
    this.#release(null);
  }

  #release(fix: PatrolFix | null): void {
    clearTimeout(this.#waitTimer);
    this.#waitTimer = undefined;
    const waiting = this.#awaitingFix;
    this.#awaitingFix = [];
    if (waiting.length === 0) return;
    if (fix) this.outbox.add({ kind: 'fix', fix });
    for (const checkIn of waiting) this.outbox.add({ kind: 'checkin', checkIn });
  }

  /** Check-ins of the team the server broadcast (this phone's or another's). */
  apply(batch: TeamCheckInsBatch, teamId: string | undefined): void {
    this.results = withTeamCheckIns(this.results, batch.checkIns, teamId);
  }

  /** Sends one queued check-in; false when it should be sent again later. */
  async send(batch: Batch & { kind: 'checkin' }): Promise<boolean> {
    const res = await this.link.request<CheckInAck>((socket, ack) => socket.emit('patrol:checkin', batch.checkIn, ack));
    const result = resultOf(res);
    if (!result) return false;
    this.outbox.remove(batch.key);
    const { locationId } = batch.checkIn;
    if (locationId) this.results = withResult(this.results, locationId, result);
    return true;
  }
}
