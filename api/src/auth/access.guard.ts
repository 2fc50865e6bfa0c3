import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '../common/errors';
import { currentAccess, grants, type Permission } from './access';
import { PERMISSIONS_KEY, PUBLIC_KEY } from './auth.decorators';

/**
 * Checks the endpoint's declared permission against the signed-in user's role. The session itself is checked before
 * routing (auth.middleware); the regions a user may see are enforced where the data is read (the repositories).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const a = currentAccess();
    if (!a) throw new AppError('AUTH.UNAUTHENTICATED', '请先登录 (sign in first)', 401);
    const needed = this.reflector.getAllAndOverride<Permission[]>(PERMISSIONS_KEY, targets);
    if (!needed || !needed.some((p) => grants(a.role, p))) {
      throw new AppError('AUTH.FORBIDDEN', `当前角色无权执行此操作 (your role may not do this${needed ? `: needs ${needed.join(' or ')}` : ''})`, 403);
    }
    return true;
  }
}
