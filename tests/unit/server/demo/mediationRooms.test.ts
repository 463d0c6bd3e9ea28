import { describe, expect, it } from 'vitest';
import { generateDemoCounty, roomMismatch, type DisputeLevel } from '@lianfang/geo';
import { demoMediationRooms } from '../../../../server/src/demo/mediationRooms.ts';
import { pastDisputes } from '../../../../server/src/demo/disputes.ts';

const county = generateDemoCounty();
const rooms = demoMediationRooms(county.townships, county.villages);
const byId = new Map(rooms.map((r) => [r.id, r]));

describe(demoMediationRooms.name, () => {
  it('gives every village its three rooms, every township its two centres, and the county professional rooms and three centres', () => {
    const count = (kind: string) => rooms.filter((r) => r.kind === kind).length;
    expect([count('party'), count('worthy'), count('village')]).toEqual([county.villages.length, county.villages.length, county.villages.length]);
    expect([count('grid_centre'), count('legal_centre')]).toEqual([county.townships.length, county.townships.length]);
    expect(count('professional')).toBeGreaterThanOrEqual(5);
    expect(count('county_centre')).toBe(3);
    expect(new Set(rooms.map((r) => r.id)).size).toBe(rooms.length);
  });

  it("has the demo's past disputes mediated by rooms of the level and township they were at", () => {
    const disputes = pastDisputes(county.grids, county.teams, Date.UTC(2026, 2, 10), { days: 30, rooms: byId });
    let records = 0;
    for (const d of disputes) {
      let level: DisputeLevel = 'village';
      for (const step of d.history) {
        if (step.mediation) {
          records++;
          const room = byId.get(step.mediation.roomId)!;
          expect(roomMismatch(room, level, d.townshipId)).toBeNull();
          if (step.event === 'escalate') expect(step.mediation.outcome).toBe('passed_up');
          else expect(['settled', 'withdrawn', 'not_settled']).toContain(step.mediation.outcome);
        }
        if (step.event === 'escalate' && step.level) level = step.level;
      }
    }
    expect(records).toBeGreaterThan(disputes.length);
  });
});
