import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller, type Session } from '../support/http';

const TANGSHAN = '130200';
const SUZHOU = '320500';
const XIAMEN = '350200';
/** 浙江省: a pilot province without a round in the demo */
const ZHEJIANG = '330000';
/** 江苏省: not a pilot, outside 苏州's analyst's scope */
const JIANGSU = '320000';
const INDICATORS = ['medical_total_cost_growth', 'medical_revenue_growth', 'gdp_growth', 'cpi_growth', 'fund_reserve_months'];
const RELEASE_ORDER = ['final', 'express', 'yearbook', 'estimate'];

interface Indicator { indicator: string; period: string | null; value: number | null; releaseType: string | null; source: string | null; unit: string }
interface Category { key: string; labelZh: string; upCount: number; downCount: number; changedCount: number; grossUpFen: number; grossDownFen: number; netFen: number }
interface Compared {
  code: string;
  name: string;
  pilot: string | null;
  indicatorYear: number | null;
  indicators: Indicator[];
  round: { id: number; name: string; year: number; status: string } | null;
  total: { totalFen: number; effectiveTotalFen: number; baseYear: number; baseFen: number } | null;
  totalReason: { code: string; message: string } | null;
  scenario: { id: number; name: string; updatedAt: string } | null;
  impact: { netFen: number; grossUpFen: number; grossDownFen: number; byCategory: Category[] } | null;
  impactReason: { code: string; message: string } | null;
}

