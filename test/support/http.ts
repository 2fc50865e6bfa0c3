/** The parsed JSON body of a response, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response): Promise<any> {
  return res.json();
}

/** A signed-in session: the cookie to send and the CSRF token every change carries. */
export interface Session {
  cookie: string;
  csrfToken: string;
  username: string;
}

/** Signs in through the API; throws when the answer is not 200. */
export async function signIn(base: string, username: string, password: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken, username };
}

const sessions = new Map<string, Session>();

/** The default session of an app (its administrator), used by `caller` and `apiFetch` when none is given. */
export function remember(base: string, s: Session): void {
  sessions.set(base, s);
}

/** The headers that make a request from `session` (the cookie, and the CSRF token on changes). */
export function sessionHeaders(session: Session | null, method = 'GET'): Record<string, string> {
  if (!session) return {};
  return ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()) ? { cookie: session.cookie } : { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

/** fetch() for the API at `base`, as `session` (default: the app's administrator; null: no session). */
export function apiFetch(base: string, p: string, init: RequestInit = {}, session?: Session | null): Promise<Response> {
  const s = session === undefined ? (sessions.get(base) ?? null) : session;
  const headers = { ...sessionHeaders(s, init.method ?? 'GET'), ...(init.headers as Record<string, string> | undefined) };
  return fetch(`${base}${p}`, { ...init, headers });
}

/** A JSON request helper bound to the app's base URL (read lazily, once the app listens), as `session` (default: the app's administrator). */
export function caller(base: () => string, session?: () => Session | null) {
  return async (method: string, p: string, body?: unknown) => {
    const res = await apiFetch(
      base(),
      p,
      {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      session?.(),
    );
    const text = await res.text();
    // a 204 (sign-out, a password set) has no body
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
}
