/**
 * Checking in at the team's key locations: from the phone's fresh fix, or with a QR code scanned
 * there; queued in the outbox when offline. Per location, what the page last learned: done (by
 * this phone or another of the team), too far, refused, or no fix to check in from.
 */
import type { CheckInAck, PatrolFix, TeamCheckInsBatch } from '@lianfang/server/events';
import { checkInAt, checkInWithCode, resultOf, withResult, withTeamCheckIns, type LocationResults } from './checkInResults';
import { newCheckInId } from './link';
import type { Outbox } from './outbox.svelte';
import { hasCheckInAt, type Batch } from './queue';
import type { PatrolLink } from './socket.svelte';

export class CheckIns {
  results = $state.raw<LocationResults>({});

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
    this.outbox.add({ kind: 'checkin', checkIn: checkInAt(newCheckInId(), locationId, Date.now(), fix) });
  }

  /** Checks in with a QR code scanned at the location (the position, when fresh, goes along). */
  withCode(code: string): void {
    const checkIn = checkInWithCode(newCheckInId(), code, Date.now(), this.freshFix());
    if (checkIn.locationId) this.results = withResult(this.results, checkIn.locationId);
    this.outbox.add({ kind: 'checkin', checkIn });
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
