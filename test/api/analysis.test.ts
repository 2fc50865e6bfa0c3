import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

/**
 * 成本比价 and 区域比价 of a 苏州 scenario on the demo dataset: every figure recomputed here from the tables (prices in
 * force, the base-year volumes, the costs, the catalogue's relative values through the crosswalk, other regions' prices).
 */

const SUZHOU = '320500';

describe('analysis API (成本比价, 区域比价)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  const call = caller(() => base);
  let scenario: number;
  let changed: { code: string; level: number; oldFen: number };

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    const r = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '比价分析轮次', effectiveDate: '2025-01-01', params: { changeCap: 0.3 } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    scenario = (await call('POST', `/api/rounds/${r.body.id}/scenarios`, { name: '分析方案' })).body.id;
    // an item with points (through the crosswalk), a cost and other regions' prices at level 3
    const q = await db().pool.query(
      `with f as (select distinct on (item_code) item_code, price_fen, valid_to from price
                   where region_code = $1 and hospital_level = 3 and valid_from <= '2024-12-31'
                   order by item_code, valid_from desc)
       select f.item_code as code, f.price_fen::int as "oldFen"
         from f
         join code_crosswalk x on x.to_code = f.item_code and x.from_system = 'nhc2023'
         join item i on i.code = x.from_code and i.relative_value is not null
        where (f.valid_to is null or f.valid_to > '2024-12-31') and f.price_fen >= 500
          and exists (select 1 from cost c where c.region_code = $1 and c.item_code = f.item_code and c.institution_code = '')
          and (select count(distinct o.region_code) from price o where o.region_code <> $1 and o.item_code = f.item_code and o.hospital_level = 3) >= 3
        order by f.item_code limit 1`,
      [SUZHOU],
    );
    changed = { ...q.rows[0], level: 3 };
    const put = await call('PUT', `/api/scenarios/${scenario}/changes`, { version: 1, changes: [{ itemCode: changed.code, level: 3, newPriceFen: changed.oldFen + 100 }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('cost-value: each row\'s price, cost and relative value as stored, and the categories\' volume-weighted figures', async () => {
    const res = await call('GET', `/api/scenarios/${scenario}/cost-value`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const body = res.body;
    expect(body.round.regionCode).toBe(SUZHOU);
    const row = body.rows.find((x: { itemCode: string; level: number }) => x.itemCode === changed.code && x.level === 3);
    const cost = (await db().pool.query(
      `select unit_cost_fen::int as c from cost where region_code = $1 and item_code = $2 and institution_code = '' order by (year > 2024), abs(year - 2024) limit 1`,
      [SUZHOU, changed.code],
    )).rows[0].c;
    const rv = (await db().pool.query(
      `select avg(i.relative_value)::float8 as rv from code_crosswalk x join item i on i.code = x.from_code where x.to_code = $1 and x.from_system = 'nhc2023' and i.relative_value is not null`,
      [changed.code],
    )).rows[0].rv;
    expect(row).toMatchObject({ changed: true, oldPriceFen: changed.oldFen, newPriceFen: changed.oldFen + 100, unitCostFen: cost });
    expect(row.relativeValue).toBeCloseTo(rv, 9);
    expect(row.recoveryBefore).toBeCloseTo(changed.oldFen / cost, 12);
    expect(row.recoveryAfter).toBeCloseTo((changed.oldFen + 100) / cost, 12);
    expect(row.pointPriceAfterFen).toBeCloseTo((changed.oldFen + 100) / rv, 9);
    // every row of the region's items priced at the price date (2024-12-31)
    const priced = (await db().pool.query(
      `select count(*)::int as n from (
         select distinct on (p.item_code, p.hospital_level) p.valid_to from price p join region_item ri using (region_code, item_code)
          where p.region_code = $1 and not ri.is_group and p.valid_from <= '2024-12-31'
          order by p.item_code, p.hospital_level, p.valid_from desc) x
        where x.valid_to is null or x.valid_to > '2024-12-31'`,
      [SUZHOU],
    )).rows[0].n;
    expect(body.rows.length).toBe(priced);

    // the changed item's category at level 3: Σ P·Q ÷ Σ C·Q over its costed rows, by hand from the rows
    const cat = row.categoryCode;
    const rows = body.rows.filter((x: { categoryCode: string; level: number; unitCostFen: number | null }) => x.categoryCode === cat && x.level === 3 && x.unitCostFen);
    const weighted = rows.some((x: { quantity: number }) => x.quantity > 0);
    const w = (x: { quantity: number }) => (weighted ? x.quantity : 1);
    const num = rows.reduce((s: number, x: { newPriceFen: number; quantity: number }) => s + x.newPriceFen * w(x), 0);
    const den = rows.reduce((s: number, x: { unitCostFen: number; quantity: number }) => s + x.unitCostFen * w(x), 0);
    const g = body.byCategory.find((x: { categoryCode: string; level: number }) => x.categoryCode === cat && x.level === 3);
    expect(g.after.recovery).toBeCloseTo(num / den, 12);
    expect(g.after.costedCount).toBe(rows.length);
    expect(body.categories.map((c: { code: string }) => c.code)).toContain(cat);
  });

  it('price-spread: the other regions\' prices as a box per level, with the old and the new price', async () => {
    const res = await call('GET', `/api/scenarios/${scenario}/price-spread?item=${changed.code}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const l3 = res.body.levels.find((x: { level: number }) => x.level === 3);
    const others: number[] = (await db().pool.query(
      `select x.price_fen::int as p from (
         select distinct on (region_code) region_code, price_fen, valid_to from price
          where region_code <> $1 and item_code = $2 and hospital_level = 3 and valid_from <= '2024-12-31'
          order by region_code, valid_from desc) x
        where x.valid_to is null or x.valid_to > '2024-12-31' order by 1`,
      [SUZHOU, changed.code],
    )).rows.map((x: { p: number }) => x.p);
    const n = others.length;
    const quantile = (p: number) => {
      const h = (n - 1) * p;
      const lo = Math.floor(h);
      return others[lo] + (h - lo) * (others[Math.min(lo + 1, n - 1)] - others[lo]);
    };
    expect(l3).toMatchObject({ oldPriceFen: changed.oldFen, newPriceFen: changed.oldFen + 100, changed: true });
    expect(l3.box).toEqual({ count: n, minFen: others[0], q1Fen: quantile(0.25), medianFen: quantile(0.5), q3Fen: quantile(0.75), maxFen: others[n - 1] });
    const below = others.filter((p) => p < changed.oldFen).length;
    const equal = others.filter((p) => p === changed.oldFen).length;
    expect(l3.percentileOld).toBeCloseTo((100 * (below + equal / 2)) / n, 9);
    expect(res.body.levels.map((x: { level: number }) => x.level)).toEqual([...res.body.levels.map((x: { level: number }) => x.level)].sort().reverse());
  });

  it('refuses a missing or unknown item and an unknown scenario with the error shape', async () => {
    const missing = await call('GET', `/api/scenarios/${scenario}/price-spread`);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION.FAILED');
    const unknown = await call('GET', `/api/scenarios/${scenario}/price-spread?item=NOPE-1`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'ITEM.NOT_FOUND' });
    expect((await call('GET', '/api/scenarios/999999/cost-value')).status).toBe(404);
  });
});
