import { describe, expect, it } from 'vitest';
import { checkPassword, checkUsername, generatePassword } from './account-rules.js';

describe('account rules', () => {
  it('accepts a password of 10 characters with letters and digits', () => {
    expect(checkPassword('Demo-2026-biaotu')).toEqual({ ok: true });
    expect(checkPassword('abcdefghi1')).toEqual({ ok: true });
  });

  it('refuses a short password', () => {
    expect(checkPassword('abc123')).toMatchObject({ ok: false });
  });

  it('refuses a password without digits or without letters', () => {
    const lettersOnly = checkPassword('abcdefghijkl');
    const digitsOnly = checkPassword('123456789012');
    expect(lettersOnly.ok).toBe(false);
    expect(digitsOnly.ok).toBe(false);
    if (!lettersOnly.ok) expect(lettersOnly.reason).toContain('数字');
    if (!digitsOnly.ok) expect(digitsOnly.reason).toContain('字母');
  });

  it('accepts usernames of 3–32 lower-case letters, digits, _ and -', () => {
    expect(checkUsername('planner-huli')).toEqual({ ok: true });
    expect(checkUsername('a_1')).toEqual({ ok: true });
  });

  it('refuses usernames that are too short, too long or not lower-case', () => {
    expect(checkUsername('ab')).toEqual({ ok: false, reason: '用户名须为 3–32 位' });
    expect(checkUsername('a'.repeat(33))).toEqual({ ok: false, reason: '用户名须为 3–32 位' });
    expect(checkUsername('Planner')).toEqual({ ok: false, reason: '用户名只能包含小写字母、数字、下划线和连字符' });
    expect(checkUsername('张三abc')).toMatchObject({ ok: false });
  });

  it('generates passwords the rule accepts, in three groups of four', () => {
    for (let index = 0; index < 200; index++) {
      const password = generatePassword();
      expect(checkPassword(password)).toEqual({ ok: true });
      expect(password).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
    }
  });

  it('draws again until letters and digits are both present', () => {
    // First draw: only letters (index 0 = 'a'); then digits appear.
    let call = 0;
    const random = (values: Uint32Array): Uint32Array => {
      call++;
      values.fill(call === 1 ? 0 : 47);
      values[0] = 0;
      return values;
    };
    const password = generatePassword(random);
    expect(call).toBeGreaterThan(1);
    expect(checkPassword(password)).toEqual({ ok: true });
  });

  it('never uses characters people confuse (0 and O, 1, l and I)', () => {
    const passwords = Array.from({ length: 100 }, () => generatePassword()).join('');
    expect(passwords).not.toMatch(/[01IOlo]/);
  });
});
