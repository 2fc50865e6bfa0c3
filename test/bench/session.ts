import type { INestApplication } from '@nestjs/common';
import { AuditRepository } from '../../api/src/audit/audit.repository';
import { AuthRepository } from '../../api/src/auth/auth.repository';
import { AuthService } from '../../api/src/auth/auth.service';
import { loadConfig } from '../../api/src/config/config';
import { createDataSource } from '../../api/src/database/data-source';
import { remember, sessionHeaders, signIn, type Session } from '../support/http';

let current: Session | null = null;

/** The headers of the benchmark's last session (cookie and CSRF token), for requests not sent through apiFetch. */
export function benchHeaders(): Record<string, string> {
  return sessionHeaders(current, 'POST');
}

/** The administrator the benchmarks sign in as (created in the bench database when missing). */
export const BENCH_ADMIN = { username: 'bench-admin', password: 'bench-admin-2026' };

/**
 * Signs the benchmark in to an app it started in-process: the administrator is created if missing, and the session
 * is remembered for `apiFetch(base, …)` (test/support/http).
 */
export async function benchSignIn(app: INestApplication, base: string): Promise<Session> {
  await app.get(AuthService).ensureUser({ ...BENCH_ADMIN, displayName: '基准测试', role: 'admin' }, 'bench');
  const s = await signIn(base, BENCH_ADMIN.username, BENCH_ADMIN.password);
  remember(base, s);
  current = s;
  return s;
}

/**
 * Signs the benchmark in to an API running in another process on `databaseUrl`: the administrator is created in that
 * database if missing (as `npm run user -- create-admin` would), then signed in over HTTP and remembered for `base`.
 */
export async function benchSignInRemote(databaseUrl: string, base: string): Promise<Session> {
  const ds = createDataSource(databaseUrl, 1);
  await ds.initialize();
  try {
    const auth = new AuthService(new AuthRepository(ds), new AuditRepository(ds), loadConfig({ DATABASE_URL: databaseUrl, NODE_ENV: 'production' }));
    await auth.ensureUser({ ...BENCH_ADMIN, displayName: '基准测试', role: 'admin' }, 'bench');
  } finally {
    await ds.destroy();
  }
  const s = await signIn(base, BENCH_ADMIN.username, BENCH_ADMIN.password);
  remember(base, s);
  current = s;
  return s;
}
