import crypto from 'node:crypto';
import { Client, Pool } from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

export interface TestDatabase {
  url: string;
  name: string;
  pool: Pool;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: inject('pg').adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database for one test file, cloned from the migrated template; dropped after the file. */
export async function createTestDatabase(opts: DatabaseOptions = {}): Promise<TestDatabase & { drop(): Promise<void> }> {
  const { adminUrl, template, demoTemplate } = inject('pg');
  const name = `${template}_c_${crypto.randomBytes(5).toString('hex')}`;
  const from = opts.demo ? demoTemplate : template;
  await admin((c) => c.query(opts.empty ? `create database ${name}` : `create database ${name} template ${from}`));
  const url = withDatabase(adminUrl, name);
  const pool = new Pool({ connectionString: url, max: 4 });
  // an idle connection of the test's own pool may be cut by a test that terminates the database's backends: the pool
  // drops it and opens another on the next query; without a listener the 'error' event would be thrown
  pool.on('error', () => undefined);
  return {
    url,
    name,
    pool,
    drop: async () => {
      await pool.end();
      await admin(async (c) => {
        // pool.end() resolves once its clients have sent Terminate, before their server processes have gone: dropping
        // WITH (FORCE) at once would kill those closing sessions, whose clients then throw "terminating connection due
        // to administrator command" into whatever test file runs next. Wait for them (a few seconds at most).
        for (let i = 0; i < 100; i++) {
          const r = await c.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (r.rows[0].n === 0) break;
          await new Promise((done) => setTimeout(done, 50));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

export interface DatabaseOptions {
  /** no migrations at all */
  empty?: boolean;
  /** the migrated schema with the demo dataset (data/demo) loaded through the loaders */
  demo?: boolean;
}

/** Registers beforeAll/afterAll for a per-file test database and returns a getter. */
export function useTestDatabase(opts: DatabaseOptions = {}): () => TestDatabase {
  let db: (TestDatabase & { drop(): Promise<void> }) | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(opts);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('test database not ready');
    return db;
  };
}

/** Fingerprint of a scenario row and its changes, to prove a rejected write changed nothing. */
export async function scenarioFingerprint(pool: Pool, id: number): Promise<{ s: string; c: string }> {
  const r = await pool.query(
    `select (select row_to_json(s)::text from scenario s where s.id = $1) as s,
            (select md5(coalesce(string_agg(c::text, '|' order by c::text), '')) from scenario_change c where c.scenario_id = $1) as c`,
    [id],
  );
  return r.rows[0];
}
