import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { PASSWORD_PROBLEM_MESSAGES, passwordProblems } from '../../domain/password-policy.js';
import { ApiError } from '../errors.js';

/** argon2id with the library's defaults (OWASP: m = 19 MiB, t = 2, p = 1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('not-a-real-password-0');
  return dummyHash;
}

export function assertStrongPassword(password: string, parameter = 'password'): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) {
    throw new ApiError(400, 'weak_password', `${problems.map((problem) => PASSWORD_PROBLEM_MESSAGES[problem]).join('；')}。`, { parameter });
  }
}

/** A random password that satisfies the policy (printed once for a generated admin). */
export function generatePassword(): string {
  return `${randomBytes(12).toString('base64url')}9a`;
}
