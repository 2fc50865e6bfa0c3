/**
 * Errors with stable string codes. Domain and service code throw these; the HTTP layer maps them to one JSON shape:
 * { statusCode, code, message, details }.
 */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly statusCode = 422,
    public readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 404, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 409, details);
  }
}

/**
 * The database cannot be reached for now (a lost connection, the server restarting): 503 with Retry-After. The request
 * may be sent again; a write that got this answer may or may not have been saved (read it back before repeating it).
 */
export class DatabaseUnavailableError extends AppError {
  static readonly CODE = 'DATABASE.UNAVAILABLE';
  constructor() {
    super(DatabaseUnavailableError.CODE, '数据库暂时不可用，请稍后重试 (the database is temporarily unavailable; please retry shortly)', 503);
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(issues: FieldIssue[], where = 'request') {
    super('VALIDATION.FAILED', `请求参数无效 (invalid ${where}): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, 400, issues);
  }
}

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}
