import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../api/src/database/migrations';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { json, apiFetch } from '../support/http';

describe('HTTP API basics', () => {
  const db = useTestDatabase();
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('GET /api/health queries the database', async () => {
    const res = await apiFetch(base, `/api/health`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ status: 'ok', database: 'ok', migrations: MIGRATIONS.length });
    expect(body.postgres).toMatch(/^\d+/);
  });

  it('lists the pilot regions', async () => {
    const res = await apiFetch(base, `/api/regions?pilot=true`);
    const body = (await json(res)) as { code: string; pilot: string }[];
    expect(body.map((r) => r.code)).toEqual(['130200', '150000', '320500', '330000', '350200', '360700', '510000', '511100']);
    expect(body.filter((r) => r.pilot === 'city_2021')).toHaveLength(5);
  });

  it('answers bad input with 400 and the field path, in the one error shape', async () => {
    const res = await apiFetch(base, `/api/regions?level=x&bogus=1`);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.code).toBe('VALIDATION.FAILED');
    expect(body.statusCode).toBe(400);
    const paths = (body.details as { path: string }[]).map((d) => d.path);
    expect(paths).toContain('query.level');
    expect(body.message).toContain('query.level');
  });

  it('answers unknown routes and unknown regions with 404 in the same shape', async () => {
    const a = await apiFetch(base, `/api/nothing-here`);
    expect(a.status).toBe(404);
    expect(await json(a)).toEqual({ statusCode: 404, code: 'ROUTE.NOT_FOUND', message: '未找到 (not found): GET /api/nothing-here' });
    const b = await apiFetch(base, `/api/regions/999999`);
    expect(b.status).toBe(404);
    expect((await json(b)).code).toBe('REGION.NOT_FOUND');
    const c = await apiFetch(base, `/api/regions/12`);
    expect(c.status).toBe(400);
  });

  it('serves the OpenAPI document', async () => {
    const res = await apiFetch(base, `/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/regions', '/api/regions/{code}']));
    // and the same document at NestJS's conventional address
    const conventional = await apiFetch(base, `/api/docs-json`);
    expect(conventional.status).toBe(200);
    expect(conventional.headers.get('content-type')).toMatch(/application\/json/);
    expect(await json(conventional)).toEqual(doc);
  });
});
