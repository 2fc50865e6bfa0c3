import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { ResilientDataSource } from './resilient';

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;

/**
 * bigint (money in fen, counts, ids) read as a JavaScript number, exactly: money stays bigint in SQL and never passes
 * through float8; a value beyond 2^53 − 1 (far beyond any amount of fen this product handles) fails loudly instead
 * of being rounded.
 */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} exceeds the exact integer range of a number`);
  return n;
}

const parseInt8Array = (text: string): (number | null)[] =>
  (types.getTypeParser(INT8_ARRAY_OID as Parameters<typeof types.getTypeParser>[0], 'text') as (t: string) => (string | null)[])(text).map((x) => (x === null ? null : parseInt8(x)));

const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === INT8_OID) return parseInt8;
    if (format !== 'binary' && oid === INT8_ARRAY_OID) return parseInt8Array;
    return types.getTypeParser(oid, format as 'text');
  }) as typeof types.getTypeParser,
};

/** How long a request waits for a pooled connection (a free one, or a new one to be opened) before it fails. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The one DataSource configuration used by the Nest app, the database CLI, the ETL and the tests:
 * TypeORM with the pg driver, migrations listed explicitly, synchronize never.
 *
 * `onPoolError` hears of a pooled connection that broke while idle (its backend terminated, the server restarted):
 * the pool drops it and opens another when needed. A handler is always attached, as an 'error' event without one
 * would end the process.
 */
export function dataSourceOptions(url: string, poolSize = 10, onPoolError: (e: Error) => void = () => undefined): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    poolErrorHandler: onPoolError,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    entities: [],
    // jit off: the product's queries are short reads of one region; on national-scale tables PostgreSQL's JIT
    // compiled them for about a second each (measured), longer than the reads themselves
    extra: { max: poolSize, application_name: 'mspr', types: TYPES, options: '-c jit=off' },
  };
}

/** A DataSource of the product (a ResilientDataSource: reads sent again once when the connection broke). */
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new ResilientDataSource(dataSourceOptions(url, poolSize));
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const done = await ds.runMigrations({ transaction: 'each' });
  return done.map((m) => m.name);
}

/** Reverts every applied migration, newest first. */
export async function revertAll(ds: DataSource): Promise<number> {
  let n = 0;
  for (;;) {
    const applied = await ds.query(
      `select count(*)::int as n from information_schema.tables where table_name = 'schema_migration'`,
    );
    if (applied[0].n === 0) break;
    const rows = await ds.query('select count(*)::int as n from schema_migration');
    if (rows[0].n === 0) break;
    await ds.undoLastMigration({ transaction: 'each' });
    n++;
  }
  return n;
}
