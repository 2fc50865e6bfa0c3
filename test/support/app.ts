import type { INestApplication } from '@nestjs/common';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../api/src/app';
import type { Role } from '../../api/src/auth/access';
import { AuthService } from '../../api/src/auth/auth.service';
import { loadConfig } from '../../api/src/config/config';
import { remember, signIn, type Session } from './http';

/** The administrator every test app has (its session is what `caller` and `apiFetch` send by default). */
export const TEST_ADMIN = { username: 'test-admin', password: 'test-admin-2026' };

export interface TestApp {
  app: INestApplication;
  base: string;
  /** the administrator's session */
  session: Session;
  /** a user with this role and region (created once per username), signed in */
  userSession(u: { username: string; role: Role; regionCode?: string | null; institutionCode?: string | null }): Promise<Session>;
}

/** Boots the whole app (API + built web app) on a test database, on a free loopback port, with a signed-in administrator (logs: TEST_LOG_LEVEL, default silent). */
export async function startTestApp(databaseUrl: string, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, NODE_ENV: 'test', WEB_DIST: path.resolve(__dirname, '../../web/dist'), ...env });
  const app = await createApp({ config, databaseUrl, databaseMode: 'server', logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const auth = app.get(AuthService);
  await auth.ensureUser({ username: TEST_ADMIN.username, displayName: '测试管理员', role: 'admin', password: TEST_ADMIN.password }, 'test');
  const session = await signIn(base, TEST_ADMIN.username, TEST_ADMIN.password);
  remember(base, session);
  const password = 'test-user-2026';
  return {
    app,
    base,
    session,
    async userSession(u) {
      await auth.ensureUser({ username: u.username, displayName: u.username, role: u.role, regionCode: u.regionCode ?? null, institutionCode: u.institutionCode ?? null, password }, 'test');
      return signIn(base, u.username, password);
    },
  };
}
