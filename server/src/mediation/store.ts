/**
 * The mediation rooms in Redis (one hash, room id → JSON), read fresh on each call so a room an
 * admin adds in one process is offered at once by every other.
 */
import { ROOM_KIND_LEVEL, type MediationRoom } from '@lianfang/geo';
import type { Keys } from '../keys.ts';
import type { Redis } from '../plugins/redis.ts';
import { HttpError } from '../plugins/errors.ts';
import type { RoomRequest } from './schemas.ts';

/** A room from a request: the level from its kind, the fields its kind needs checked. */
export function roomFrom(body: RoomRequest, exists: { township: (id: string) => boolean; village: (id: string) => string | undefined }): MediationRoom {
  const level = ROOM_KIND_LEVEL[body.kind];
  const townshipId = body.townshipId ?? null;
  const villageId = body.villageId ?? null;
  const trade = body.trade?.trim() || null;
  if (level !== 'county' && body.kind !== 'professional' && !townshipId) throw new HttpError(400, 'body.townshipId is required for a village room or a township centre', 'body.townshipId', { code: 'required' });
  if (level === 'county' && townshipId) throw new HttpError(400, 'a county centre belongs to no township', 'body.townshipId', { code: 'invalid' });
  if (townshipId && !exists.township(townshipId)) throw new HttpError(400, `body.townshipId names no township: ${townshipId}`, 'body.townshipId', { code: 'unknown' });
  if (villageId) {
    if (level !== 'village') throw new HttpError(400, 'only a village room belongs to a village', 'body.villageId', { code: 'invalid' });
    const of = exists.village(villageId);
    if (!of) throw new HttpError(400, `body.villageId names no village: ${villageId}`, 'body.villageId', { code: 'unknown' });
    if (of !== townshipId) throw new HttpError(400, `village ${villageId} is not in township ${townshipId}`, 'body.villageId', { code: 'invalid' });
  }
  if (body.kind === 'professional' && !trade) throw new HttpError(400, 'body.trade is required for a professional room', 'body.trade', { code: 'required' });
  return { id: body.id, kind: body.kind, level, name: body.name.trim(), townshipId, villageId, trade: body.kind === 'professional' ? trade : null };
}

export function createRoomStore(redis: Redis, keys: Keys) {
  const parse = (json: string) => JSON.parse(json) as MediationRoom;
  return {
    async get(id: string): Promise<MediationRoom | undefined> {
      const json = await redis.hGet(keys.mediationRooms, id);
      return json ? parse(json) : undefined;
    },
    async list(): Promise<MediationRoom[]> {
      return Object.values(await redis.hGetAll(keys.mediationRooms)).map(parse);
    },
    /** Adds a room unless one has the id: answers the stored one and whether it was new. */
    async add(room: MediationRoom): Promise<{ room: MediationRoom; created: boolean }> {
      const created = Number(await redis.hSetNX(keys.mediationRooms, room.id, JSON.stringify(room))) === 1;
      if (created) return { room, created: true };
      const stored = await this.get(room.id);
      if (stored && JSON.stringify(stored) !== JSON.stringify(room)) throw new HttpError(409, `a different room has the id ${room.id}`, 'body.id', { code: 'exists' });
      return { room: stored ?? room, created: false };
    },
    async put(room: MediationRoom): Promise<void> {
      await redis.hSet(keys.mediationRooms, room.id, JSON.stringify(room));
    },
    /** Adds many (the demo): rooms already there are kept as they are. */
    async seed(rooms: readonly MediationRoom[]): Promise<number> {
      let n = 0;
      for (let i = 0; i < rooms.length; i += 200) {
        const done = await Promise.all(rooms.slice(i, i + 200).map((r) => redis.hSetNX(keys.mediationRooms, r.id, JSON.stringify(r))));
        n += done.filter((x) => Number(x) === 1).length;
      }
      return n;
    },
  };
}
export type RoomStore = ReturnType<typeof createRoomStore>;
