/**
 * Redis storage of tracker devices. A device belongs to a team member; its identifier is
 * shown once, at registration, and only its hash is kept (in `device:auth`, which the ingest
 * script reads to find the team in the same round trip as the write).
 */
import { randomBytes } from 'node:crypto';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import type { DeviceView } from './schemas.ts';
import { hashDeviceIdentifier, IDENTIFIER_PATTERN, newDeviceIdentifier } from './identifier.ts';

/** A device as stored: what the API shows, less the last-seen time, plus who revoked it and the identifier's hash. */
export interface StoredDevice extends Omit<DeviceView, 'lastSeenAt' | 'battery' | 'batteryAt'> {
  revokedBy: string | null;
  /** SHA-256 of the identifier: finds the `device:auth` entry to revoke. */
  hash: string;
}

export type DeviceAuth =
  | { status: 'ok'; deviceId: string; teamId: string; hash: string }
  | { status: 'unknown' }
  | { status: 'revoked'; deviceId: string; teamId: string };

/** `device:auth` value: "deviceId<TAB>teamId<TAB>revokedAt" (revokedAt empty while valid). */
export const authValue = (d: Pick<StoredDevice, 'id' | 'teamId' | 'revokedAt'>) => `${d.id}\t${d.teamId}\t${d.revokedAt ?? ''}`;

export function createDeviceStore(redis: Redis, keys: Keys) {
  async function get(id: string): Promise<StoredDevice | undefined> {
    const json = await redis.hGet(keys.devices, id);
    return json ? (JSON.parse(json) as StoredDevice) : undefined;
  }

  return {
    get,

    /** Registers a device; resolves it with its identifier (the only time the identifier exists in clear). */
    async create(input: { teamId: string; memberName: string; memberPhone: string | null; label: string | null; createdBy: string }, now: number) {
      const identifier = newDeviceIdentifier();
      // Short: it is written into every fix of the track (a UUID would add 25 bytes to each entry).
      const device: StoredDevice = { id: randomBytes(8).toString('base64url').slice(0, 11), ...input, createdAt: now, revokedAt: null, revokedBy: null, hash: hashDeviceIdentifier(identifier) };
      await redis.multi().hSet(keys.devices, device.id, JSON.stringify(device)).hSet(keys.deviceAuth, device.hash, authValue(device)).exec();
      return { device, identifier };
    },

    /** Revokes a device for good; resolves the device, or undefined when it does not exist. Revoking twice keeps the first time. */
    async revoke(id: string, by: string, now: number): Promise<StoredDevice | undefined> {
      const device = await get(id);
      if (!device) return undefined;
      if (device.revokedAt !== null) return device;
      const next: StoredDevice = { ...device, revokedAt: now, revokedBy: by };
      await redis.multi().hSet(keys.devices, id, JSON.stringify(next)).hSet(keys.deviceAuth, next.hash, authValue(next)).exec();
      return next;
    },

    /** A team's devices, newest first, with when each last reported. */
    async listForTeam(teamId: string): Promise<DeviceView[]> {
      const all = Object.values(await redis.hGetAll(keys.devices))
        .map((j) => JSON.parse(j) as StoredDevice)
        .filter((d) => d.teamId === teamId)
        .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
      const ids = all.map((d) => d.id);
      const [seen, batteries] = all.length ? await Promise.all([redis.hmGet(keys.deviceSeen, ids), redis.hmGet(keys.deviceBattery, ids)]) : [[], []];
      return all.map((d, i) => toView(d, seen[i] ? Number(seen[i]) : null, batteries[i]));
    },

    /** One device's view (with when it last reported and its battery). */
    async view(device: StoredDevice): Promise<DeviceView> {
      const [seen, battery] = await Promise.all([redis.hGet(keys.deviceSeen, device.id), redis.hGet(keys.deviceBattery, device.id)]);
      return toView(device, seen ? Number(seen) : null, battery);
    },

    /** Who an identifier belongs to. Malformed identifiers are unknown without asking Redis. */
    async authenticate(identifier: string): Promise<DeviceAuth> {
      if (!IDENTIFIER_PATTERN.test(identifier)) return { status: 'unknown' };
      return byHash(hashDeviceIdentifier(identifier));
    },

    /** The same, from the identifier's hash (sockets keep only the hash). */
    byHash,
  };

  async function byHash(hash: string): Promise<DeviceAuth> {
    const value = await redis.hGet(keys.deviceAuth, hash);
    if (!value) return { status: 'unknown' };
    const [deviceId = '', teamId = '', revokedAt = ''] = value.split('\t');
    return revokedAt ? { status: 'revoked', deviceId, teamId } : { status: 'ok', deviceId, teamId, hash };
  }
}

/** `battery`: the device:battery value, "percent<TAB>server time". */
export function toView(d: StoredDevice, lastSeenAt: number | null, battery?: string | null): DeviceView {
  const [percent, at] = battery ? battery.split('\t') : [];
  return {
    id: d.id,
    teamId: d.teamId,
    memberName: d.memberName,
    memberPhone: d.memberPhone,
    label: d.label,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    revokedAt: d.revokedAt,
    lastSeenAt,
    battery: percent ? Number(percent) : null,
    batteryAt: at ? Number(at) : null,
  };
}

export type DeviceStore = ReturnType<typeof createDeviceStore>;
