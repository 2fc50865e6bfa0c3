// A scratch database for a benchmark: created on the configured server (DATABASE_URL, else the embedded one),
// migrated, and dropped afterwards unless kept.
import { Client } from 'pg';
import { loadConfig } from '../../api/src/config/config';
import { openDatabase } from '../../api/src/database/connect';
import { createDataSource, migrate } from '../../api/src/database/data-source';

export interface Scratch {
  /** connection URL of the scratch database */
  url: string;
  name: string;
  mode: 'server' | 'embedded';
}

/** Runs `f` on a new migrated database named `<prefix>_<pid>_<time>`; drops it after unless `keep`. */
export async function withScratchDatabase<T>(prefix: string, keep: boolean, log: (s: string) => void, f: (s: Scratch) => Promise<T>): Promise<T> {
  const handle = await openDatabase(loadConfig(), log);
  const admin = new Client({ connectionString: handle.url });
  await admin.connect();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  try {
    await admin.query(`create database ${name}`);
    const u = new URL(handle.url);
    u.pathname = '/' + name;
    const url = u.toString();
    log(`scratch database ${name} (${handle.mode} server)`);
    const ds = createDataSource(url, 1);
    await ds.initialize();
    await migrate(ds);
    await ds.destroy();
    return await f({ url, name, mode: handle.mode });
  } finally {
    if (!keep) await admin.query(`drop database if exists ${name} with (force)`).catch((e: Error) => log(`could not drop ${name}: ${e.message}`));
    else log(`kept ${name}`);
    await admin.end();
    await handle.close();
  }
}