describe('GET /api/regions/compare on the demo dataset', () => {
  const db = useTestDatabase({ demo: true });
  let t: TestApp;
  const admin = caller(() => t.base);
  let suzhou: Session;
  const asSuzhou = caller(() => t.base, () => suzhou);

  beforeAll(async () => {
    t = await startTestApp(db().url);
    suzhou = await t.userSession({ username: 'suzhou-analyst', role: 'analyst', regionCode: SUZHOU });
  }, 120_000);
  afterAll(async () => {
    await t?.app.close();
  });

  /** Each compared region against what its own endpoints answer for the same region. */
  async function expectIdentity(r: Compared, year: number): Promise<void> {
    expect(r.indicatorYear).toBe(year - 1);
    const rows = (await admin('GET', `/api/regions/${r.code}/indicators?codes=${INDICATORS.join(',')}&from=${year - 1}&to=${year - 1}`)).body as Indicator[] & { indicator: string }[];
    expect(r.indicators.map((i) => i.indicator)).toEqual(INDICATORS);
    for (const i of r.indicators) {
      const same = rows.filter((x) => x.indicator === i.indicator && x.period === String(year - 1));
      if (same.length === 0) {
        expect(i.value).toBeNull();
        continue;
      }
      const best = [...same].sort((a, b) => RELEASE_ORDER.indexOf(a.releaseType!) - RELEASE_ORDER.indexOf(b.releaseType!))[0]!;
      expect(i).toMatchObject({ period: best.period, value: best.value, releaseType: best.releaseType, source: best.source, unit: best.unit });
    }
    const rounds = (await admin('GET', `/api/rounds?region=${r.code}&year=${year}`)).body as { id: number; name: string; status: string }[];
    if (rounds.length === 0) {
      expect(r.round).toBeNull();
      return;
    }
    expect(r.round).toMatchObject({ id: rounds[0]!.id, name: rounds[0]!.name, status: rounds[0]!.status, year });
    const total = await admin('GET', `/api/rounds/${rounds[0]!.id}/total`);
    if (total.status === 200) {
      expect(r.total).toEqual({ totalFen: total.body.totalFen, effectiveTotalFen: total.body.effectiveTotalFen, baseYear: total.body.baseYear, baseFen: total.body.baseFen });
    } else {
      expect(r.total).toBeNull();
      expect(r.totalReason?.code).toBe(total.body.code);
    }
    const scenarios = (await admin('GET', `/api/rounds/${rounds[0]!.id}/scenarios`)).body as { id: number; name: string; updatedAt: string }[];
    const newest = [...scenarios].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id)[0];
    if (!newest) {
      expect(r.scenario).toBeNull();
      expect(r.impact).toBeNull();
      return;
    }
    expect(r.scenario).toEqual({ id: newest.id, name: newest.name, updatedAt: newest.updatedAt });
    const impact = await admin('GET', `/api/scenarios/${newest.id}/impact`);
    expect(impact.status).toBe(200);
    const s = impact.body.summary;
    expect(r.impact!.netFen).toBe(s.netFen);
    expect(r.impact!.grossUpFen).toBe(s.grossUpFen);
    expect(r.impact!.grossDownFen).toBe(s.grossDownFen);
    expect(r.impact!.byCategory.map((g) => [g.key, g.labelZh, g.upCount, g.downCount, g.grossUpFen, g.grossDownFen, g.netFen])).toEqual(
      (s.byCategory as Category[]).map((g) => [g.key, g.labelZh, g.upCount, g.downCount, g.grossUpFen, g.grossDownFen, g.netFen]),
    );
    // the categories add up to the scenario's net
    expect(r.impact!.byCategory.reduce((a, g) => a + g.netFen, 0)).toBe(s.netFen);
  }

  it('gives each region, in the order asked, the figures its own endpoints give: indicators, round, total, impact by category', async () => {
    const res = await admin('GET', `/api/regions/compare?codes=${TANGSHAN},${SUZHOU},${XIAMEN}&year=2024`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.year).toBe(2024);
    expect(res.body.indicators.map((i: { code: string }) => i.code)).toEqual(INDICATORS);
    const regions = res.body.regions as Compared[];
    expect(regions.map((r) => [r.code, r.name, r.pilot])).toEqual([
      [TANGSHAN, '唐山市', 'city_2021'],
      [SUZHOU, '苏州市', 'city_2021'],
      [XIAMEN, '厦门市', 'city_2021'],
    ]);
    for (const r of regions) {
      expect(r.round, r.code).not.toBeNull();
      expect(r.impact, r.code).not.toBeNull();
      await expectIdentity(r, 2024);
    }
    // the demo's 2024 round of 苏州 changes 1,120 item prices and nets 1.95亿元 (data/demo/README.md)
    const sz = regions[1]!;
    expect(sz.impact!.byCategory.reduce((a, g) => a + g.changedCount, 0)).toBe(1120);
    expect(Math.round(sz.impact!.netFen / 1e8) / 100).toBeCloseTo(1.95, 2);

    const reversed = await admin('GET', `/api/regions/compare?codes=${XIAMEN},${TANGSHAN},${SUZHOU}&year=2024`);
    expect((reversed.body.regions as Compared[]).map((r) => r.code)).toEqual([XIAMEN, TANGSHAN, SUZHOU]);
    expect(reversed.body.regions[1]).toEqual(regions[0]);
  });

  it('takes each region’s latest round without a year, and the most recently updated scenario of the round', async () => {
    const round = await admin('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '苏州2025年对比轮次', params: { itemShareFloor: 0, changeCap: 0.3 } });
    expect(round.status, JSON.stringify(round.body)).toBe(201);
    const ids: number[] = [];
    for (const name of ['方案甲', '方案乙']) ids.push((await admin('POST', `/api/rounds/${round.body.id}/scenarios`, { name, method: 'manual' })).body.id);
    const item = (await db().pool.query(
      `select p.item_code as code from price p join region_item ri on ri.region_code = p.region_code and ri.item_code = p.item_code
        where p.region_code = $1 and p.hospital_level = 3 and p.valid_to is null and not ri.is_group and p.price_fen >= 1000
          and exists (select 1 from volume_annual_level v where v.region_code = p.region_code and v.item_code = p.item_code and v.hospital_level = 3 and v.quantity > 0)
        order by p.item_code limit 1`,
      [SUZHOU],
    )).rows[0].code as string;
    // 方案甲 is saved last: it is the newer one although 方案乙 was created after it
    const put = await admin('PUT', `/api/scenarios/${ids[0]}/changes`, { version: 1, changes: [{ itemCode: item, level: 3, pctChange: 10 }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const res = await admin('GET', `/api/regions/compare?codes=${SUZHOU},${TANGSHAN}`);
    expect(res.status).toBe(200);
    expect(res.body.year).toBeNull();
    const [sz, ts] = res.body.regions as Compared[];
    expect(sz!.round).toMatchObject({ id: round.body.id, year: 2025, status: 'draft' });
    expect(sz!.scenario!.id).toBe(ids[0]);
    await expectIdentity(sz!, 2025);
    expect(sz!.impact!.byCategory.filter((g) => g.changedCount > 0)).toHaveLength(1);
    expect(sz!.impact!.netFen).toBeGreaterThan(0);
    expect(ts!.round!.year).toBe(2024);
    await expectIdentity(ts!, 2024);
  });

  it('gives null with a reason for a region without a round of the year, and for a round without a scenario', async () => {
    expect((await admin('GET', `/api/rounds?region=${ZHEJIANG}`)).body).toEqual([]);
    const empty = await admin('POST', '/api/rounds', { regionCode: XIAMEN, year: 2026, name: '厦门2026年轮次', params: { itemShareFloor: 0, changeCap: 0.3 } });
    expect(empty.status).toBe(201);
    const res = await admin('GET', `/api/regions/compare?codes=${ZHEJIANG},${XIAMEN},${TANGSHAN}&year=2026`);
    expect(res.status).toBe(200);
    const [zj, xm, ts] = res.body.regions as Compared[];
    expect(zj).toMatchObject({ code: ZHEJIANG, name: '浙江省', pilot: 'province_2024', indicatorYear: 2025, round: null, total: null, scenario: null, impact: null });
    expect(zj!.totalReason!.code).toBe('REGION.NO_ROUND');
    expect(zj!.impactReason!.code).toBe('REGION.NO_ROUND');
    expect(ts).toMatchObject({ round: null, total: null, impact: null });
    expect(xm!.round).toMatchObject({ id: empty.body.id, year: 2026 });
    expect(xm).toMatchObject({ scenario: null, impact: null });
    expect(xm!.impactReason!.code).toBe('ROUND.NO_SCENARIO');
    // its total is the /total endpoint's answer, or the same error code
    await expectIdentity(xm!, 2026);
  });

  it('refuses bad codes, duplicates, too few or too many regions and a bad year with 400 naming the field', async () => {
    const nine = ['130200', '320500', '350200', '360700', '511100', '150000', '330000', '510000', '110000'];
    for (const [q, path] of [
      ['codes=130200', 'query.codes'],
      ['codes=130200,130200', 'query.codes'],
      ['codes=130200,32050', 'query.codes'],
      ['codes=130200,abcdef', 'query.codes'],
      [`codes=${nine.join(',')}`, 'query.codes'],
      ['year=2024', 'query.codes'],
      ['codes=130200,320500&year=abc', 'query.year'],
      ['codes=130200,320500&year=1800', 'query.year'],
    ] as const) {
      const res = await admin('GET', `/api/regions/compare?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.code, q).toBe('VALIDATION.FAILED');
      expect(res.body.details.map((d: { path: string }) => d.path), q).toContain(path);
    }
    expect((await admin('GET', `/api/regions/compare?codes=${nine.slice(0, 8).join(',')}`)).status).toBe(200);
  });

  it('answers 404 REGION.NOT_FOUND for an unknown region', async () => {
    const res = await admin('GET', '/api/regions/compare?codes=130200,999999');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('REGION.NOT_FOUND');
  });

  it('lets a city’s analyst compare with the other pilots, not with a non-pilot region outside its scope', async () => {
    const mine = await asSuzhou('GET', `/api/regions/compare?codes=${SUZHOU},${TANGSHAN},${XIAMEN}&year=2024`);
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    const theirs = await admin('GET', `/api/regions/compare?codes=${SUZHOU},${TANGSHAN},${XIAMEN}&year=2024`);
    expect(mine.body).toEqual(theirs.body);
    expect((mine.body.regions as Compared[]).every((r) => r.impact !== null && r.total !== null)).toBe(true);
    // the pilots' aggregates only: 唐山's round itself stays outside 苏州's scope
    const ts = (mine.body.regions as Compared[])[1]!;
    expect((await asSuzhou('GET', `/api/rounds/${ts.round!.id}/total`)).status).toBe(404);
    expect((await asSuzhou('GET', `/api/scenarios/${ts.scenario!.id}/impact`)).status).toBe(404);
    // a non-pilot region outside its scope: as unknown
    const other = await asSuzhou('GET', `/api/regions/compare?codes=${SUZHOU},${JIANGSU}`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('REGION.NOT_FOUND');
    expect((await admin('GET', `/api/regions/compare?codes=${SUZHOU},${JIANGSU}`)).status).toBe(200);
    // what it may choose from: its own region and every pilot; the plain lists stay within its scope
    const comparable = (await asSuzhou('GET', '/api/regions?comparable=true')).body as { code: string }[];
    expect(comparable.map((r) => r.code)).toEqual(['130200', '150000', '320500', '330000', '350200', '360700', '510000', '511100']);
    expect(((await asSuzhou('GET', '/api/regions?pilot=true')).body as { code: string }[]).map((r) => r.code)).toEqual([SUZHOU]);
    expect(((await asSuzhou('GET', '/api/regions')).body as { code: string }[]).map((r) => r.code)).toEqual([SUZHOU]);
  });
});
