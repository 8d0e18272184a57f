import { PASSWORD_MIN_LENGTH, PASSWORD_PROBLEM_MESSAGES, passwordProblems, USERNAME_PATTERN } from '@domain/password-policy.js';

/**
 * The server's account rules, checked in the form before sending so the user learns what is wrong
 * while typing. The server checks them again and stays the authority.
 */
export type RuleCheck = { ok: true } | { ok: false; reason: string };

export const PASSWORD_RULE_TEXT = `至少 ${PASSWORD_MIN_LENGTH} 位，须同时包含字母和数字`;

/** The server's password rule (shared domain code), with its messages joined as the server joins them. */
export function checkPassword(password: string): RuleCheck {
  const problems = passwordProblems(password);
  if (problems.length === 0) return { ok: true };
  return { ok: false, reason: problems.map((problem) => PASSWORD_PROBLEM_MESSAGES[problem]).join('；') };
}

export const USERNAME_RULE_TEXT = '3–32 位小写字母、数字、下划线或连字符';

export function checkUsername(username: string): RuleCheck {
  if (new RegExp(USERNAME_PATTERN).test(username)) return { ok: true };
  if (username.length < 3 || username.length > 32) return { ok: false, reason: '用户名须为 3–32 位' };
  return { ok: false, reason: '用户名只能包含小写字母、数字、下划线和连字符' };
}

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** Picks `count` characters of `alphabet` without modulo bias. */
function pick(alphabet: string, count: number, random: (values: Uint32Array) => Uint32Array): string {
  const limit = Math.floor(0x1_0000_0000 / alphabet.length) * alphabet.length;
  let result = '';
  while (result.length < count) {
    for (const value of random(new Uint32Array(count))) {
      if (value < limit && result.length < count) result += alphabet[value % alphabet.length];
    }
  }
  return result;
}

/**
 * An initial password an administrator hands over once: 4 + 4 + 4 characters split by hyphens
 * (easy to dictate), always with letters and digits, from the browser's cryptographic random source.
 */
export function generatePassword(random: (values: Uint32Array) => Uint32Array = (values) => crypto.getRandomValues(values)): string {
  for (;;) {
    const body = pick(LETTERS + DIGITS, 12, random);
    const password = `${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8)}`;
    if (checkPassword(password).ok) return password;
  }
}
