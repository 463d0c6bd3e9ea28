/**
 * The device API's shapes: tracker devices 定位设备 registered to team members, and the links a
 * new one is set up with. Types are `Static<typeof …>`; the web imports them.
 */
import { Type as T, type Static } from '@sinclair/typebox';
import { Nullable } from '../schemaKit.ts';

/** A tracker device registered to a team member. The identifier itself is never listed. */
export const DeviceSchema = T.Object({
  id: T.String(),
  teamId: T.String(),
  memberName: T.String(),
  memberPhone: Nullable(T.String()),
  label: Nullable(T.String()),
  createdAt: T.Number(),
  /** Username of who registered it. */
  createdBy: T.String(),
  revokedAt: Nullable(T.Number()),
  /** Server time of its last accepted position. */
  lastSeenAt: Nullable(T.Number()),
  /** Battery in percent at its last report that carried one (Traccar Client, OsmAnd, OwnTracks, the patrol page). */
  battery: Nullable(T.Number()),
  /** Server time of that battery report. */
  batteryAt: Nullable(T.Number()),
});
export type DeviceView = Static<typeof DeviceSchema>;

/** Set-up links for a new device; each carries the identifier. Show them as text and QR codes. */
export const DeviceLinksSchema = T.Object({
  /** The patrol page, signed in as this device (identifier in the fragment, never sent to a server log). */
  patrol: T.String(),
  /** Server URL for Traccar Client / OsmAnd's dedicated port (set the device identifier to `identifier`). */
  osmandServer: T.String(),
  /** Full OsmAnd "online tracking" URL template. */
  osmandTemplate: T.String(),
  /** OwnTracks HTTP mode URL (Settings → Connection → Host). */
  owntracks: T.String(),
});
export type DeviceLinks = Static<typeof DeviceLinksSchema>;

/** POST /api/teams/:id/devices → 201. The only response that ever contains the identifier. */
export const NewDeviceSchema = T.Object({
  device: DeviceSchema,
  /** 128 random bits, 26 characters of lower-case base32; case-insensitive. */
  identifier: T.String(),
  links: DeviceLinksSchema,
});
export type NewDeviceResponse = Static<typeof NewDeviceSchema>;

/** GET /api/teams/:id/devices */
export const DevicesSchema = T.Object({ devices: T.Array(DeviceSchema) });
export type DevicesResponse = Static<typeof DevicesSchema>;
/** DELETE /api/teams/:id/devices/:deviceId → 200 */
export const RevokedDeviceSchema = T.Object({ device: DeviceSchema });

export const TeamParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) });
export const DeviceParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }), deviceId: T.String({ minLength: 1, maxLength: 64 }) });
/** POST /api/teams/:id/devices */
export const NewDeviceBody = T.Object({
  /** A member of the team, by name (成员姓名). */
  memberName: T.String({ minLength: 1, maxLength: 32 }),
  /** Optional note: the phone model, "backup handset"… */
  label: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
});
