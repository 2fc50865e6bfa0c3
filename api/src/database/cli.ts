import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, redactUrl } from '../config/config';
import { openDatabase } from './connect';
import { createDataSource, migrate } from './data-source';

/**
 * npm run db:migrate           apply pending migrations to DATABASE_URL (or the embedded server)
 * npm run db:reset -- --yes    drop every table and apply all migrations again
 */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { yes: { type: 'boolean', default: false } },
  });
  const command = positionals[0];
  if (command !== 'migrate' && command !== 'reset') {
    console.error('用法 (usage): db migrate | db reset --yes');
    return 2;
  }
  if (command === 'reset' && !values.yes) {
    console.error('db:reset 会删除数据库中的全部数据；确认请加 --yes (db:reset drops all data; pass --yes to confirm)');
    return 2;
  }
  const config = loadConfig();
  const handle = await openDatabase(config);
  const ds = createDataSource(handle.url, 2);
  try {
    await ds.initialize();
    console.log(`数据库 (database): ${redactUrl(handle.url)}`);
    if (command === 'reset') {
      await ds.query('drop schema if exists staging cascade');
      await ds.query('drop schema public cascade; create schema public');
      console.log('已清空 (dropped all tables)');
    }
    const applied = await migrate(ds);
    console.log(applied.length ? `已应用迁移 (applied): ${applied.join(', ')}` : '数据库已是最新 (up to date)');
    return 0;
  } finally {
    await ds.destroy().catch(() => undefined);
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof ConfigError ? e.message : `错误 (error): ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
