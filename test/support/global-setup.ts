import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { formatIssue } from '../../etl/src/issues';
import { loadPath } from '../../etl/src/run';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../api/src/config/config';
import { createDataSource, migrate } from '../../api/src/database/data-source';
import { startEmbedded, EmbeddedServer } from '../../api/src/database/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    pg: { adminUrl: string; template: string; demoTemplate: string; mode: 'server' | 'embedded' };
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
  // A second template with the demo dataset loaded through the loaders, for API and browser tests on realistic data.
  const demoTemplate = `${template}_demo`;
  const admin2 = new Client({ connectionString: adminUrl });
  await admin2.connect();
  try {
    await admin2.query(`create database ${demoTemplate} template ${template}`);
  } finally {
    await admin2.end();
  }
  const demoPool = new Pool({ connectionString: withDatabase(adminUrl, demoTemplate), max: 2 });
  try {
    const summaries = await loadPath(demoPool, path.resolve(__dirname, '../../data/demo'), {
      dryRun: false, skipInvalid: false, maxErrors: 5, origin: 'generated', user: 'test',
    });
    const failed = summaries.filter((s) => s.status !== 'loaded');
    if (failed.length) {
      throw new Error(`demo dataset did not load:\n${failed.map((f) => `${f.file}: ${f.errors.map(formatIssue).join(' | ')}`).join('\n')}`);
    }
  } finally {
    await demoPool.end();
  }
  project.provide('pg', { adminUrl, template, demoTemplate, mode: config.database.mode });

  return async () => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      // this run's template and any clone a crashed test file left behind
      const rows = await c.query(
        `select datname from pg_database where datname = $1 or datname like $2`,
        [template, `${template}_%`],
      );
      for (const r of rows.rows) await c.query(`drop database if exists "${r.datname}" with (force)`);
    } finally {
      await c.end();
    }
    if (embedded) await embedded.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
}
