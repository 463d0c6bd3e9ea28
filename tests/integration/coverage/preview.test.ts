/**
 * GET /api/coverage/preview, as the plan screen asks it: which locations of an area need visits
 * at an instant and why, under the plan in force or with a template not yet applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeriodsResponse, PreviewResponse } from '@lianfang/server/api';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, sh, type Client } from './helpers.ts';

const T0 = sh(2026, 9, 30, 12);

describe('GET /api/coverage/preview', () => {
  const clock = new FakeClock(T0);
  let t: TestApp;
  let admin: Client;
  let leader: Client;
  let dispatcher: Client;
  let patrol: Client;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0 });
    await seedCounty(t.app, smallCounty());
    admin = client(t, await signIn(t, 'admin'));
    leader = client(t, await signIn(t, 'leader'));
    dispatcher = client(t, await signIn(t, 'dispatcher'));
    patrol = client(t, await signIn(t, 'patrol'));
    await json(await admin.post('/api/coverage/periods', { id: 'night', name: '夜间巡防', kind: 'daily', hours: { start: '20:00', end: '02:00' } }));
    await json(await admin.post('/api/coverage/rules', { id: 'night-hotels', name: '夜间·宾馆', periodKind: 'daily', categories: ['hotel'], maxGapMinutes: 60 }));
    await json(
      await admin.post('/api/coverage/templates', {
        id: 'event',
        name: '重大活动安保',
        kind: 'event',
        rules: [
          { name: '一级部位每30分钟、两家单位', priorities: [1], maxGapMinutes: 30, minAgencies: 2 },
          { name: '二级部位每60分钟', priorities: [2], maxGapMinutes: 60 },
        ],
      }),
    );
  });
  afterAll(async () => t?.stop());

  const preview = async (who: Client, query: string) => json<PreviewResponse>(await who.get(`/api/coverage/preview?${query}`));

  it('lists what the plan in force asks at an instant, with its cause and the agencies patrolling there', async () => {
    const p = await preview(leader, `at=${sh(2026, 10, 3, 21)}`);
    expect(p.inArea).toBe(3);
    expect(p.template).toBeNull();
    expect(p.locations).toEqual([
      expect.objectContaining({
        id: 'L-2',
        name: '城东宾馆',
        townshipName: '沭城街道',
        maxGapMinutes: 60,
        minAgencies: 1,
        agencies: ['police'],
        rule: { id: 'night-hotels', name: '夜间·宾馆' },
        periods: [{ id: 'night', name: '夜间巡防', kind: 'daily' }],
        byTemplate: false,
      }),
    ]);
    expect((await preview(leader, `at=${sh(2026, 10, 3, 12)}`)).locations).toEqual([]);
  });

  it('previews a template on a township before it is applied, and applying it then asks the same', async () => {
    const query = `at=${sh(2026, 10, 3, 21)}&townshipIds=T-A&templateId=event&start=2026-10-02&end=2026-10-04`;
    const p = await preview(dispatcher, query);
    expect(p.inArea).toBe(2);
    expect(p.template).toMatchObject({ id: 'event', name: '重大活动安保', period: { kind: 'event', start: '2026-10-02', end: '2026-10-04', scope: { townshipIds: ['T-A'] } } });
    expect(p.locations.map((l) => [l.id, l.maxGapMinutes, l.minAgencies, l.byTemplate])).toEqual([
      ['L-1', 30, 2, true],
      ['L-2', 60, 1, true],
    ]);
    // The night is on too, but its hotel rule (60 minutes) loses the tie to the template's on id.
    expect(p.locations[1]!.periods).toEqual([{ id: '(preview)', name: '重大活动安保', kind: 'event' }]);

    const listed = await json<PeriodsResponse>(await admin.get('/api/coverage/periods'));
    expect(listed.periods.length).toBe(1);
    expect(listed.at).toBe(T0);
    const applied = await json<{ period: { id: string } }>(await admin.post('/api/coverage/templates/event/apply', { start: '2026-10-02', end: '2026-10-04', scope: { townshipIds: ['T-A'] } }));
    const after = await preview(dispatcher, `at=${sh(2026, 10, 3, 21)}&townshipIds=T-A`);
    expect(after.locations.map((l) => [l.id, l.maxGapMinutes, l.minAgencies])).toEqual([
      ['L-1', 30, 2],
      ['L-2', 60, 1],
    ]);
    expect(after.locations[0]!.periods).toEqual([{ id: applied.period.id, name: '重大活动安保', kind: 'event' }]);
    expect(after.locations[0]!.rule.name).toBe('一级部位每30分钟、两家单位');
    await json(await admin.del(`/api/coverage/periods/${applied.period.id}`));
  });

  it('narrows to grids', async () => {
    const p = await preview(admin, `at=${sh(2026, 10, 3, 9)}&gridIds=G-B2&gridIds=G-A1&templateId=event&start=2026-10-02&end=2026-10-04`);
    expect(p.inArea).toBe(2);
    expect(p.locations.map((l) => l.id)).toEqual(['L-1', 'L-3']);
    expect(p.locations[1]!.agencies).toEqual([]);
  });

  it('refuses bad input naming the field', async () => {
    const field = async (query: string) => {
      const res = await admin.get(`/api/coverage/preview?${query}`);
      expect(res.status).toBe(400);
      return ((await res.json()) as { field: string; code: string }).field;
    };
    expect(await field('gridIds=G-ZZ')).toBe('querystring.gridIds');
    expect(await field('townshipIds=T-Z')).toBe('querystring.townshipIds');
    expect(await field('templateId=nope&start=2026-10-02&end=2026-10-04')).toBe('querystring.templateId');
    expect(await field('templateId=event&end=2026-10-04')).toBe('querystring.start');
    expect(await field('templateId=event&start=2026-10-05&end=2026-10-04')).toBe('querystring.end');
    expect(await field('start=2026-10-05')).toBe('querystring.templateId');
    expect(await field('at=soon')).toBe('querystring.at');
  });

  it('is for the map\'s viewers, not patrol phones', async () => {
    expect((await patrol.get('/api/coverage/preview')).status).toBe(403);
  });
});
