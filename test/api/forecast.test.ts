import type { INestApplication } from '@nestjs/common';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForecastService } from '../../api/src/forecast/forecast.service';
import { formatFenAuto } from '../../api/src/domain/money';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller, apiFetch } from '../support/http';

/**
 * GET /api/scenarios/:id/forecast and /burden on the demo dataset: the approved scenario of 苏州's 2024 round (the
 * demo's second pilot round, base year 2023, volumes of 2022 and 2023 loaded, a 医保待遇政策表 with a 惠民保).
 */

const SUZHOU = '320500';
type Band = { p10Fen: number; p50Fen: number; p90Fen: number; minFen: number; maxFen: number };
type Group = { key: string; static: { netFen: number; fundFen: number; outOfPocketFen: number }; net: Band; fund: Band; outOfPocket: Band };
type Parts = { costFen: number; basicFen: number; criticalFen: number; huiminbaoFen: number | null; assistanceFen: number; selfPaidFen: number };

const flat = (b: Band) => [b.minFen, b.p10Fen, b.p50Fen, b.p90Fen, b.maxFen];
const sumParts = (p: Parts) => p.basicFen + p.criticalFen + (p.huiminbaoFen ?? 0) + p.assistanceFen + p.selfPaidFen;

describe('forecast and burden API (预测与负担)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base = '';
  let scenarioId = 0;
  let roundId = 0;
  const call = caller(() => base);

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    const round = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2024`)).body[0];
    expect(round).toMatchObject({ status: 'implemented', effectiveDate: '2024-01-01' });
    roundId = round.id;
    scenarioId = round.approvedScenarioId;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('puts the static impact beside the band: the same figures as /impact, overall, by category and by level', async () => {
    const [f, impact] = await Promise.all([call('GET', `/api/scenarios/${scenarioId}/forecast`), call('GET', `/api/scenarios/${scenarioId}/impact`)]);
    expect(f.status, JSON.stringify(f.body).slice(0, 400)).toBe(200);
    const s = impact.body.summary;
    expect(f.body.total.static).toEqual({ netFen: s.netFen, fundFen: s.fundFen, outOfPocketFen: s.outOfPocketFen });
    for (const [mine, theirs] of [[f.body.byCategory, s.byCategory], [f.body.byLevel, s.byLevel]] as const) {
      expect((mine as Group[]).map((g) => [g.key, g.static.netFen, g.static.fundFen])).toEqual(
        (theirs as { key: string; netFen: number; fundFen: number }[]).map((g) => [g.key, g.netFen, g.fundFen]),
      );
    }
    expect(f.body).toMatchObject({ year: 2024, baseYear: 2023, horizon: 1, priceDate: '2023-12-31' });
    // the assumptions with their defaults and sources
    const a = f.body.assumptions;
    expect(a.values).toEqual(a.defaults);
    expect(a.values.elasticity).toEqual({ lo: -0.3, hi: -0.1 });
    expect(a.recognitionWeight).toBe(0);
    expect(a.sourcesZh.elasticity).toContain('RAND');
    expect(a.elasticityByCategory.map((e: { code: string }) => e.code)).toEqual(f.body.byCategory.map((g: Group) => g.key));
    // every band ordered, and every figure of the band within the exact range
    for (const g of [f.body.total, ...f.body.byCategory, ...f.body.byLevel] as Group[]) {
      for (const b of [g.net, g.fund, g.outOfPocket]) {
        const x = flat(b);
        expect([...x].sort((p, q) => p - q)).toEqual(x);
      }
    }
    // a round of raises: patients use a little less of what costs them more, so the band lies below the trend-only figure
    expect(f.body.total.net.p90Fen).toBeLessThan(f.body.total.noResponse.netFen);
    // the checks against the total and the fund cap, with their limits and where they came from
    expect(f.body.checks.map((c: { code: string }) => c.code)).toEqual(['FORECAST.OVER_BUDGET', 'FORECAST.FUND_CAP']);
    expect(f.body.limits.fundCap.source).toBe('indicators');
    for (const c of f.body.checks) expect(c.shareWithin).toBeGreaterThanOrEqual(0);
    expect(f.body.sentencesZh[1]).toContain(formatFenAuto(s.netFen));
    expect(f.body.byYear.map((y: { year: number; recognitionWeight: number }) => [y.year, Math.round(y.recognitionWeight * 100)])).toEqual([[2024, 0], [2025, 67], [2026, 67], [2027, 100], [2028, 100]]);
  });

  it('reproduces the static impact exactly with zero elasticity, no recognition and no trend', async () => {
    const f = await call('GET', `/api/scenarios/${scenarioId}/forecast?elasticity=0&recognition=0&trend=none&year=2027`);
    expect(f.status).toBe(200);
    for (const g of [f.body.total, ...f.body.byCategory, ...f.body.byLevel] as Group[]) {
      expect(flat(g.net)).toEqual(Array(5).fill(g.static.netFen));
      expect(flat(g.fund)).toEqual(Array(5).fill(g.static.fundFen));
      expect(flat(g.outOfPocket)).toEqual(Array(5).fill(g.static.outOfPocketFen));
    }
  });

  it('takes the trend of each category from the loaded 2022 and 2023 volumes at the prices in force (SQL beside it)', async () => {
    const f = await call('GET', `/api/scenarios/${scenarioId}/forecast`);
    const nursing = f.body.assumptions.trend.find((t: { categoryCode: string }) => t.categoryCode === 'nursing');
    // Σ P⁰·Q of the rows with a volume in both years, P⁰ in force on 2023-12-31 (the scenario's old prices)
    const r = await db().pool.query(
      `with p as (select distinct on (item_code, hospital_level) item_code, hospital_level, price_fen, valid_to
                    from price where region_code = $1 and valid_from <= '2023-12-31' order by item_code, hospital_level, valid_from desc),
            q as (select a.item_code, a.hospital_level, a.quantity as q22, b.quantity as q23
                    from volume_annual_level a join volume_annual_level b using (region_code, item_code, hospital_level, is_public)
                   where a.region_code = $1 and a.is_public and a.year = 2022 and b.year = 2023 and a.quantity > 0 and b.quantity > 0)
       select sum(p.price_fen * q.q22)::text as v22, sum(p.price_fen * q.q23)::text as v23
         from q join p using (item_code, hospital_level) join region_item ri on ri.region_code = $1 and ri.item_code = q.item_code
        where ri.category_code = 'nursing' and not ri.is_group and (p.valid_to is null or p.valid_to > '2023-12-31')`,
      [SUZHOU],
    );
    expect(nursing).toMatchObject({ fromYear: 2022, toYear: 2023, fromValueFen: Number(r.rows[0].v22), toValueFen: Number(r.rows[0].v23) });
    expect(nursing.growth).toBeCloseTo(Number(r.rows[0].v23) / Number(r.rows[0].v22) - 1, 12);
    expect(nursing.factor).toBeCloseTo(1 + nursing.growth, 12);
  });

  it('gives the same answer for the same seed, and the draws as Arrow for analysts', async () => {
    const q = 'elasticity=-0.4,-0.05&elasticity.surgery=-0.1,0&recognition=0.02,0.08&year=2027&draws=1000&seed=7';
    const [a, b] = await Promise.all([call('GET', `/api/scenarios/${scenarioId}/forecast?${q}`), call('GET', `/api/scenarios/${scenarioId}/forecast?${q}`)]);
    expect(b.body).toEqual(a.body);
    expect(a.body.assumptions.elasticityByCategory.find((e: { code: string }) => e.code === 'surgery')).toMatchObject({ lo: -0.1, hi: 0, own: true });
    expect(a.body.recognitionSavings.net.p50Fen).toBeGreaterThan(0);

    const res = await apiFetch(base, `/api/scenarios/${scenarioId}/forecast?${q}`, { headers: { accept: 'application/vnd.apache.arrow.stream' } });
    expect(res.headers.get('content-type')).toContain('application/vnd.apache.arrow.stream');
    const bytes = Buffer.from(await res.arrayBuffer());
    const t = tableFromIPC(new Uint8Array(bytes));
    expect(t.numRows).toBe(1000);
    const net = t.getChild('netFen')!.toArray() as BigInt64Array;
    const fund = t.getChild('fundFen')!.toArray() as BigInt64Array;
    const oop = t.getChild('outOfPocketFen')!.toArray() as BigInt64Array;
    for (let i = 0; i < t.numRows; i++) expect(fund[i] + oop[i]).toBe(net[i]);
    const surgery = t.getChild('elasticity_surgery')!.toArray() as Float64Array;
    expect(Math.min(...surgery)).toBeGreaterThanOrEqual(-0.1);
    expect(Math.max(...surgery)).toBeLessThanOrEqual(0);
    // the draws' median is the band's P50 (within the rounding of the draws, 1 fen)
    const sorted = Array.from(net, Number).sort((x, y) => x - y);
    expect(Math.abs((sorted[499] + sorted[500]) / 2 - a.body.total.net.p50Fen)).toBeLessThanOrEqual(1);
    const meta = JSON.parse(t.schema.metadata.get('mspr')!);
    expect(meta).toMatchObject({ scenarioId, year: 2027, assumptions: { seed: 7, draws: 1000 } });
    // format=arrow does the same without the header
    const viaQuery = await apiFetch(base, `/api/scenarios/${scenarioId}/forecast?${q}&format=arrow`);
    expect(Buffer.from(await viaQuery.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('is what a briefing gets from the service method, for the same assumptions', async () => {
    const svc = app.get(ForecastService);
    const direct = await svc.forecast(scenarioId, { elasticity: { lo: -0.25, hi: -0.15 }, seed: 3 });
    const http = await call('GET', `/api/scenarios/${scenarioId}/forecast?elasticity=-0.25,-0.15&seed=3`);
    expect(JSON.parse(JSON.stringify(direct))).toEqual(http.body);
    await expect(svc.forecast(scenarioId, { draws: 7 })).rejects.toMatchObject({ code: 'FORECAST.ASSUMPTIONS_INVALID', statusCode: 400 });
  });

  it('rejects bad assumptions with a 400 naming the query field in Chinese', async () => {
    const cases: [string, string, RegExp][] = [
      ['elasticity=-0.1,-0.3', 'query.elasticity', /价格弹性区间下限不能大于上限/],
      ['elasticity=abc', 'query.elasticity', /价格弹性应为“下限,上限”或一个数/],
      ['elasticity.nosuch=-0.2', 'query.elasticity.nosuch', /类别代码不存在/],
      ['recognition=0.2,0.9', 'query.recognition', /互认减少比例应在 0 至 0.5 之间/],
      ['draws=101', 'query.draws', /抽样次数应为偶数/],
      ['recognitionYears=2027:1,2025:0.5', 'query.recognitionYears', /年份应递增/],
      ['trend=linear', 'query.trend', /趋势应为 history/],
      ['foo=1', 'query.foo', /未知参数“foo”/],
      ['seed=1&seed=2', 'query.seed', /参数只能出现一次/],
    ];
    for (const [q, path, message] of cases) {
      const r = await call('GET', `/api/scenarios/${scenarioId}/forecast?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.code).toBe('VALIDATION.FAILED');
      const d = (r.body.details as { path: string; message: string }[]).find((x) => x.path === path);
      expect(d, `${q}: ${JSON.stringify(r.body.details)}`).toBeDefined();
      expect(d!.message).toMatch(message);
    }
    const early = await call('GET', `/api/scenarios/${scenarioId}/forecast?year=2020`);
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'FORECAST.YEAR_BEFORE_BASE' });
    expect(early.body.message).toContain('预测年份 2020 早于基期 2023 年');
    expect((await call('GET', '/api/scenarios/999999/forecast')).status).toBe(404);
    // both endpoints are in the OpenAPI document
    const doc = (await call('GET', '/api/docs/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/scenarios/{id}/forecast', '/api/scenarios/{id}/burden']));
  });

  it('splits the change of the average stay and visit per level over the layers, to the fen, for both kinds of patient', async () => {
    const [b, impact] = await Promise.all([call('GET', `/api/scenarios/${scenarioId}/burden`), call('GET', `/api/scenarios/${scenarioId}/impact`)]);
    expect(b.status, JSON.stringify(b.body).slice(0, 400)).toBe(200);
    expect(b.body.policy).toMatchObject({ regionCode: SUZHOU, scheme: 'resident', validFrom: '2022-01-01', fileName: 'insurance-policy-pilot-cities.xlsx' });
    expect(b.body.policy.huiminbao).toEqual({ deductibleFen: 2_000_000, rate: 0.8, ceilingFen: 100_000_000 });
    // the item share from the region's 2023 revenue-structure indicators
    const ind = await db().pool.query(
      `select sum(value)::float8 / 100 as s from indicator_value where region_code = $1 and period = '2023' and release_type = 'yearbook'
          and indicator_code in ('service_revenue_share', 'exam_revenue_share', 'lab_revenue_share')`,
      [SUZHOU],
    );
    expect(b.body.assumptions.itemShare.value).toBeCloseTo(ind.rows[0].s, 12);
    for (const l of b.body.levels) {
      const g = impact.body.summary.byLevel.find((x: { key: string }) => x.key === String(l.level));
      expect(l.revenueChange).toBeCloseTo(g.netFen / g.baseRevenueFen, 14);
      expect(l.costChange).toBeCloseTo((g.netFen / g.baseRevenueFen) * ind.rows[0].s, 14);
      for (const kind of ['ordinary', 'assisted']) {
        for (const cell of [l.stay[kind], l.visit[kind]]) {
          for (const p of [cell.before, cell.after, cell.change] as Parts[]) expect(sumParts(p)).toBe(p.costFen);
          expect(cell.change.costFen).toBe(cell.after.costFen - cell.before.costFen);
        }
      }
      // a raise costs an assistance recipient less than an ordinary insured person
      expect(l.stay.assisted.change.selfPaidFen).toBeLessThanOrEqual(l.stay.ordinary.change.selfPaidFen);
      // the calibration: the modelled fund pays 52% / 64% / 74% of the average stay under the demo policy
      expect(Math.round(l.fundShareOfStay * 100)).toBe({ 3: 52, 2: 64, 1: 74 }[l.level as 3 | 2 | 1]);
    }
    // 大病保险 reaches some stays at 三级 hospitals, more of an assistance recipient's
    const l3 = b.body.levels[0];
    expect(l3.stay.ordinary.criticalShareBefore).toBeGreaterThan(0);
    expect(l3.stay.assisted.criticalShareBefore).toBeGreaterThan(l3.stay.ordinary.criticalShareBefore);
    expect(b.body.assumptions.textZh.join('')).toContain('先保险后救助');
  });

  it('says what is missing: no policy of the scheme, bad parameters', async () => {
    const none = await call('GET', `/api/scenarios/${scenarioId}/burden?scheme=employee`);
    expect(none.status).toBe(422);
    expect(none.body.code).toBe('BURDEN.NO_POLICY');
    expect(none.body.message).toContain('没有在 2024-01-01 生效的职工医保待遇政策表');
    for (const [q, path, message] of [
      ['staySigma=5', 'query.staySigma', /σ 应在 0—3 之间/],
      ['stayMean=12765,6205', 'query.stayMean', /次均住院费用应为三个正金额/],
      ['itemShare=55', 'query.itemShare', /应在 0—1 之间/],
      ['scheme=commercial', 'query.scheme', /险种应为 resident/],
    ] as const) {
      const r = await call('GET', `/api/scenarios/${scenarioId}/burden?${q}`);
      expect(r.status, q).toBe(400);
      expect((r.body.details as { path: string; message: string }[]).find((x) => x.path === path)?.message).toMatch(message);
    }
    // a region without a policy: a new round of 赣州 after removing its policy rows is refused the same way
    const r = await call('POST', '/api/rounds', { regionCode: '360700', year: 2025, name: '无政策', effectiveDate: '2025-01-01' });
    const sc = (await call('POST', `/api/rounds/${r.body.id}/scenarios`, { name: '空方案' })).body;
    await db().pool.query(`delete from insurance_policy where region_code = '360700'`);
    const missing = await call('GET', `/api/scenarios/${sc.id}/burden`);
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain('地区 360700 没有在 2025-01-01 生效的城乡居民医保待遇政策表');
    expect(roundId).toBeGreaterThan(0);
  });
});
