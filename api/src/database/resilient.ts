import type { Pool, PoolClient } from 'pg';
import { DataSource, type DataSourceOptions, type ObjectLiteral, type QueryRunner, type ReplicationMode } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { isReadOnlyStatement, isRetryableFailure } from './availability';

/**
 * A query runner that remembers why it lost its connection. When a connection breaks while its runner holds it
 * between two statements (a transaction's, a snapshot's), TypeORM releases the runner at once, and the runner's next
 * statement fails with "query runner already released", an error that says nothing of the cause: this runner throws
 * the connection's own error instead (e.g. 57P01, "Connection terminated unexpectedly"), which the API answers 503.
 */
class ResilientQueryRunner extends PostgresQueryRunner {
  /** The error that broke the connection this runner held. */
  connectionError?: Error;
  private watched?: { client: { off(event: 'error', f: (e: Error) => void): void }; onError: (e: Error) => void };

  override async connect(): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const client = await super.connect();
    if (!this.watched) {
      const onError = (e: Error) => {
        this.connectionError ??= e;
      };
      client.on('error', onError);
      this.watched = { client, onError };
    }
    return client;
  }

  override async release(): Promise<void> {
    // back in the pool, the connection is another runner's: stop listening to it
    this.watched?.client.off('error', this.watched.onError);
    this.watched = undefined;
    return super.release();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async query(query: string, parameters?: any[], useStructuredResult?: boolean): Promise<any> {
    if (this.isReleased && this.connectionError) throw this.connectionError;
    return super.query(query, parameters, useStructuredResult);
  }
}

/**
 * A DataSource whose `query` sends a read once more, on a new connection, when the first try failed because the
 * connection broke or could not be had (see availability.ts): every repository's `ds.query(...)` goes through it.
 * Only a read outside a transaction is sent again — a statement run on a caller's query runner (`em.query` inside
 * `ds.transaction`, a snapshot's runner) is not, and neither is a write: its outcome is unknown when the connection
 * broke (it may have committed), so the error reaches the client as 503 and the client reads before it writes again.
 */
export class ResilientDataSource extends DataSource {
  override async initialize(): Promise<this> {
    await super.initialize();
    // A new connection that breaks as soon as it is made (its backend terminated while it started) can emit 'error'
    // after the pool has handed it out and before TypeORM listens to it: with no listener, that error would end the
    // process (measured under pg_terminate_backend). Every new connection gets a listener for its whole life; the
    // break itself still reaches the statement sent on it ("not queryable", answered 503) and the pool drops it.
    const pool = (this.driver as PostgresDriver).master as Pool;
    pool.on('connect', (client: PoolClient) => client.on('error', () => undefined));
    return this;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override async query<T = any>(sql: string, parameters?: any[] | ObjectLiteral, queryRunner?: QueryRunner): Promise<T> {
    if (queryRunner instanceof ResilientQueryRunner && queryRunner.isReleased && queryRunner.connectionError) throw queryRunner.connectionError;
    try {
      return await super.query<T>(sql, parameters, queryRunner);
    } catch (e) {
      if (queryRunner || !isRetryableFailure(e) || !isReadOnlyStatement(sql)) throw e;
      return super.query<T>(sql, parameters);
    }
  }

  /** As DataSource.createQueryRunner, with a ResilientQueryRunner. */
  override createQueryRunner(mode: ReplicationMode = 'master'): QueryRunner {
    const runner = new ResilientQueryRunner(this.driver as ConstructorParameters<typeof PostgresQueryRunner>[0], mode);
    Object.assign(runner, { manager: this.createEntityManager(runner) });
    return runner;
  }
}

/** For Nest's TypeOrmModule.forRootAsync({ dataSourceFactory }): the DataSource it initialises is a ResilientDataSource. */
export async function resilientDataSource(options?: DataSourceOptions): Promise<DataSource> {
  if (!options) throw new Error('resilientDataSource: no DataSource options');
  return new ResilientDataSource(options);
}
