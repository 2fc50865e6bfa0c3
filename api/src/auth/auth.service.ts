import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppError, NotFoundError, ValidationError } from '../common/errors';
import { CONFIG } from '../common/tokens';
import type { AppConfig } from '../config/config';
import { AuditRepository } from '../audit/audit.repository';
import { Access, currentAccess, grants, ROLE_LABELS, type Role } from './access';
import { AuthRepository, type UserRow } from './auth.repository';
import type { ChangePasswordRequest, CreateUser, PatchUser, UserView } from './auth.schemas';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords';

export const SESSION_COOKIE = 'mspr_session';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

interface CachedSession {
  access: Access;
  csrfToken: string;
  /** when this process read the row; re-read after SESSION_RECHECK_MS so a logout or a disabled user elsewhere counts */
  readAt: number;
  touchedAt: number;
}

/** How long a session read stays trusted in this process, and how often its idle expiry slides. */
const SESSION_RECHECK_MS = 10_000;
const SESSION_TOUCH_MS = 60_000;

export function userView(u: UserRow): UserView {
  return {
    ...u,
    id: Number(u.id),
    roleLabel: ROLE_LABELS[u.role],
    createdAt: new Date(u.createdAt).toISOString(),
    passwordChangedAt: u.passwordChangedAt ? new Date(u.passwordChangedAt).toISOString() : null,
  };
}

/** Sign-in, sessions and user management. */
@Injectable()
export class AuthService {
  private readonly sessions = new Map<string, CachedSession>();

