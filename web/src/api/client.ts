/**
 * The one fetch wrapper of the web app: JSON in and out, the API's error shape ({ statusCode, code, message, details })
 * turned into an ApiError that keeps the stable code and the Chinese message for the error states.
 */
import { session, signedOut } from '../stores/session';

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

export class ApiError extends Error {
  constructor(public readonly body: ApiErrorBody) {
    super(body.message);
  }
  get status(): number {
    return this.body.statusCode;
  }
  get code(): string {
    return this.body.code;
  }
}

/** Headers every API request carries: on a change, the session's CSRF token (the API refuses a change without it). */
export function sessionHeaders(method: string): Record<string, string> {
  return method !== 'GET' && session.csrfToken ? { 'X-CSRF-Token': session.csrfToken } : {};
}

/** A 401 on anything but signing in ends the session in the web app too (the user is sent to sign in). */
export function sessionEnded(path: string, status: number): void {
  if (status === 401 && !path.startsWith('/api/auth/login') && !path.startsWith('/api/auth/me')) signedOut();
}

async function request<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: accept, ...sessionHeaders(method) } };
  if (body !== undefined) {
    if (body instanceof FormData) init.body = body;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError({ statusCode: 0, code: 'HTTP.UNREACHABLE', message: `无法连接服务器 (${(e as Error).message})` });
  }
  sessionEnded(path, res.status);
  if (accept !== 'application/json' && res.ok) return (await res.arrayBuffer()) as T;
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError({ statusCode: res.status, code: 'HTTP.NOT_JSON', message: `服务器返回了非 JSON 内容 (HTTP ${res.status})` });
  }
  if (!res.ok) {
    const b = parsed as Partial<ApiErrorBody> | null;
    throw new ApiError({ statusCode: res.status, code: b?.code ?? `HTTP.${res.status}`, message: b?.message ?? `请求失败 (HTTP ${res.status})`, details: b?.details });
  }
  return parsed as T;
}

export const getJson = <T>(path: string): Promise<T> => request<T>('GET', path);
export const postJson = <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, body ?? {});
export const putJson = <T>(path: string, body: unknown): Promise<T> => request<T>('PUT', path, body);
export const patchJson = <T>(path: string, body: unknown): Promise<T> => request<T>('PATCH', path, body);
export const deleteJson = <T>(path: string): Promise<T> => request<T>('DELETE', path);
/** An Arrow IPC stream (or any binary body) as bytes. */
export const getArrow = (path: string): Promise<ArrayBuffer> => request<ArrayBuffer>('GET', path, undefined, 'application/vnd.apache.arrow.stream');
export const postForm = <T>(path: string, form: FormData): Promise<T> => request<T>('POST', path, form);

/** Query string of the defined values: qs({ year: 2025, region: undefined }) → "?year=2025". */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
