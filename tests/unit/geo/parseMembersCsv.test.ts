import { describe, expect, it } from 'vitest';
import { parseMembersCsv } from '../../../geo/src/index.ts';

const read = (text: string) => parseMembersCsv(text, { defaultRole: 'security_guard' });

describe(parseMembersCsv.name, () => {
  it('reads members under Chinese headers, roles as spreadsheets word them', () => {
    expect(read('\uFEFF姓名,手机号,身份\r\n张伟,13911110001,民警\r\n李强,13911110002,\r\n\r\n')).toEqual({
      ok: true,
      members: [
        { name: '张伟', phone: '13911110001', role: 'police_officer' },
        { name: '李强', phone: '13911110002', role: 'security_guard' },
      ],
    });
  });

  it('reads English headers in any order and role codes', () => {
    expect(read('Phone,Name,Role\n13911110003,Wang Fang,grid_worker\n13911110004,Zhao Liu,Joint Defence\n')).toMatchObject({
      ok: true,
      members: [{ name: 'Wang Fang', role: 'grid_worker' }, { name: 'Zhao Liu', role: 'joint_defence' }],
    });
  });

  it('names every bad row and takes none', () => {
    expect(read('姓名,电话,身份\n张伟,13911110001,民警\n,13911110002,\n王芳,call me,\n赵六,13911110004,厨师\n')).toEqual({
      ok: false,
      issues: [
        { row: 3, code: 'blank_name' },
        { row: 4, code: 'bad_phone', detail: 'call me' },
        { row: 5, code: 'unknown_role', detail: '厨师' },
      ],
    });
  });

  it('says which column is missing', () => {
    expect(read('姓名,地址\n张伟,沭阳\n')).toEqual({ ok: false, issues: [{ row: 1, code: 'missing_column', detail: 'phone' }] });
  });
});
