/** Shared set-up for mediation tests: the small county's rooms, added through the API. */
import type { Client } from '../coverage/helpers.ts';

/** T-A's village (V-A) rooms and two centres, V-B's mediation room, a traffic room, a county centre. */
export const ROOMS = [
  { id: 'VA-party', kind: 'party', name: '城东社区党员调解室', townshipId: 'T-A', villageId: 'V-A' },
  { id: 'VA-mediation', kind: 'village', name: '城东社区调解室', townshipId: 'T-A', villageId: 'V-A' },
  { id: 'VB-mediation', kind: 'village', name: '王庄村调解室', townshipId: 'T-B', villageId: 'V-B' },
  { id: 'TA-grid', kind: 'grid_centre', name: '沭城街道网格化服务管理中心', townshipId: 'T-A' },
  { id: 'TA-legal', kind: 'legal_centre', name: '沭城街道公共法律服务中心', townshipId: 'T-A' },
  { id: 'P-traffic', kind: 'professional', name: '交通事故专业调解室', trade: '交通事故' },
  { id: 'C-centre', kind: 'county_centre', name: '县社会矛盾纠纷调处化解中心' },
] as const;

export async function seedRooms(admin: Client): Promise<void> {
  for (const room of ROOMS) {
    const res = await admin.post('/api/mediation/rooms', room);
    if (res.status !== 201) throw new Error(`room ${room.id}: ${res.status} ${await res.text()}`);
  }
}
