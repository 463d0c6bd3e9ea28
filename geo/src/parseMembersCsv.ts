/**
 * Reads a team's members (队员名单) from a spreadsheet saved as CSV: a header row in Chinese or
 * English (姓名/name, 电话/手机/phone, 身份/角色/role), one member a row. The text is already
 * decoded (UTF-8 or GB18030 is the caller's business).
 */
import { MEMBER_ROLES, type MemberRole, type TeamMember } from './types.ts';
import { parseCsv } from './validation/parseCsv.ts';

/** What is wrong with a row (or the header, row 1), as a code a screen words in its language. */
export interface MemberCsvIssue {
  row: number;
  code: 'missing_column' | 'blank_name' | 'bad_phone' | 'unknown_role' | 'too_many' | 'unterminated' | 'empty';
  /** The column it is about (name, phone, role), or the offending value. */
  detail?: string;
}

export type MembersCsvResult = { ok: true; members: TeamMember[] } | { ok: false; issues: MemberCsvIssue[] };

const HEADERS: Record<'name' | 'phone' | 'role', string[]> = {
  name: ['姓名', '名字', '队员', '队员姓名', 'name', 'member'],
  phone: ['电话', '手机', '手机号', '手机号码', '联系电话', '电话号码', 'phone', 'mobile', 'tel'],
  role: ['身份', '角色', '职务', '类别', 'role'],
};
/** Role words as spreadsheets write them, to the role's code. */
const ROLE_WORDS: Record<string, MemberRole> = {
  民警: 'police_officer',
  警察: 'police_officer',
  辅警: 'police_officer',
  保安: 'security_guard',
  保安员: 'security_guard',
  联勤保安员: 'security_guard',
  网格员: 'grid_worker',
  志愿者: 'volunteer',
  红袖章: 'volunteer',
  红袖章志愿者: 'volunteer',
  联防员: 'joint_defence',
  治安联防员: 'joint_defence',
  'police officer': 'police_officer',
  'security guard': 'security_guard',
  'grid worker': 'grid_worker',
  'joint defence': 'joint_defence',
};
const PHONE = /^[0-9+ -]{3,20}$/;
const MAX_MEMBERS = 50;

/**
 * Members from CSV text; every bad row named (nothing is taken unless all rows are good). A row
 * without a role takes `defaultRole`.
 *
 * @example
 * parseMembersCsv('姓名,电话,身份\n张伟,13911110001,民警\n', { defaultRole: 'security_guard' });
 * // { ok: true, members: [{ name: '张伟', phone: '13911110001', role: 'police_officer' }] }
 */
export function parseMembersCsv(text: string, options: { defaultRole: MemberRole }): MembersCsvResult {
  const { records, unterminatedAt } = parseCsv(text);
  if (unterminatedAt !== undefined) return { ok: false, issues: [{ row: unterminatedAt, code: 'unterminated' }] };
  const [header, ...rows] = records;
  if (!header) return { ok: false, issues: [{ row: 1, code: 'empty' }] };
  const names = header.fields.map((f) => f.trim().toLowerCase().replace(/\s+/g, ' '));
  const column = (key: keyof typeof HEADERS) => names.findIndex((n) => HEADERS[key].includes(n));
  const at = { name: column('name'), phone: column('phone'), role: column('role') };
  const missing = (['name', 'phone'] as const).filter((k) => at[k] < 0);
  if (missing.length > 0) return { ok: false, issues: missing.map((detail) => ({ row: header.row, code: 'missing_column', detail })) };

  const issues: MemberCsvIssue[] = [];
  const members: TeamMember[] = [];
  for (const { row, fields } of rows) {
    if (fields.every((f) => f.trim() === '')) continue;
    const name = (fields[at.name] ?? '').trim();
    const phone = (fields[at.phone] ?? '').trim();
    const roleText = at.role >= 0 ? (fields[at.role] ?? '').trim() : '';
    const role = roleText === '' ? options.defaultRole : roleOf(roleText);
    if (!name || name.length > 32) issues.push({ row, code: 'blank_name' });
    else if (!PHONE.test(phone)) issues.push({ row, code: 'bad_phone', detail: phone });
    else if (!role) issues.push({ row, code: 'unknown_role', detail: roleText });
    else members.push({ name, phone, role });
  }
  if (members.length + issues.length > MAX_MEMBERS) issues.push({ row: rows.at(-1)?.row ?? 1, code: 'too_many', detail: String(MAX_MEMBERS) });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, members };
}

function roleOf(text: string): MemberRole | undefined {
  const word = text.toLowerCase().replace(/[_\s]+/g, ' ');
  return ROLE_WORDS[text] ?? ROLE_WORDS[word] ?? MEMBER_ROLES.find((r) => r === word.replace(/ /g, '_'));
}
