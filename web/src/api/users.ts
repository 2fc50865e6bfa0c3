/**
 * User management (administrators): GET/POST /api/users, GET/PATCH /api/users/:id, POST /api/users/:id/password,
 * typed with the API's own schemas.
 */
import type { CreateUser, PatchUser, UserView } from '../../../api/src/auth/auth.schemas';
import type { Role } from '../stores/session';
import { getJson, patchJson, postJson } from './client';

export type { CreateUser, PatchUser, Role, UserView };

/** The roles, most powerful first (the API's ROLES). */
export const ROLES: readonly Role[] = ['admin', 'pricing_officer', 'analyst', 'hospital', 'viewer'];

/** Every user the administrator may manage, by username. */
export const listUsers = (): Promise<UserView[]> => getJson<UserView[]>('/api/users');

export const getUser = (id: number): Promise<UserView> => getJson<UserView>(`/api/users/${id}`);

/** A new user: every role but an administrator needs a region; a hospital user an institution of that region. */
export const createUser = (body: CreateUser): Promise<UserView> => postJson<UserView>('/api/users', body);

/** Changes name, role, region, institution or the disabled flag; disabling ends the user's sessions at once. */
export const updateUser = (id: number, body: PatchUser): Promise<UserView> => patchJson<UserView>(`/api/users/${id}`, body);

/** Sets a new password (8–128 characters with a letter and a digit); the user's sessions end. */
export const resetPassword = (id: number, password: string): Promise<void> => postJson<void>(`/api/users/${id}/password`, { password });
