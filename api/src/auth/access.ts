import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../common/errors';

/**
 * Who may do what, and over which regions.
 *
 * Roles (app_user.role):
 * - admin 系统管理员: every region; user management.
 * - pricing_officer 国家/省级价格管理: their region and the regions under it; may approve and implement a round.
 * - analyst 试点城市分析: their own region only; prepares rounds and scenarios.
 * - hospital 医院报价: the quotes of their own institution only.
 * - viewer 只读: reads their region's data (and the regions under it), changes nothing.
 */
export const ROLES = ['admin', 'pricing_officer', 'analyst', 'hospital', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  pricing_officer: '国家/省级价格管理',
  analyst: '试点城市分析',
  hospital: '医院报价',
  viewer: '只读',
};

/**
 * What an endpoint needs: `read` data of a region, `write` (change rounds, rule sets, scenarios), `approve` (approve or
 * implement a round), `quote` (a hospital's own quotes), `admin` (users), `audit` (the audit trail of the regions
 * one may read: administrators, price officials and analysts; not viewers nor hospitals).
 */
export type Permission = 'read' | 'write' | 'approve' | 'quote' | 'admin' | 'audit';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'approve', 'quote', 'admin', 'audit'],
  pricing_officer: ['read', 'write', 'approve', 'audit'],
  analyst: ['read', 'write', 'audit'],
  hospital: ['quote'],
  viewer: ['read'],
};

export function grants(role: Role, p: Permission): boolean {
  return GRANTS[role].includes(p);
}

/** The signed-in user of a request, with the regions they may see (null: every region). */
export interface Access {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  institutionCode: string | null;
  /** region codes this user may read; null for every region (an administrator, or a national price official) */
  regions: readonly string[] | null;
}

/** What a request carries through every call it makes: its user and its id (for the audit trail). */
export interface RequestContext {
  access: Access;
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it awaits) as `access`: the repositories read the scope from here. */
export function runAs<T>(access: Access, requestId: string, fn: () => T): T {
  return storage.run({ access, requestId }, fn);
}

/** The request's user, or undefined outside a request (command-line tools, which run with the database's rights). */
export function currentAccess(): Access | undefined {
  return storage.getStore()?.access;
}

/** The request's id (the X-Request-Id it came with or was given), or undefined outside a request. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/**
 * The regions the current request may read, for a repository's `where region_code = any($n)`; null means unrestricted
 * (an administrator, a national official, or code running outside any request such as the command-line tools).
 */
export function regionScope(): string[] | null {
  const a = storage.getStore()?.access;
  if (!a || a.regions === null) return null;
  return a.regions as string[];
}

/**
 * Runs `fn` as the current user with `regions` added to the regions they may read (no change for an unrestricted user
 * or outside a request). Only for a read whose caller decided that these regions may be shown, and shows only what
 * that caller returns: the regions comparison's aggregates of the pilot regions (GET /api/regions/compare).
 */
export function runWithRegions<T>(regions: readonly string[], fn: () => T): T {
  const ctx = storage.getStore();
  if (!ctx || ctx.access.regions === null) return fn();
  const widened: Access = { ...ctx.access, regions: [...new Set([...ctx.access.regions, ...regions])] };
  return storage.run({ ...ctx, access: widened }, fn);
}

/** The institution a hospital user is bound to (their quotes only); null for every other user. */
export function institutionScope(): string | null {
  return storage.getStore()?.access.institutionCode ?? null;
}

/** Whether the current request may read `region` (a region code); true outside a request. */
export function mayRead(region: string): boolean {
  const s = regionScope();
  return s === null || s.includes(region);
}

/** Refuses a write into a region the current user may not see (as not found: the region's existence is not told). */
export function assertRegion(region: string, field = 'regionCode'): void {
  if (!mayRead(region)) {
    throw new AppError('AUTH.REGION_FORBIDDEN', `无权操作该地区的数据 (${field}: region ${region} is outside your scope)`, 403, [{ path: field, message: 'outside your regions' }]);
  }
}

/**
 * SQL condition: `column` (a region code) lies in the current request's regions, with regionScope() bound as
 * parameter $n (null: every region). Every repository read that starts from an id or lists objects of regions uses it.
 */
export function inScope(column: string, n: number): string {
  return `($${n}::text[] is null or ${column} = any($${n}::text[]))`;
}
