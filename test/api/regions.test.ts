import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

const KEY = 'medical_total_cost_growth,fund_reserve_months,cpi_growth';

describe('GET /api/regions/:code/indicators on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base = '';
  const call = caller(() => base);

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('returns the stored values of the codes asked for, in their order, with source and release, within the years', async () => {
    const res = await call('GET', `/api/regions/511100/indicators?codes=${KEY}&from=2023&to=2024`);
    expect(res.status).toBe(200);
    const rows = res.body as { indicator: string; period: string; value: number; source: string; releaseType: string; isGenerated: boolean; derivedFrom: string[]; nameZh: string; unit: string }[];
    expect([...new Set(rows.map((r) => r.indicator))]).toEqual(['medical_total_cost_growth', 'fund_reserve_months', 'cpi_growth']);
    expect(rows.every((r) => r.period >= '2023' && r.period <= '2024')).toBe(true);
    const stored = await db().pool.query(
      `select value::float8 as value, source, release_type from indicator_value
        where region_code = '511100' and indicator_code = 'medical_total_cost_growth' and period = '2024'`,
    );
    expect(stored.rows).toHaveLength(1);
    const growth = rows.find((r) => r.indicator === 'medical_total_cost_growth' && r.period === '2024');
    expect(growth).toEqual({
      indicator: 'medical_total_cost_growth',
      nameZh: '医药总费用增长率',
      unit: '%',
      period: '2024',
      value: 11,
      source: stored.rows[0].source,
      releaseType: stored.rows[0].release_type,
      isGenerated: true,
      derivedFrom: [],
    });
  });

  it('derives 累计结余可支付月数 from the accumulated balance and spending of the same year and release when not stored', async () => {
    const { rows: parts } = await db().pool.query(
      `select indicator_code, value::float8 as value, release_type from indicator_value
        where region_code = '511100' and period = '2024' and indicator_code in ('fund_accumulated_balance', 'fund_expenditure')`,
    );
    const balance = parts.find((p) => p.indicator_code === 'fund_accumulated_balance');
    const spending = parts.find((p) => p.indicator_code === 'fund_expenditure');
    expect(balance.release_type).toBe(spending.release_type);
    const res = await call('GET', '/api/regions/511100/indicators?codes=fund_reserve_months&from=2024&to=2024');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const [months] = res.body;
    expect(months).toMatchObject({ indicator: 'fund_reserve_months', nameZh: '累计结余可支付月数', unit: '月', period: '2024', releaseType: balance.release_type });
    expect(months.derivedFrom).toEqual(['fund_accumulated_balance', 'fund_expenditure']);
    expect(months.value).toBeCloseTo(balance.value / (spending.value / 12), 9);
    // 133.18亿元 ÷ (123.24亿元 ÷ 12) ≈ 12.97 months, the figure of the 湖南 constraint's evidence
    expect(months.value).toBeCloseTo(12.9679, 3);
  });

  it('returns a stored 累计结余可支付月数 instead of deriving it, and converts money units when deriving', async () => {
    await db().pool.query(
      `insert into indicator_value (region_code, indicator_code, period, release_type, value, unit, source, is_generated)
       values ('511100', 'fund_reserve_months', '2023', 'final', 13.5, '月', '乐山市医保局 2023年基金运行报告', false)`,
    );
    // 2022 spending in 万元: the derivation converts it (104亿元 = 1,040,000万元)
    await db().pool.query(`update indicator_value set value = value * 10000, unit = '万元'
                            where region_code = '511100' and indicator_code = 'fund_expenditure' and period = '2022'`);
    const res = await call('GET', '/api/regions/511100/indicators?codes=fund_reserve_months&from=2022&to=2023');
    const rows = res.body as { period: string; value: number; source: string; derivedFrom: string[] }[];
    expect(rows.map((r) => r.period)).toEqual(['2022', '2023']);
    expect(rows[1]).toMatchObject({ value: 13.5, source: '乐山市医保局 2023年基金运行报告', derivedFrom: [] });
    expect(rows[0]!.derivedFrom).toHaveLength(2);
    expect(rows[0]!.value).toBeCloseTo(117.03 / (104 / 12), 9);
  });

  it('keeps 快报 and 公报 of one period side by side, 公报 first', async () => {
    const res = await call('GET', '/api/regions/000000/indicators?codes=fund_expenditure&from=2024&to=2024');
    expect(res.status).toBe(200);
    expect((res.body as { releaseType: string }[]).map((r) => r.releaseType)).toEqual(['final', 'express']);
  });

  it('answers an unknown region with 404 REGION.NOT_FOUND and bad queries with 400 naming the field', async () => {
    const missing = await call('GET', `/api/regions/999999/indicators?codes=${KEY}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('REGION.NOT_FOUND');

    const unknown = await call('GET', '/api/regions/511100/indicators?codes=cpi_growth,no_such_indicator');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION.FAILED');
    expect(unknown.body.details).toEqual([{ path: 'query.codes', message: expect.stringContaining('no_such_indicator') }]);

    const none = await call('GET', '/api/regions/511100/indicators');
    expect(none.status).toBe(400);
    expect(none.body.details.map((d: { path: string }) => d.path)).toEqual(['query.codes']);

    const backwards = await call('GET', '/api/regions/511100/indicators?codes=cpi_growth&from=2024&to=2020');
    expect(backwards.status).toBe(400);
    expect(backwards.body.details.map((d: { path: string }) => d.path)).toEqual(['query.to']);

    const extra = await call('GET', '/api/regions/511100/indicators?codes=cpi_growth&year=2024');
    expect(extra.status).toBe(400);
  });

  it('lists the institutions of a region (code, name, level) as loaded, 404 for an unknown region', async () => {
    const res = await call('GET', '/api/regions/320500/institutions');
    expect(res.status).toBe(200);
    const { rows } = await db().pool.query(`select code, name, hospital_level::int as level from institution where region_code = '320500'`);
    expect(rows.length).toBeGreaterThan(1);
    const key = (i: { code: string }) => i.code;
    expect([...res.body].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...rows].sort((a, b) => key(a).localeCompare(key(b))));
    const levels = (res.body as { level: number }[]).map((i) => i.level);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    const missing = await call('GET', '/api/regions/999999/institutions');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('REGION.NOT_FOUND');
    expect((await call('GET', '/api/regions/32050x/institutions')).status).toBe(400);
  });

  it('is in the OpenAPI document', async () => {
    const res = await call('GET', '/api/docs/openapi.json');
    expect(Object.keys(res.body.paths)).toContain('/api/regions/{code}/indicators');
    expect(Object.keys(res.body.paths)).toContain('/api/regions/{code}/institutions');
  });
});
