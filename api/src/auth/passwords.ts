import { hash, verify } from '@node-rs/argon2';
import { ValidationError } from '../common/errors';

/** argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum), as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A hash to verify against when the user does not exist, so that the answer takes as long either way. */
let dummy: Promise<string> | undefined;

export async function verifyPassword(phc: string | null, password: string): Promise<boolean> {
  if (!phc) {
    dummy ??= hash('not a password of anyone');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(phc, password).catch(() => false);
}

/** Password rule: 8–128 characters with at least a letter and a digit. */
export function checkPasswordStrength(password: string, path = 'body.newPassword'): void {
  const problems: string[] = [];
  if (password.length < 8) problems.push('至少 8 个字符 (at least 8 characters)');
  if (password.length > 128) problems.push('最多 128 个字符 (at most 128 characters)');
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) problems.push('须含字母和数字 (needs a letter and a digit)');
  if (problems.length) throw new ValidationError([{ path, message: problems.join('；') }], 'body');
}