  constructor(
    private readonly repo: AuthRepository,
    private readonly audit: AuditRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  private expiry(): Date {
    return new Date(Date.now() + this.config.auth.sessionHours * 3600_000);
  }

  /** The regions a user may read: null for every region (administrators and national officials). */
  private async regionsOf(u: UserRow): Promise<string[] | null> {
    if (u.role === 'admin') return null;
    if (!u.regionCode) return [];
    if (u.role === 'analyst' || u.role === 'hospital') return [u.regionCode];
    if (u.regionCode === '000000') return null;
    return this.repo.regionTree(u.regionCode);
  }

  private async accessOf(u: UserRow): Promise<Access> {
    return {
      userId: Number(u.id),
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      regionCode: u.regionCode,
      institutionCode: u.institutionCode,
      regions: await this.regionsOf(u),
    };
  }

  /** Checks a password and opens a session: the cookie's token (returned once, stored only as its hash) and the CSRF token. */
  async login(username: string, password: string, ip: string | null, userAgent: string | null): Promise<{ token: string; csrfToken: string; user: UserView }> {
    const found = await this.repo.credentials(username);
    const ok = await verifyPassword(found?.passwordHash ?? null, password);
    if (!found || !ok || found.user.disabled) {
      throw new AppError('AUTH.INVALID_CREDENTIALS', '用户名或密码错误，或账号已停用 (wrong username or password, or the account is disabled)', 401);
    }
    const token = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    await this.repo.createSession({ tokenHash: sha256(token), userId: Number(found.user.id), csrfToken, expiresAt: this.expiry(), ip, userAgent });
    return { token, csrfToken, user: userView(found.user) };
  }

  /** The session of a cookie's token, or null when it is unknown, expired, or its user is disabled. */
  async resolve(token: string): Promise<{ access: Access; csrfToken: string; tokenHash: string } | null> {
    const tokenHash = sha256(token);
    const now = Date.now();
    let c = this.sessions.get(tokenHash);
    if (!c || now - c.readAt > SESSION_RECHECK_MS) {
      const row = await this.repo.session(tokenHash);
      if (!row) {
        this.sessions.delete(tokenHash);
        return null;
      }
      c = { access: await this.accessOf(row.user), csrfToken: row.csrfToken, readAt: now, touchedAt: c?.touchedAt ?? new Date(row.lastSeenAt).getTime() };
      if (this.sessions.size > 10_000) this.sessions.clear();
      this.sessions.set(tokenHash, c);
    }
    if (now - c.touchedAt > SESSION_TOUCH_MS) {
      c.touchedAt = now;
      await this.repo.touchSession(tokenHash, this.expiry());
    }
    return { access: c.access, csrfToken: c.csrfToken, tokenHash };
  }

  async logout(tokenHash: string): Promise<void> {
    this.sessions.delete(tokenHash);
    await this.repo.deleteSession(tokenHash);
  }

  async me(userId: number): Promise<UserView> {
    const u = await this.repo.user(userId);
    if (!u) throw new AppError('AUTH.UNAUTHENTICATED', '请先登录 (sign in first)', 401);
    return userView(u);
  }

  /** Changes the signed-in user's own password; their other sessions end. */
  async changePassword(userId: number, tokenHash: string, body: ChangePasswordRequest): Promise<void> {
    if (!(await verifyPassword(await this.repo.passwordHash(userId), body.currentPassword))) {
      throw new ValidationError([{ path: 'body.currentPassword', message: '当前密码不正确 (the current password is wrong)' }], 'body');
    }
    checkPasswordStrength(body.newPassword);
    const h = await hashPassword(body.newPassword);
    await this.repo.transaction(async (m) => {
      await this.repo.setPassword(m, userId, h, tokenHash);
      const u = await this.repo.user(userId, m);
      await this.audit.record(m, { action: 'user.password.change', entity: 'user', entityId: userId, regionCode: u?.regionCode ?? null });
    });
    this.forgetUser(userId, tokenHash);
  }

  private forgetUser(userId: number, keep: string | null = null): void {
    for (const [k, v] of this.sessions) if (v.access.userId === userId && k !== keep) this.sessions.delete(k);
  }

  // ---- user management (administrators) ----

  /** Users an administrator may manage: every user (a national administrator) or those of their regions. */
  async list(): Promise<UserView[]> {
    return (await this.repo.users(currentAccess()?.regions ?? null)).map(userView);
  }

  private async checkPlacement(role: Role, regionCode: string | null, institutionCode: string | null): Promise<void> {
    if (role !== 'admin' && !regionCode) throw new ValidationError([{ path: 'body.regionCode', message: '该角色须指定地区 (this role needs a region)' }], 'body');
    if (regionCode && !(await this.repo.regionExists(regionCode))) {
      throw new ValidationError([{ path: 'body.regionCode', message: `地区 ${regionCode} 不存在 (unknown region)` }], 'body');
    }
    if (role === 'hospital') {
      if (!institutionCode) throw new ValidationError([{ path: 'body.institutionCode', message: '医院报价用户须指定医疗机构 (a hospital user needs an institution)' }], 'body');
      const r = await this.repo.institutionRegion(institutionCode);
      if (r === null) throw new ValidationError([{ path: 'body.institutionCode', message: `医疗机构 ${institutionCode} 不存在 (unknown institution)` }], 'body');
      if (r !== regionCode) throw new ValidationError([{ path: 'body.institutionCode', message: `医疗机构 ${institutionCode} 不在地区 ${regionCode} (the institution lies in ${r})` }], 'body');
    } else if (institutionCode) {
      throw new ValidationError([{ path: 'body.institutionCode', message: '只有医院报价用户绑定医疗机构 (only hospital users have an institution)' }], 'body');
    }
  }

  async create(body: CreateUser): Promise<UserView> {
    const regionCode = body.role === 'admin' ? (body.regionCode ?? null) : (body.regionCode ?? null);
    const institutionCode = body.institutionCode ?? null;
    await this.checkPlacement(body.role, regionCode, institutionCode);
    checkPasswordStrength(body.password, 'body.password');
    if (await this.repo.usernameTaken(body.username)) {
      throw new AppError('USER.EXISTS', `用户名 ${body.username} 已存在 (the username is taken)`, 409, [{ path: 'body.username', message: 'taken' }]);
    }
    const passwordHash = await hashPassword(body.password);
    const id = await this.repo.transaction(async (m) => {
      const id = await this.repo.insertUser(m, { username: body.username, displayName: body.displayName, role: body.role, regionCode, institutionCode, passwordHash });
      const after = await this.repo.user(id, m);
      await this.audit.record(m, { action: 'user.create', entity: 'user', entityId: id, regionCode, after: after && userView(after) });
      return id;
    });
    return this.get(id);
  }

  async get(id: number): Promise<UserView> {
    const u = await this.repo.user(id);
    const scope = currentAccess()?.regions ?? null;
    if (!u || (scope !== null && !(u.regionCode && scope.includes(u.regionCode)))) throw new NotFoundError('USER.NOT_FOUND', `用户 ${id} 不存在 (unknown user)`);
    return userView(u);
  }

  async update(id: number, body: PatchUser): Promise<UserView> {
    const before = await this.get(id);
    const me = currentAccess();
    if (me?.userId === id && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
      throw new AppError('USER.SELF_LOCKOUT', '不能停用自己或取消自己的管理员角色 (you cannot disable yourself or drop your own administrator role)', 422);
    }
    const next = {
      displayName: body.displayName ?? before.displayName,
      role: body.role ?? before.role,
      regionCode: body.regionCode !== undefined ? body.regionCode : before.regionCode,
      institutionCode: body.institutionCode !== undefined ? body.institutionCode : before.institutionCode,
      disabled: body.disabled ?? before.disabled,
    };
    if (next.role !== 'hospital' && body.institutionCode === undefined) next.institutionCode = null;
    await this.checkPlacement(next.role, next.regionCode, next.institutionCode);
    await this.repo.transaction(async (m) => {
      await this.repo.updateUser(m, id, next);
      const after = await this.repo.user(id, m);
      await this.audit.record(m, { action: 'user.update', entity: 'user', entityId: id, regionCode: next.regionCode, before, after: after && userView(after) });
    });
    this.forgetUser(id);
    return this.get(id);
  }

  /** An administrator sets a new password; every session of that user ends. */
  async resetPassword(id: number, password: string, actor?: string): Promise<void> {
    const before = await this.get(id);
    checkPasswordStrength(password, 'body.password');
    const h = await hashPassword(password);
    await this.repo.transaction(async (m) => {
      await this.repo.setPassword(m, id, h, null);
      await this.audit.record(m, { action: 'user.password.reset', entity: 'user', entityId: id, regionCode: before.regionCode }, actor);
    });
    this.forgetUser(id);
  }

  /** For the command line and the demo seeding: a user with a password, or the existing one unchanged. */
  async ensureUser(u: CreateUser, actor: string): Promise<{ created: boolean; user: UserView }> {
    const existing = await this.repo.credentials(u.username);
    if (existing) return { created: false, user: userView(existing.user) };
    await this.checkPlacement(u.role, u.regionCode ?? null, u.institutionCode ?? null);
    checkPasswordStrength(u.password, 'password');
    const passwordHash = await hashPassword(u.password);
    const id = await this.repo.transaction(async (m) => {
      const id = await this.repo.insertUser(m, { username: u.username, displayName: u.displayName, role: u.role, regionCode: u.regionCode ?? null, institutionCode: u.institutionCode ?? null, passwordHash });
      await this.audit.record(m, { action: 'user.create', entity: 'user', entityId: id, regionCode: u.regionCode ?? null, after: { username: u.username, role: u.role, regionCode: u.regionCode ?? null } }, actor);
      return id;
    });
    return { created: true, user: userView((await this.repo.user(id))!) };
  }

  /** Whether the current request's user has `p`. */
  static may(a: Access | undefined, p: Parameters<typeof grants>[1]): boolean {
    return !!a && grants(a.role, p);
  }
}
