/**
 * A members spreadsheet (CSV) as chosen in the team form: decoded as UTF-8, or GB18030 when it is
 * not valid UTF-8 (what Excel on a Chinese Windows saves), then read by the geo package's parser.
 */
import { parseMembersCsv, type MemberCsvIssue, type MemberRole, type MembersCsvResult } from '@lianfang/geo';
// Relative, not `$lib`: unit tests import this file outside SvelteKit.
import type { MessageKey, MessageParams } from '../i18n/messages';

/** The bytes as text: UTF-8 if they are valid UTF-8, else GB18030 (GBK's superset). */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export function readMembersCsv(bytes: Uint8Array, defaultRole: MemberRole): MembersCsvResult {
  return parseMembersCsv(decodeCsv(bytes), { defaultRole });
}

/** An issue in the user's words: "第 3 行：电话格式不对（abc）". */
export function issueText(issue: MemberCsvIssue, t: (key: MessageKey, params?: MessageParams) => string): string {
  const column = issue.detail && ['name', 'phone', 'role'].includes(issue.detail) ? t(`teams.field.member${issue.detail[0]!.toUpperCase()}${issue.detail.slice(1)}` as MessageKey) : (issue.detail ?? '');
  return t('teams.csv.row', { row: issue.row, reason: t(`teams.csv.${issue.code}` as MessageKey, { detail: column }) });
}
