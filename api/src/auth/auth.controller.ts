import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors';
import { CONFIG } from '../common/tokens';
import { openApiSchema, ZodPipe } from '../common/zod.pipe';
import type { AppConfig } from '../config/config';
import { currentAccess } from './access';
import { Allow, Public } from './auth.decorators';
import type { SessionRequest } from './auth.middleware';
import { changePasswordSchema, loginSchema, sessionSchema, type ChangePasswordRequest, type LoginRequest, type SessionView } from './auth.schemas';
import { AuthService, SESSION_COOKIE } from './auth.service';

function signedIn(req: Request): { userId: number; tokenHash: string; csrfToken: string } {
  const a = currentAccess();
  const s = (req as SessionRequest).session;
  if (!a || !s) throw new AppError('AUTH.UNAUTHENTICATED', '请先登录 (sign in first)', 401);
  return { userId: a.userId, ...s };
}

@ApiTags('auth 登录')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: '登录 (sign in)',
    description:
      '用户名与密码正确时设置会话 Cookie（httpOnly, SameSite=Strict），返回用户与 CSRF 令牌；此后每个修改请求须带请求头 X-CSRF-Token。' +
      '连续失败过多时返回 429 AUTH.TOO_MANY_ATTEMPTS。',
  })
  @ApiBody({ schema: openApiSchema(loginSchema) })
  @ApiOkResponse({ schema: openApiSchema(sessionSchema) })
  async login(@Body(new ZodPipe(loginSchema)) body: LoginRequest, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SessionView> {
    const s = await this.auth.login(body.username, body.password, req.ip ?? null, req.headers['user-agent'] ?? null);
    res.cookie(SESSION_COOKIE, s.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.auth.cookieSecure,
      path: '/',
      maxAge: this.config.auth.sessionHours * 3600_000,
    });
    return { user: s.user, csrfToken: s.csrfToken };
  }

  @Post('logout')
  @Allow('read', 'write', 'approve', 'quote', 'admin')
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录 (sign out)' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(signedIn(req).tokenHash);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: this.config.auth.cookieSecure });
  }

  @Get('me')
  @Allow('read', 'write', 'approve', 'quote', 'admin')
  @ApiOperation({ summary: '当前用户与 CSRF 令牌 (the signed-in user and the CSRF token)' })
  @ApiOkResponse({ schema: openApiSchema(sessionSchema) })
  async me(@Req() req: Request): Promise<SessionView> {
    const s = signedIn(req);
    return { user: await this.auth.me(s.userId), csrfToken: s.csrfToken };
  }

  @Post('password')
  @Allow('read', 'write', 'approve', 'quote', 'admin')
  @HttpCode(204)
  @ApiOperation({ summary: '修改自己的密码 (change your password)', description: '其他已登录的会话随之失效。新密码至少 8 位，含字母和数字。' })
  @ApiBody({ schema: openApiSchema(changePasswordSchema) })
  async password(@Body(new ZodPipe(changePasswordSchema)) body: ChangePasswordRequest, @Req() req: Request): Promise<void> {
    const s = signedIn(req);
    await this.auth.changePassword(s.userId, s.tokenHash, body);
  }
}
