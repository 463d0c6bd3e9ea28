import { describe, expect, it } from 'vitest';
import { decodeCsv, readMembersCsv } from '../../../web/src/lib/teams/membersCsv.ts';

/** "姓名,电话\r\n张伟,13911110001\r\n" as Excel on a Chinese Windows saves it (GBK bytes). */
const GBK = Uint8Array.from([
  0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xb5, 0xe7, 0xbb, 0xb0, 0x0d, 0x0a,
  0xd5, 0xc5, 0xce, 0xb0, 0x2c, ...new TextEncoder().encode('13911110001\r\n'),
]);

describe(decodeCsv.name, () => {
  it('reads a GBK (GB18030) spreadsheet and a UTF-8 one alike', () => {
    expect(decodeCsv(GBK)).toBe('姓名,电话\r\n张伟,13911110001\r\n');
    expect(decodeCsv(new TextEncoder().encode('姓名,电话\n张伟,1\n'))).toBe('姓名,电话\n张伟,1\n');
    expect(readMembersCsv(GBK, 'volunteer')).toEqual({ ok: true, members: [{ name: '张伟', phone: '13911110001', role: 'volunteer' }] });
  });
});
