import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller } from '../support/http';

/**
 * GET /api/rounds/:id/monitoring on the demo dataset: 苏州 round 1 (historic, implemented, 执行日期 2023-01-01, base
 * year 2022) against the 2023 volumes. Forecast and actual are recomputed in SQL from scenario_change and
 * volume_annual_level.
 */

const SUZHOU = '320500';


interface Group {
  key: string;
  forecastFen: number;
  actualFen: number;
  differenceFen: number;
  forecastUpFen: number;
  forecastDownFen: number;
  baseQuantity: number;
  actualQuantity: number;
}

describe('monitoring API (跟踪监测评估)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let hist: { id: number; approvedScenarioId: number; effectiveDate: string };

  const call = caller(() => base);

  /** Σ ΔP × Q over the scenario's changes, Q the public volume of `year`, grouped by `by` ('' for the total). */
  const sqlNet = async (scenarioId: number, year: number, by: 'total' | 'category' | 'level') => {
    const key = by === 'category' ? `coalesce(ri.category_code, 'uncategorised')` : by === 'level' ? 'c.hospital_level::text' : `'total'`;
    const r = await db().pool.query(
      `select ${key} as key, coalesce(sum((c.new_price_fen - c.old_price_fen) * coalesce(v.quantity, 0)), 0)::text as net
         from scenario_change c
         left join region_item ri on ri.region_code = c.region_code and ri.item_code = c.item_code
         left join volume_annual_level v on v.region_code = c.region_code and v.item_code = c.item_code
                                        and v.hospital_level = c.hospital_level and v.is_public and v.year = $2
        where c.scenario_id = $1
        group by 1`,
      [scenarioId, year],
    );
    return new Map<string, bigint>(r.rows.map((x: { key: string; net: string }) => [x.key, BigInt(x.net)]));
  };

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    hist = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2023`)).body[0];
    expect(hist).toMatchObject({ status: 'implemented', effectiveDate: '2023-01-01' });
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('compares the forecast over 2022 volumes with ΔP × 2023 volumes, by category and level', async () => {
    const res = await call('GET', `/api/rounds/${hist.id}/monitoring?year=2023`);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const m = res.body;
    expect(m).toMatchObject({ baseYear: 2022, year: 2023, round: { id: hist.id, approvedScenarioId: hist.approvedScenarioId } });
    const sid = hist.approvedScenarioId;

    const forecast = (await sqlNet(sid, 2022, 'total')).get('total')!;
    const actual = (await sqlNet(sid, 2023, 'total')).get('total')!;
    expect(BigInt(m.summary.forecastFen)).toBe(forecast);
    expect(BigInt(m.summary.actualFen)).toBe(actual);
    expect(m.summary.differenceFen).toBe(m.summary.actualFen - m.summary.forecastFen);
    expect(m.summary.forecastFen).not.toBe(m.summary.actualFen);
    // the forecast is the round's net over 2022 volumes, as the impact of its approved scenario states
    const imp = await call('GET', `/api/scenarios/${sid}/impact`);
    expect(m.summary.forecastFen).toBe(imp.body.summary.netFen);
    expect(m.summary.forecastUpFen - m.summary.forecastDownFen).toBe(m.summary.forecastFen);

    for (const [by, groups] of [
      ['category', m.byCategory],
      ['level', m.byLevel],
    ] as const) {
      const f = await sqlNet(sid, 2022, by);
      const a = await sqlNet(sid, 2023, by);
      expect(new Set(groups.map((g: Group) => g.key))).toEqual(new Set(f.keys()));
      for (const g of groups as Group[]) {
        expect(BigInt(g.forecastFen), `${by} ${g.key}`).toBe(f.get(g.key));
        expect(BigInt(g.actualFen), `${by} ${g.key}`).toBe(a.get(g.key));
      }
      expect(groups.reduce((s: number, g: Group) => s + g.actualFen, 0)).toBe(m.summary.actualFen);
    }

    // volume change per changed item
    const changedItems = await db().pool.query(`select count(distinct item_code)::int as n from scenario_change where scenario_id = $1`, [sid]);
    expect(m.items).toHaveLength(changedItems.rows[0].n);
    const q = await db().pool.query(
      `select c.item_code, sum(coalesce(b.quantity, 0))::float8 as qb, sum(coalesce(a.quantity, 0))::float8 as qa
         from scenario_change c
         left join volume_annual_level b on b.region_code = c.region_code and b.item_code = c.item_code and b.hospital_level = c.hospital_level
                                        and b.is_public and b.year = 2022
         left join volume_annual_level a on a.region_code = c.region_code and a.item_code = c.item_code and a.hospital_level = c.hospital_level
                                        and a.is_public and a.year = 2023
        where c.scenario_id = $1 group by 1`,
      [sid],
    );
    const byItem = new Map(q.rows.map((r: { item_code: string; qb: number; qa: number }) => [r.item_code, r]));
    for (const it of m.items) {
      const r = byItem.get(it.itemCode)!;
      expect(it.baseQuantity).toBe(r.qb);
      expect(it.actualQuantity).toBe(r.qa);
      expect(it.quantityChange).toBe(r.qa - r.qb);
    }
    expect(m.topMovers.length).toBeGreaterThan(0);
    expect(m.topMovers.length).toBeLessThanOrEqual(20);
    const rates = m.topMovers.map((t: { quantityChangeRate: number }) => Math.abs(t.quantityChangeRate));
    expect([...rates].sort((x, y) => y - x)).toEqual(rates);
  });

  it('defaults to the year of 执行日期 and reads 2024 from the monthly rollup', async () => {
    const def = await call('GET', `/api/rounds/${hist.id}/monitoring`);
    expect(def.status).toBe(200);
    expect(def.body.year).toBe(2023);
    const y2024 = await call('GET', `/api/rounds/${hist.id}/monitoring?year=2024&top=5`);
    expect(y2024.status, JSON.stringify(y2024.body).slice(0, 300)).toBe(200);
    expect(BigInt(y2024.body.summary.actualFen)).toBe((await sqlNet(hist.approvedScenarioId, 2024, 'total')).get('total'));
    expect(y2024.body.topMovers.length).toBeLessThanOrEqual(5);
  });

  it('names the missing year, and refuses rounds not implemented', async () => {
    const missing = await call('GET', `/api/rounds/${hist.id}/monitoring?year=2026`);
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('MONITORING.NO_VOLUMES');
    expect(missing.body.message).toContain('2026');
    expect(missing.body.details).toEqual({ regionCode: SUZHOU, year: 2026 });
    const early = await call('GET', `/api/rounds/${hist.id}/monitoring?year=2022`);
    expect(early.body.code).toBe('MONITORING.YEAR_NOT_AFTER_BASE');
    const bad = await call('GET', `/api/rounds/${hist.id}/monitoring?year=abc`);
    expect(bad.status).toBe(400);

    const draft = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '未实施轮次', params: { itemShareFloor: 0.05, changeCap: 0.3 },
    });
    expect(draft.status).toBe(201);
    const r = await call('GET', `/api/rounds/${draft.body.id}/monitoring?year=2024`);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('MONITORING.ROUND_NOT_IMPLEMENTED');
    expect((await call('GET', '/api/rounds/999999/monitoring')).status).toBe(404);
  });

  it('by month: ΔP × each month\'s public volume against ΔP × the base year ÷ 12, adding up to the year', async () => {
    const r2 = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2024`)).body[0] as { id: number; approvedScenarioId: number };
    const res = await call('GET', `/api/rounds/${r2.id}/monitoring/months?year=2024`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const m = res.body;
    expect(m).toMatchObject({ baseYear: 2023, year: 2024 });
    const months = (await db().pool.query(
      `select distinct month::int as m from volume where region_code = $1 and year = 2024 and month between 1 and 12 order by 1`,
      [SUZHOU],
    )).rows.map((x: { m: number }) => x.m);
    expect(m.reportedMonths).toEqual(months);
    const byMonth = new Map<number, bigint>(
      (await db().pool.query(
        `select v.month::int as m, sum((c.new_price_fen - c.old_price_fen) * v.quantity)::text as a
           from scenario_change c
           join institution i on i.region_code = c.region_code and i.hospital_level = c.hospital_level and i.is_public
           join volume v on v.region_code = c.region_code and v.item_code = c.item_code and v.institution_code = i.code and v.year = 2024 and v.month between 1 and 12
          where c.scenario_id = $1 group by 1`,
        [r2.approvedScenarioId],
      )).rows.map((x: { m: number; a: string }) => [x.m, BigInt(x.a)]),
    );
    const base = (await sqlNet(r2.approvedScenarioId, 2023, 'total')).get('total')!;
    // ΔP·Q_base ÷ 12, half away from zero
    const monthly = base < 0n ? -((2n * -base + 12n) / 24n) : (2n * base + 12n) / 24n;
    for (const p of m.total as { month: number; forecastFen: number; actualFen: number | null }[]) {
      expect(BigInt(p.forecastFen)).toBe(monthly);
      if (months.includes(p.month)) expect(BigInt(p.actualFen!)).toBe(byMonth.get(p.month) ?? 0n);
      else expect(p.actualFen).toBeNull();
    }
    // the months add up to the year's actual of the yearly monitoring (its volumes are the monthly rows rolled up)
    const year = await call('GET', `/api/rounds/${r2.id}/monitoring?year=2024`);
    expect((m.total as { actualFen: number | null }[]).reduce((s2, p) => s2 + (p.actualFen ?? 0), 0)).toBe(year.body.summary.actualFen);
    // the categories add up to the total each month
    for (let k = 0; k < 12; k++) {
      expect((m.byCategory as { points: { actualFen: number | null }[] }[]).reduce((s2, g) => s2 + (g.points[k].actualFen ?? 0), 0)).toBe(m.total[k].actualFen ?? 0);
    }
    expect(m.round).toMatchObject({ id: r2.id, regionCode: SUZHOU, regionName: '苏州市' });
    // a year without monthly volumes: the forecast alone, and a warning that names the region as a user knows it
    const none = (await call('GET', `/api/rounds/${r2.id}/monitoring/months?year=2030`)).body as { reportedMonths: number[]; total: { actualFen: number | null }[]; warnings: string[] };
    expect(none.reportedMonths).toEqual([]);
    expect(none.total.every((p) => p.actualFen === null)).toBe(true);
    expect(none.warnings).toEqual(['苏州市（320500）没有 2030 年的月度服务量，只有预测值；请导入 2030 年月度服务量数据。']);
    // a round not implemented is refused as by the yearly monitoring
    const draft = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2026, name: '未实施的轮次' });
    const refused = await call('GET', `/api/rounds/${draft.body.id}/monitoring/months`);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('MONITORING.ROUND_NOT_IMPLEMENTED');
  });
});
