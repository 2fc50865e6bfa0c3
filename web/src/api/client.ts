/** A small fetch wrapper: JSON in and out, the API's error shape turned into an Error with its Chinese message. */
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
}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError({ statusCode: res.status, code: 'HTTP.NOT_JSON', message: `服务器返回了非 JSON 内容 (HTTP ${res.status})` });
  }
  if (!res.ok) {
    const b = body as Partial<ApiErrorBody> | null;
    throw new ApiError({ statusCode: res.status, code: b?.code ?? `HTTP.${res.status}`, message: b?.message ?? `请求失败 (HTTP ${res.status})` });
  }
  return body as T;
}
