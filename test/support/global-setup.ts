import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../api/src/config/config';
import { createDataSource, migrate } from '../../api/src/database/data-source';
import { startEmbedded, EmbeddedServer } from '../../api/src/database/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    pg: { adminUrl: string; template: string; mode: 'server' | 'embedded' };
  }
}

/** Replaces the database name of a URL. */
export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

/**
 * Once per test run: find the PostgreSQL server (DATABASE_URL / PG* variables, else a fresh embedded server in a
 * temporary folder), create a template database with every migration applied, and hand its name to the tests,
 * which clone it per test file (CREATE DATABASE … TEMPLATE …).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  let embedded: EmbeddedServer | undefined;
  let tmp: string | undefined;
  let adminUrl: string;
  if (config.database.mode === 'server') {
    adminUrl = withDatabase(config.database.url, 'postgres');
  } else {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-test-pg-'));
    fs.chmodSync(tmp, 0o755); // the server runs as the postgres user when tests run as root
    embedded = await startEmbedded({ dir: path.join(tmp, 'data'), port: 0, database: 'postgres' });
    adminUrl = embedded.url;
  }
  const template = `mspr_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  const ds = createDataSource(withDatabase(adminUrl, template), 2);
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
  project.provide('pg', { adminUrl, template, mode: config.database.mode });

  return async () => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      // this run's template and any clone a crashed test file left behind
      const rows = await c.query(
        `select datname from pg_database where datname = $1 or datname like $2`,
        [template, `${template}_c_%`],
      );
      for (const r of rows.rows) await c.query(`drop database if exists "${r.datname}" with (force)`);
    } finally {
      await c.end();
    }
    if (embedded) await embedded.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
