import type { ArgumentsHost } from '@nestjs/common';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AllExceptionsFilter } from '../common/http-exception.filter';
import { AppError } from '../common/errors';
import { isDatabaseUnavailable, isReadOnlyStatement, isRetryableFailure } from './availability';

/** An error as the pg driver makes them: a message and, from the server, a SQLSTATE code. */
function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}
const failed = (driverError: Error) => new QueryFailedError('select 1', [], driverError);

describe('database unavailable: which errors', () => {
  it.each([
    ['terminated backend (57P01 admin_shutdown)', failed(pgError('terminating connection due to administrator command', '57P01'))],
    ['crash shutdown (57P02)', failed(pgError('terminating connection because of crash of another server process', '57P02'))],
    ['starting up (57P03 cannot_connect_now)', pgError('the database system is starting up', '57P03')],
    ['shutting down (57P03)', pgError('the database system is shutting down', '57P03')],
    ['connection exception class 08 (08006)', pgError('connection failure', '08006')],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111 })],
    ['connection reset', failed(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))],
    ['both addresses refused (AggregateError)', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect failed')],
    ['connection lost mid-query', failed(pgError('Connection terminated unexpectedly'))],
    ['client no longer queryable', failed(pgError('Client has encountered a connection error and is not queryable'))],
    ['pool timeout', pgError('timeout exceeded when trying to connect')],
    ['wrapped as a cause', new Error('outer', { cause: pgError('terminating connection due to administrator command', '57P01') })],
  ])('%s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
  });

  it.each([
    ['unique violation', failed(pgError('duplicate key value violates unique constraint', '23505'))],
    ['syntax error', failed(pgError('syntax error at or near "selec"', '42601'))],
    ['serialization failure', failed(pgError('could not serialize access', '40001'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['an app error', new AppError('ROUND.LOCKED', 'locked')],
    ['nothing', undefined],
  ])('not: %s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });

  it('sends a failed statement again unless the pool already waited its whole timeout', () => {
    expect(isRetryableFailure(failed(pgError('terminating connection due to administrator command', '57P01')))).toBe(true);
    expect(isRetryableFailure(pgError('timeout exceeded when trying to connect'))).toBe(false);
    expect(isRetryableFailure(failed(pgError('duplicate key', '23505')))).toBe(false);
  });
});

describe('read-only statements (sent again after a lost connection)', () => {
  it.each([
    'select 1',
    '  \n  SELECT s.id, s.updated_at as "updatedAt" from scenario s where s.id = $1',
    '-- a comment\nselect 1',
    '/* why */ with x as (select 1) select * from x',
    `select fund_share::text as share, 'delete me' as note from reimbursement_rate`,
    'values (1), (2)',
    'show server_version',
  ])('%s', (sql) => {
    expect(isReadOnlyStatement(sql)).toBe(true);
  });

  it.each([
    'insert into scenario (name) values ($1)',
    'update scenario set version = version + 1',
    'delete from scenario_change where scenario_id = $1',
    'with d as (delete from scenario_change returning 1) select count(*) from d',
    'with u as (update scenario set version = 2 returning version) select version from u',
    'select * from scenario where id = $1 for update',
    'select * from scenario s join round r on r.id = s.round_id for no key update of s',
    'select * from round for share',
    'select * into scratch from scenario',
    "select nextval('scenario_id_seq')",
    'select pg_advisory_xact_lock(1)',
    "select set_config('search_path', 'x', false)",
    'select 1; delete from scenario',
    'begin',
    'commit',
    'truncate scenario',
    'do $$ begin perform 1; end $$',
    'select $q$ insert $q$',
  ])('not: %s', (sql) => {
    expect(isReadOnlyStatement(sql)).toBe(false);
  });
});

describe('the exception filter', () => {
  function answer(exception: unknown) {
    const out: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
    const res = {
      headersSent: false,
      setHeader(k: string, v: string) {
        out.headers[k.toLowerCase()] = v;
        return res;
      },
      status(s: number) {
        out.status = s;
        return res;
      },
      json(b: unknown) {
        out.body = b;
        return res;
      },
    };
    const req = { method: 'GET', url: '/api/x', originalUrl: '/api/x' };
    const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
    new AllExceptionsFilter(pino({ level: 'silent' })).catch(exception, host);
    return out;
  }

  it('answers a lost connection 503 DATABASE.UNAVAILABLE with Retry-After, in the one error shape', () => {
    const a = answer(failed(pgError('terminating connection due to administrator command', '57P01')));
    expect(a.status).toBe(503);
    expect(a.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(a.body).toEqual({
      statusCode: 503,
      code: 'DATABASE.UNAVAILABLE',
      message: '数据库暂时不可用，请稍后重试 (the database is temporarily unavailable; please retry shortly)',
    });
  });

  it('answers a refused connection the same way, and other errors as before', () => {
    expect(answer(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).status).toBe(503);
    const bug = answer(new TypeError('x is undefined'));
    expect(bug.status).toBe(500);
    expect(bug.headers['retry-after']).toBeUndefined();
    expect((bug.body as { code: string }).code).toBe('INTERNAL');
    // a client that went away while sending its body is not the database's fault
    const aborted = answer(Object.assign(new Error('request aborted'), { status: 400, code: 'ECONNABORTED', type: 'request.aborted' }));
    expect(aborted.status).toBe(400);
  });
});
