import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * The one DataSource configuration used by the Nest app, the database CLI, the ETL and the tests:
 * TypeORM with the pg driver, migrations listed explicitly, synchronize never.
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    entities: [],
    extra: { max: poolSize, application_name: 'mspr' },
  };
}

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
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
