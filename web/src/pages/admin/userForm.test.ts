import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { dateTime, fieldErrors, needsInstitution, needsRegion, passwordProblems, USERNAME } from './userForm';

describe('the user forms', () => {
  it('checks a password as the API does: 8–128 characters with a letter and a digit', () => {
    expect(passwordProblems('abcdefg1')).toEqual([]);
    expect(passwordProblems('abc1')).toEqual(['passwordShort']);
    expect(passwordProblems('abcdefgh')).toEqual(['passwordMix']);
    expect(passwordProblems('12345678')).toEqual(['passwordMix']);
    expect(passwordProblems('')).toEqual(['passwordShort', 'passwordMix']);
    expect(passwordProblems(`a1${'x'.repeat(127)}`)).toEqual(['passwordLong']);
  });

  it('takes the usernames the API takes', () => {
    expect(USERNAME.test('xm.analyst@2026')).toBe(true);
    expect(USERNAME.test('x')).toBe(false);
    expect(USERNAME.test('厦门分析')).toBe(false);
    expect(USERNAME.test('has space')).toBe(false);
  });

  it('asks a region of every role but the administrator, an institution of the hospital user only', () => {
    expect(['admin', 'pricing_officer', 'analyst', 'hospital', 'viewer'].filter((r) => needsRegion(r as never))).toEqual(['pricing_officer', 'analyst', 'hospital', 'viewer']);
    expect(['admin', 'pricing_officer', 'analyst', 'hospital', 'viewer'].filter((r) => needsInstitution(r as never))).toEqual(['hospital']);
  });

  it('puts the API field errors under the fields they name, in Chinese', () => {
    const validation = new ApiError({
      statusCode: 400,
      code: 'VALIDATION.FAILED',
      message: '请求参数无效 (invalid body): body.password: 至少 8 个字符 (at least 8 characters)',
      details: [
        { path: 'body.password', message: '至少 8 个字符 (at least 8 characters)' },
        { path: 'body.password', message: '须含字母和数字 (needs a letter and a digit)' },
        { path: 'body.unknownField', message: '未知字段' },
        { path: 'query.x', message: '无关' },
      ],
    });
    expect(fieldErrors(validation, ['username', 'password'])).toEqual({ password: '至少 8 个字符 (at least 8 characters)；须含字母和数字 (needs a letter and a digit)' });
    const taken = new ApiError({ statusCode: 409, code: 'USER.EXISTS', message: '用户名 xm 已存在 (the username is taken)', details: [{ path: 'body.username', message: 'taken' }] });
    expect(fieldErrors(taken, ['username'])).toEqual({ username: '用户名 xm 已存在 (the username is taken)' });
    const self = new ApiError({ statusCode: 422, code: 'USER.SELF_LOCKOUT', message: '不能停用自己' });
    expect(fieldErrors(self, ['username'])).toEqual({});
    expect(fieldErrors(new Error('boom'), ['username'])).toEqual({});
  });

  it('writes a time as date and minutes in the local zone, and nothing as a dash', () => {
    const d = new Date(2026, 4, 4, 9, 5, 30);
    expect(dateTime(d.toISOString())).toBe('2026-05-04 09:05');
    expect(dateTime(null)).toBe('—');
    expect(dateTime('not a date')).toBe('—');
  });
});
