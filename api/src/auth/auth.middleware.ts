import crypto from 'node:crypto';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DatabaseUnavailableError, type ErrorBody } from '../common/errors';
import { RETRY_AFTER_SECONDS } from '../database/availability';
import { runAs } from './access';
import { AuthService, SESSION_COOKIE } from './auth.service';

/** API paths answered without a session: health, sign-in, and the OpenAPI document (it describes, it holds no data). */
const PUBLIC = [/^\/api\/health\/?$/, /^\/api\/auth\/login\/?$/, /^\/api\/docs(\/|-json|$)/];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function refuse(res: Response, statusCode: number, code: string, message: string): void {
  const body: ErrorBody = { statusCode, code, message };
  res.status(statusCode).json(body);
}

function sameBuffer(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export interface SessionRequest extends Request {
  session?: { tokenHash: string; csrfToken: string };
}

/**
 * Before any API route: refuses cross-site writes (an Origin or Sec-Fetch-Site of another site), requires a live
 * session (the httpOnly cookie) on every path but the public ones, and on every change (POST, PUT, PATCH, DELETE) the
 * session's CSRF token in the X-CSRF-Token header. The rest of the request then runs as the session's user.
 */
export function authMiddleware(auth: AuthService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const path = (req.originalUrl ?? req.url).split('?')[0];
    if (!path.startsWith('/api')) return next();
    const requestId = String((req as { id?: unknown }).id ?? crypto.randomUUID());
    const mutation = !SAFE_METHODS.has(req.method);
    if (mutation) {
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      let foreign = site === 'cross-site';
      if (origin) {
        try {
          foreign ||= new URL(origin).host !== req.headers.host;
        } catch {
          foreign = true;
        }
      }
      if (foreign) return refuse(res, 403, 'AUTH.CROSS_ORIGIN', '拒绝来自其他网站的修改请求 (a change sent from another site is refused)');
    }
    if (PUBLIC.some((p) => p.test(path))) return next();
    const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
    if (!token) return refuse(res, 401, 'AUTH.UNAUTHENTICATED', '请先登录 (sign in first)');
    auth.resolve(token).then(
      (s) => {
        if (!s) return refuse(res, 401, 'AUTH.UNAUTHENTICATED', '登录已过期，请重新登录 (the session has ended; sign in again)');
        if (mutation) {
          const sent = req.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !sameBuffer(sent, s.csrfToken)) {
            return refuse(res, 403, 'AUTH.CSRF', '请求缺少有效的 CSRF 令牌，请刷新页面后重试 (missing or wrong X-CSRF-Token; reload the page)');
          }
        }
        (req as SessionRequest).session = { tokenHash: s.tokenHash, csrfToken: s.csrfToken };
        runAs(s.access, requestId, () => next());
      },
      () => {
        // the one 503 answer of the API (common/http-exception.filter.ts): same code, message and Retry-After
        const e = new DatabaseUnavailableError();
        res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        refuse(res, e.statusCode, e.code, e.message);
      },
    );
  };
}

/** The middleware for Nest's consumer (it runs after the body parsers, so the request's context reaches the routes). */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  private readonly handler: RequestHandler;
  constructor(auth: AuthService) {
    this.handler = authMiddleware(auth);
  }
  use(req: Request, res: Response, next: NextFunction): void {
    this.handler(req, res, next);
  }
}
