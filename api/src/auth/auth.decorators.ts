import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission } from './access';

export const PERMISSIONS_KEY = 'mspr:permissions';
export const PUBLIC_KEY = 'mspr:public';

/**
 * What an endpoint needs: any one of `permissions`. Every endpoint but the public ones declares this; the access
 * guard refuses an endpoint without it (closed by default), and the OpenAPI document lists it as `x-permissions`.
 */
export function Allow(...permissions: Permission[]) {
  return applyDecorators(
    SetMetadata(PERMISSIONS_KEY, permissions),
    ApiCookieAuth('mspr_session'),
    ApiUnauthorizedResponse({ description: '未登录 (no session): AUTH.UNAUTHENTICATED' }),
    ApiForbiddenResponse({ description: `无权限 (forbidden): AUTH.FORBIDDEN；需要 ${permissions.join(' 或 ')}` }),
  );
}

/** An endpoint anyone may call without a session (health, sign-in). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
