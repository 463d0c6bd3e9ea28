import { describe, expect, it } from 'vitest';
import { fieldName, wordProblem, type Problem } from '../../../web/src/lib/problem.ts';

const problemText = (p: Problem) => wordProblem('zh-CN', p);

describe('a server refusal shown in the user\'s language', () => {
  it('names the field and the limit in Chinese by default, and in English after the switch', () => {
    const problem = { status: 400, code: 'too_long', field: 'body.name', params: { limit: 32 } };
    expect(problemText(problem)).toBe('名称：最多 32 个字');
    expect(wordProblem('en', problem)).toBe('Name: at most 32 characters');
  });

  it('words a status with no code of its own, and a lost network, never in the server\'s English', () => {
    expect(problemText({ status: 403, code: 'forbidden' })).toBe('不在您的权限范围内');
    expect(problemText({ status: 409 })).toBe('与已有内容冲突，请刷新后再试');
    expect(problemText({ status: 502 })).toBe('服务器出错了，请稍后再试');
    expect(problemText({})).toBe('网络不通，请检查网络后再试');
  });

  it('falls back to the status when a newer server sends a code this page does not know', () => {
    expect(problemText({ status: 404, code: 'some_future_code' })).toBe('找不到，可能已被删除');
  });

  it('fills in a domain reason\'s values', () => {
    expect(problemText({ status: 422, code: 'checkin_too_far', field: 'body.lon', params: { distance: 340, allowed: 50 } })).toBe('距离 340 米，需在 50 米内');
  });

  it('takes the last named part of a nested field, and a field it has no label for by its name', () => {
    expect(fieldName('body.members.2.phone')).toBe('phone');
    expect(fieldName('body.holidays[3].date')).toBe('date');
    expect(fieldName('body')).toBeNull();
    expect(problemText({ status: 400, code: 'required', field: 'body.widget' })).toBe('widget：必填');
  });
});
