/** Password rule shared by the server (enforced) and the client (checked while typing). */
export const PASSWORD_MIN_LENGTH = 10;

export type PasswordProblem = 'too_short' | 'needs_letter' | 'needs_digit' | 'too_long';

export const PASSWORD_PROBLEM_MESSAGES: Readonly<Record<PasswordProblem, string>> = {
  too_short: `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符`,
  needs_letter: '密码需要包含字母',
  needs_digit: '密码需要包含数字',
  too_long: '密码不能超过 128 个字符',
};

export function passwordProblems(password: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (password.length > 128) problems.push('too_long');
  if (!/[A-Za-z]/.test(password)) problems.push('needs_letter');
  if (!/[0-9]/.test(password)) problems.push('needs_digit');
  return problems;
}

/** Usernames: 3–32 characters of lower-case letters, digits, '_' and '-'. */
export const USERNAME_PATTERN = '^[a-z0-9_-]{3,32}$';
