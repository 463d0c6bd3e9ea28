import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS as SERVER_ACTIONS } from '../../../server/src/access/audit.ts';
import { AUDIT_ACTIONS, PAGE_SIZE, actionLabelKey, appendPage, auditQuery, detailText, type AuditEntry } from '../../../web/src/lib/admin/audit.ts';
import { describeRefusal } from '../../../web/src/lib/admin/refusal.ts';
import { Refusal } from '../../../web/src/lib/admin/request.ts';
import { translate, type MessageKey, type MessageParams } from '../../../web/src/lib/i18n/messages.ts';

const zh = (key: MessageKey, params?: MessageParams) => translate('zh-CN', key, params);
const en = (key: MessageKey, params?: MessageParams) => translate('en', key, params);

function entry(id: string, over: Partial<AuditEntry> = {}): AuditEntry {
  return { id, at: Number(id.split('-')[0]), actor: 'admin', role: 'admin', action: 'login', target: '', ip: '127.0.0.1', detail: {}, ...over };
}

describe('the audit log screen', () => {
  it('offers every action the server records, each with a label in both languages', () => {
    expect([...AUDIT_ACTIONS]).toEqual([...SERVER_ACTIONS]);
    for (const action of AUDIT_ACTIONS) {
      const key = actionLabelKey(action)!;
      expect(zh(key)).not.toBe(key);
      expect(en(key)).not.toBe(key);
    }
  });

  it('asks for a date range as whole days on the county clock (Beijing), whatever the PC\'s zone', () => {
    const url = new URL(auditQuery({ action: 'user_create', actor: ' admin ', fromDate: '2027-02-06', toDate: '2027-02-06' }, null), 'http://x');
    expect(url.searchParams.get('action')).toBe('user_create');
    expect(url.searchParams.get('actor')).toBe('admin');
    expect(Number(url.searchParams.get('from'))).toBe(Date.UTC(2027, 1, 5, 16));
    expect(Number(url.searchParams.get('to'))).toBe(Date.UTC(2027, 1, 6, 16) - 1);
    expect(url.searchParams.get('limit')).toBe(String(PAGE_SIZE));
  });

  it('loads older entries from where the last page ended, without showing one twice or skipping one written in the same millisecond', () => {
    const first = Array.from({ length: PAGE_SIZE }, (_, i) => entry(`${1000 - i}-0`));
    const one = appendPage([], first, null);
    expect(one.before).toBe(1000 - PAGE_SIZE + 1);
    expect(one.ended).toBe(false);
    expect(new URL(auditQuery({ action: '', actor: '', fromDate: '', toDate: '' }, one.before), 'http://x').searchParams.get('to')).toBe(String(one.before));
    // The next page repeats the last millisecond's entry, then goes on; a short page is the end.
    const two = appendPage(one.entries, [entry(`${1000 - PAGE_SIZE + 1}-0`), entry(`${1000 - PAGE_SIZE + 1}-1`), entry('5-0')], one.before);
    expect(two.entries).toHaveLength(PAGE_SIZE + 2);
    expect(two.ended).toBe(true);
  });

  it('steps back a millisecond when a whole page falls in the one already shown, so paging cannot loop', () => {
    const page = Array.from({ length: PAGE_SIZE }, (_, i) => entry(`700-${i}`));
    const next = appendPage(page, page, 700);
    expect(next.entries).toHaveLength(PAGE_SIZE);
    expect(next.before).toBe(699);
  });

  it('shows a user change\'s detail in the user\'s words, and anything else as written', () => {
    expect(detailText({ role: 'coordinator', organisationId: 'O-SC', password: 'changed', disabled: true }, zh)).toBe('角色: 协调员 · 所属单位: O-SC · 密码: 已修改 · 状态: 已停用');
    expect(detailText({ teamId: 'team-2', extra: { a: 1 }, gone: undefined }, en)).toBe('Team: team-2 · extra: {"a":1}');
    expect(detailText({ note: 'x'.repeat(500) }, en, 20)).toHaveLength(20);
  });
});

describe(describeRefusal.name, () => {
  it('puts a refusal beside its field, worded from the server\'s code in the user\'s language', () => {
    expect(describeRefusal(new Refusal(400, { field: 'body.organisationId', code: 'needs_organisation', message: 'a coordinator needs an organisationId' }), zh)).toEqual({ field: 'organisationId', text: '协调员和巡逻队员账号必须选择所属单位' });
    expect(describeRefusal(new Refusal(400, { field: 'body.password', code: 'too_short', params: { limit: 8 } }), zh)).toEqual({ field: 'password', text: '太短（至少 8 个字符）' });
    expect(describeRefusal(new Refusal(409, { field: 'body.username', code: 'username_taken', message: 'username x is taken' }), en)).toEqual({ field: 'username', text: 'this username is taken' });
    expect(describeRefusal(new Refusal(403, { field: 'body.currentPassword', code: 'wrong_password' }), zh)).toEqual({ field: 'currentPassword', text: '当前密码不正确' });
  });

  it('never shows the server\'s English: an unknown code on a known field says the value is not valid, elsewhere the common wording', () => {
    expect(describeRefusal(new Refusal(400, { field: 'body.teamId', code: 'something_new', message: 'team t-9 is gone' }), zh)).toEqual({ field: 'teamId', text: '取值无效' });
    expect(describeRefusal(new Refusal(409, { code: 'conflict', message: 'version moved' }), zh).text).toBe('与已有内容冲突，请刷新后再试');
    expect(describeRefusal(new Refusal(403, { code: 'forbidden', message: 'not yours' }), zh).text).not.toMatch(/[a-z]{3}/);
  });

  it('says "try later" for a failure of the server or the network, and "too many" for a rate limit', () => {
    expect(describeRefusal(new Refusal(503, { code: 'unavailable', message: 'store unavailable' }), zh)).toEqual({ field: null, text: '操作失败，请稍后再试' });
    expect(describeRefusal(new TypeError('Failed to fetch'), en)).toEqual({ field: null, text: 'That did not work; try again later' });
    expect(describeRefusal(new Refusal(429, { code: 'rate_limited', message: 'slow down' }), en).text).toBe('Too many attempts; try again later');
  });
});
