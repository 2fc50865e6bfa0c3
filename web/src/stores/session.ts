/**
 * The signed-in user and the CSRF token the API wants back on every change. Read once at start (GET /api/auth/me);
 * a 401 from any request clears it and sends the user to the sign-in page, back to where they were afterwards.
 */
import { reactive } from 'vue';

export type Role = 'admin' | 'pricing_officer' | 'analyst' | 'hospital' | 'viewer';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: string;
  regionCode: string | null;
  regionName: string | null;
  institutionCode: string | null;
  /** a hospital user's institution by name (null when the institution is not loaded) */
  institutionName: string | null;
}

export const session = reactive<{ user: SessionUser | null; csrfToken: string | null; checked: boolean }>({
  user: null,
  csrfToken: null,
  checked: false,
});

export function setSession(s: { user: SessionUser; csrfToken: string } | null): void {
  session.user = s?.user ?? null;
  session.csrfToken = s?.csrfToken ?? null;
  session.checked = true;
}

/** Whether the signed-in user may change data (rounds, rule sets, scenarios): not a viewer, not a hospital user. */
export function canWrite(): boolean {
  return !!session.user && ['admin', 'pricing_officer', 'analyst'].includes(session.user.role);
}

/** Whether the signed-in user may read a region's data (rounds, indicators, analyses): everyone but a hospital user. */
export function canRead(): boolean {
  return !!session.user && session.user.role !== 'hospital';
}

/** Whether the signed-in user may read the audit trail (of their regions): not a viewer, not a hospital user. */
export function canReadAudit(): boolean {
  return !!session.user && ['admin', 'pricing_officer', 'analyst'].includes(session.user.role);
}

/** Whether the signed-in user is an administrator (user management). */
export function isAdmin(): boolean {
  return session.user?.role === 'admin';
}

/** Called by the API client on a 401: the session has ended. Set by the router (it knows where to send the user). */
let onSignedOut: () => void = () => undefined;
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}
export function signedOut(): void {
  setSession(null);
  onSignedOut();
}
