/**
 * The rules of the user forms as the API checks them (auth.schemas.ts, passwords.ts), so a form says what is wrong
 * before it is sent, and the API's field errors mapped back to the form's fields when it is sent anyway.
 */
import type { FormItemRule } from 'element-plus';
import { ApiError } from '../../api/client';
import type { Role } from '../../stores/session';

/** auth.schemas.ts `username` */
export const USERNAME = /^[A-Za-z0-9_.@-]{2,64}$/;
export const DISPLAY_NAME_MAX = 64;

export type PasswordProblem = 'passwordShort' | 'passwordLong' | 'passwordMix';

/** What is wrong with a password under the API's rule (8–128 characters with a letter and a digit); [] when nothing. */
export function passwordProblems(password: string): PasswordProblem[] {
  const out: PasswordProblem[] = [];
  if (password.length < 8) out.push('passwordShort');
  if (password.length > 128) out.push('passwordLong');
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) out.push('passwordMix');
  return out;
}

/**
 * The form rules of a new password and its repetition, shared by the create and the reset dialogs: required, the API's
 * rule (each problem in words), and the repetition equal to the password read at the time of the check.
 */
export function passwordRules(
  t: (key: string) => string,
  password: () => string,
): { password: FormItemRule[]; repeat: FormItemRule[] } {
  return {
    password: [
      {
        required: true,
        validator: (_r, v: string, cb) => {
          if (!v) return cb(new Error(t('admin.rules.passwordRequired')));
          const p = passwordProblems(v);
          return p.length ? cb(new Error(p.map((k) => t(`admin.rules.${k}`)).join('；'))) : cb();
        },
        trigger: 'blur',
      },
    ],
    repeat: [{ required: true, validator: (_r, v: string, cb) => (v === password() ? cb() : cb(new Error(t('admin.rules.repeatMismatch')))), trigger: 'blur' }],
  };
}

/** Every role but an administrator belongs to a region. */
export const needsRegion = (role: Role | ''): boolean => role !== 'admin';
/** A hospital user is bound to one institution of their region. */
export const needsInstitution = (role: Role | ''): boolean => role === 'hospital';

const CHINESE = /[\u4e00-\u9fff]/;

/**
 * The field errors of an API error whose `details[].path` names a field of the form ('body.password' → password):
 * the detail's message when it is written in Chinese, else the error's own (Chinese) message — e.g. 409 USER.EXISTS
 * says 'taken' at body.username and '用户名 … 已存在' as its message. Paths of other fields are left out.
 */
export function fieldErrors(e: unknown, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(e instanceof ApiError) || !Array.isArray(e.body.details)) return out;
  for (const d of e.body.details as unknown[]) {
    if (!d || typeof d !== 'object') continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof path !== 'string') continue;
    const field = path.replace(/^body\./, '');
    if (!fields.includes(field)) continue;
    const text = typeof message === 'string' && CHINESE.test(message) ? message : e.message;
    out[field] = out[field] ? `${out[field]}；${text}` : text;
  }
  return out;
}

/** 2026-05-04T01:02:03Z → "2026-05-04 09:02" in the browser's time zone; null → "—". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
