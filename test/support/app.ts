import type { INestApplication } from '@nestjs/common';
import path from 'node:path';
import pino from 'pino';
import { createApp } from '../../api/src/app';
import { loadConfig } from '../../api/src/config/config';

/** Boots the whole app (API + built web app) on a test database, on a free loopback port (logs: TEST_LOG_LEVEL, default silent). */
export async function startTestApp(databaseUrl: string): Promise<{ app: INestApplication; base: string }> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, NODE_ENV: 'test', WEB_DIST: path.resolve(__dirname, '../../web/dist') });
  const app = await createApp({ config, databaseUrl, databaseMode: 'server', logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, base };
}
