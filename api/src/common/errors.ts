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
