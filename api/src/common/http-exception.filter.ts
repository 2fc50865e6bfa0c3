import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../database/availability';
import { AppError, DatabaseUnavailableError, ErrorBody } from './errors';

const STATUS_CODES: Record<number, string> = {
  400: 'REQUEST.BAD',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  409: 'REQUEST.CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Turns every error into the one JSON error shape. A lost or refused database connection is 503 DATABASE.UNAVAILABLE
 * with Retry-After; other unknown errors are logged and answered 500 without internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.toBody(exception, req);
    const unavailable = body.code === DatabaseUnavailableError.CODE;
    if (unavailable) this.logger.warn({ err: (exception as Error)?.message, url: req.url }, 'database unavailable');
    else if (body.statusCode >= 500) this.logger.error({ err: exception, url: req.url }, 'request failed');
    if (res.headersSent) return;
    if (unavailable) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, req: Request): ErrorBody {
    if (exception instanceof AppError) {
      const b: ErrorBody = { statusCode: exception.statusCode, code: exception.code, message: exception.message };
      if (exception.details !== undefined) b.details = exception.details;
      return b;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const r = exception.getResponse();
      let message = exception.message;
      if (status === HttpStatus.NOT_FOUND) message = `未找到 (not found): ${req.method} ${req.originalUrl ?? req.url}`;
      else if (typeof r === 'object' && r && 'message' in r) {
        const m = (r as { message: unknown }).message;
        message = Array.isArray(m) ? m.join('; ') : String(m);
      }
      if (status === HttpStatus.BAD_REQUEST && /JSON/i.test(message)) message = `请求体不是有效的 JSON (malformed JSON body)`;
      return { statusCode: status, code: STATUS_CODES[status] ?? `HTTP.${status}`, message };
    }
    // body-parser errors carry a status (e.g. 400 for malformed JSON, 413 for a too large body)
    const status = (exception as { status?: number; statusCode?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed'
          ? '请求体不是有效的 JSON (malformed JSON body)'
          : type === 'entity.too.large'
            ? '请求体过大 (request body too large)'
            : String((exception as Error).message);
      return { statusCode: status, code: STATUS_CODES[status] ?? `HTTP.${status}`, message };
    }
    if (isDatabaseUnavailable(exception)) return this.toBody(new DatabaseUnavailableError(), req);
    return { statusCode: 500, code: 'INTERNAL', message: '服务器内部错误，请联系管理员 (internal server error)' };
  }
}
