import { z } from 'zod';
import { ROLES } from './access';

const username = z.string().regex(/^[A-Za-z0-9_.@-]{2,64}$/, '用户名为 2–64 个字母、数字或 _ . @ - (2–64 letters, digits or _ . @ -)');
const password = z.string().min(1, '请输入密码 (password required)').max(128, '最多 128 个字符 (at most 128 characters)');
const displayName = z.string().trim().min(1, '请输入姓名 (name required)').max(64).regex(/^[^\u0000-\u001f]*$/, '不能含控制字符 (no control characters)');
const regionCode = z.string().regex(/^[0-9]{6}$/, '地区代码为 6 位数字 (6-digit region code)');
const institutionCode = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '机构编码无效 (invalid institution code)');

export const loginSchema = z.object({ username, password }).strict();
export type LoginRequest = z.infer<typeof loginSchema>;

export const changePasswordSchema = z.object({ currentPassword: password, newPassword: password }).strict();
export type ChangePasswordRequest = z.infer<typeof changePasswordSchema>;

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  roleLabel: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  institutionCode: z.string().nullable(),
  institutionName: z.string().nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  passwordChangedAt: z.string().nullable(),
});
export type UserView = z.infer<typeof userSchema>;

export const sessionSchema = z.object({ user: userSchema, csrfToken: z.string() });
export type SessionView = z.infer<typeof sessionSchema>;

/** An administrator's new user: every user but an administrator belongs to a region; a hospital user to an institution. */
export const createUserSchema = z
  .object({
    username,
    displayName,
    role: z.enum(ROLES),
    regionCode: regionCode.nullable().optional(),
    institutionCode: institutionCode.nullable().optional(),
    password,
  })
  .strict();
export type CreateUser = z.infer<typeof createUserSchema>;

export const patchUserSchema = z
  .object({
    displayName: displayName.optional(),
    role: z.enum(ROLES).optional(),
    regionCode: regionCode.nullable().optional(),
    institutionCode: institutionCode.nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, '至少修改一项 (change at least one field)');
export type PatchUser = z.infer<typeof patchUserSchema>;

export const resetPasswordSchema = z.object({ password }).strict();
export type ResetPassword = z.infer<typeof resetPasswordSchema>;

export const userIdSchema = z.string().regex(/^[1-9][0-9]{0,15}$/, '应为正整数 (a positive integer)').transform(Number);
