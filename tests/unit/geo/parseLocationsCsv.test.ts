import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { parseLocationsCsv, type KeyLocation, type ValidationIssue, type ValidationResult } from '../../../geo/src/index.ts';

function errorsOf(result: ValidationResult<KeyLocation>): ValidationIssue[] {
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}
function itemsOf(result: ValidationResult<KeyLocation>): KeyLocation[] {
  if (!result.ok) throw new Error(`expected items, got ${JSON.stringify(result.errors)}`);
  return result.items;
}

describe(parseLocationsCsv.name, () => {
  it('reads required and optional columns, with quoted fields holding commas, quotes and line breaks', () => {
    const csv = [
      'id,name,category,lon,lat,priority,radius,address,opening_hours',
      'L1,"沭阳汽车站, 南广场",station,118.79,34.12,1,200,"人民路1号","05:30-22:00"',
      'L2,"""金鼎""宾馆",hotel,118.8,34.13,,,"沭城街道',
      '建设路2号",',
    ].join('\n');
    const items = itemsOf(parseLocationsCsv(csv));
    expect(items).toEqual([
      { id: 'L1', name: '沭阳汽车站, 南广场', category: 'station', priority: 1, radius: 200, address: '人民路1号', openingHours: '05:30-22:00', geometry: { type: 'Point', coordinates: [118.79, 34.12] } },
      { id: 'L2', name: '"金鼎"宾馆', category: 'hotel', priority: 3, radius: 50, address: '沭城街道\n建设路2号', geometry: { type: 'Point', coordinates: [118.8, 34.13] } },
    ]);
  });

  it('tolerates a byte-order mark, CRLF line ends, header case and lng/latitude names', () => {
    const items = itemsOf(parseLocationsCsv('\uFEFFID,Name,Category,LNG,Latitude\r\nL1,沭阳站,station,118.75,34.08\r\n\r\n'));
    expect(items.map((l) => l.geometry.coordinates)).toEqual([[118.75, 34.08]]);
  });

  it('rejects a header without the required columns, naming them', () => {
    const [error] = errorsOf(parseLocationsCsv('id,name,x,y\nL1,a,1,2\n'));
    expect(error).toMatchObject({ index: 1, reason: expect.stringMatching(/lacks columns category, lon, lat/) });
  });

  it('reports bad rows by row number, the header being row 1, and keeps checking the others', () => {
    const csv = 'id,name,category,lon,lat\nL1,a,station,118.79,34.12\nL2,b,station,abc,34.12\nL3,c,bar,118.79,34.12\nL4,d,station,118.79\nL1,e,station,118.79,34.12\n';
    expect(errorsOf(parseLocationsCsv(csv)).map((e) => [e.index, e.field])).toEqual([[3, 'lon'], [4, 'category'], [5, undefined], [6, 'id']]);
  });

  it('rejects out-of-range and swapped coordinates, naming the lon,lat columns', () => {
    const [error] = errorsOf(parseLocationsCsv('id,name,category,lon,lat\nL1,a,station,34.12,118.79\n'));
    expect(error).toMatchObject({ index: 2, field: 'lon,lat', reason: expect.stringMatching(/looks like swapped lat\/lon/) });
  });

  it('rejects NaN and Infinity written as text', () => {
    const errors = errorsOf(parseLocationsCsv('id,name,category,lon,lat\nL1,a,station,NaN,34.1\nL2,b,station,118.8,Infinity\n'));
    expect(errors.map((e) => e.field)).toEqual(['lon', 'lat']);
  });

  it('reports a quoted field that is never closed', () => {
    expect(errorsOf(parseLocationsCsv('id,name,category,lon,lat\nL1,"open,station,118.8,34.1\n'))[0]!.reason).toMatch(/never closed/);
  });

  it('converts GCJ-02 coordinates to WGS-84 when asked', () => {
    const [item] = itemsOf(parseLocationsCsv('id,name,category,lon,lat\nL1,a,station,118.79,34.12\n', { crs: 'gcj02' }));
    expect(item!.geometry.coordinates).toEqual(gcoord.transform([118.79, 34.12], gcoord.GCJ02, gcoord.WGS84));
  });

  it('answers an empty or non-text input with an error rather than throwing', () => {
    expect(errorsOf(parseLocationsCsv(''))[0]!.reason).toMatch(/empty/);
    expect(errorsOf(parseLocationsCsv(undefined as unknown as string))[0]!.reason).toMatch(/expected CSV text/);
  });
});
