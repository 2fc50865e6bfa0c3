/** Sign-in, sign-out, the current user, and a user's own password. */
import type { SessionUser } from '../stores/session';
import { ApiError, getJson, postJson } from './client';

export interface SessionView {
  user: SessionUser;
  csrfToken: string;
}

/** The current session, or null when nobody is signed in. */
export async function fetchSession(): Promise<SessionView | null> {
  try {
    return await getJson<SessionView>('/api/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export const login = (username: string, password: string) => postJson<SessionView>('/api/auth/login', { username, password });
export const logout = () => postJson<void>('/api/auth/logout');
export const changePassword = (currentPassword: string, newPassword: string) => postJson<void>('/api/auth/password', { currentPassword, newPassword });
