import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { caller, json, apiFetch } from '../support/http';

/**
 * Rounds on the demo dataset loaded through the ETL loaders: 苏州 (320500), a 2025 round on the 2024 base year.
 * When the volume files cannot be loaded, deterministic volumes are written into the rollups instead (every figure
 * below is checked against SQL on whatever volumes are there).
 */

const SUZHOU = '320500';



/** Round half away from zero of n ÷ d, in BigInt. */
function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  if ((an % ad) * 2n >= ad) q += 1n;
  return neg ? -q : q;
}

const PARAMS = {
  itemShareFloor: 0.05,
  changeCap: 0.3,
  declareFrom: '2025-03-01',
  declareTo: '2025-03-31',
  sampleFrom: '2024-01-01',
  sampleTo: '2024-12-31',
  growth: { from: 'gdp' },
  costControl: {},
  procurement: { alpha: 0.2 },
  fundCap: { minReserveMonths: 3 },
};

describe('rounds API (调价轮次)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;

  const call = caller(() => base);

  const roundRow = async (id: number) => (await db().pool.query(`select row_to_json(r)::text as j from round r where id = $1`, [id])).rows[0].j as string;
  const newRound = async (extra: Record<string, unknown> = {}) => {
    const r = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: `苏州市2025年医疗服务价格调整 ${Math.random()}`, params: PARAMS, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates a draft round with its base period, and lists and reads rounds', async () => {
    const round = await newRound({ kind: 'regular', effectiveDate: '2025-07-01' });
    expect(round).toMatchObject({
      regionCode: SUZHOU, regionName: '苏州市', year: 2025, kind: 'regular', status: 'draft', version: 1,
      basePeriodFrom: '2024-01-01', basePeriodTo: '2024-12-31', effectiveDate: '2025-07-01', totalFen: null, scenarioCount: 0,
    });
    expect(round.params).toMatchObject({ itemShareFloor: 0.05, changeCap: 0.3 });

    const list = await call('GET', `/api/rounds?region=${SUZHOU}`);
    expect(list.status).toBe(200);
    const kinds = (list.body as { id: number; kind: string }[]).map((r) => r.kind);
    expect(kinds.filter((k) => k === 'historic')).toHaveLength(2); // rounds 1 and 2 loaded by the ETL
    expect((list.body as { id: number }[]).some((r) => r.id === round.id)).toBe(true);
    const historic = await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2023`);
    expect(historic.body).toHaveLength(1);
    expect(historic.body[0]).toMatchObject({ status: 'implemented', scenarioCount: 1 });
    expect(historic.body[0].approvedScenarioId).toBeGreaterThan(0);

    const one = await call('GET', `/api/rounds/${round.id}`);
    expect(one.body).toEqual(round);
    expect((await call('GET', '/api/rounds/999999')).body.code).toBe('ROUND.NOT_FOUND');
    expect((await call('GET', '/api/rounds/abc')).status).toBe(400);
  });

  it('rejects invalid rounds with 400 naming the field path', async () => {
    const bad = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: 'x', params: { ...PARAMS, itemShareFloor: 1.5, sampleTo: '2023-12-31' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION.FAILED');
    const paths = (bad.body.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.params.itemShareFloor', 'body.params.sampleTo']));
    const region = await call('POST', '/api/rounds', { regionCode: '999999', year: 2025, name: 'x', params: PARAMS });
    expect(region.status).toBe(400);
    expect(region.body.details[0].path).toBe('body.regionCode');
  });

  it('creates a round without 调价方案 fields, showing the defaults it took', async () => {
    const bare = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '默认参数' });
    expect(bare.status).toBe(201);
    expect(bare.body.params).toEqual({ itemShareFloor: 0, changeCap: 0.3 });
    const some = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '部分参数', params: { changeCap: 0.2 } });
    expect(some.status).toBe(201);
    expect(some.body.params).toMatchObject({ itemShareFloor: 0, changeCap: 0.2 });
    const stored = await db().pool.query(`select params from round where id = $1`, [bare.body.id]);
    expect(stored.rows[0].params).toEqual({ itemShareFloor: 0, changeCap: 0.3 });
  });

  it('computes the base revenue as the hand-checkable SQL sum, and a waterfall whose steps add up to the total', async () => {
    const round = await newRound();
    const res = await call('GET', `/api/rounds/${round.id}/total`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const t = res.body;

    // R₀ = Σ Q (public hospitals, 2024) × price in force on 2024-12-31, service items only
    const sql = await db().pool.query(
      `select coalesce(sum(v.quantity * p.price_fen), 0)::text as r0, count(*)::int as n
         from volume_annual_level v
         join region_item ri on ri.region_code = v.region_code and ri.item_code = v.item_code and not ri.is_group
         join lateral (select price_fen, valid_to from price p
                        where p.region_code = v.region_code and p.item_code = v.item_code and p.hospital_level = v.hospital_level
                          and p.valid_from <= date '2024-12-31'
                        order by p.valid_from desc limit 1) p on p.valid_to is null or p.valid_to > date '2024-12-31'
        where v.region_code = $1 and v.year = 2024 and v.is_public`,
      [SUZHOU],
    );
    const R0 = BigInt(sql.rows[0].r0);
    expect(R0).toBeGreaterThan(0n);
    expect(BigInt(t.baseFen)).toBe(R0);
    expect(t.baseItemCount).toBe(sql.rows[0].n);
    expect(t).toMatchObject({ baseYear: 2024, priceDate: '2024-12-31', basePeriod: { from: '2024-01-01', to: '2024-12-31' } });
    const byLevel = Object.values(t.baseByLevelFen as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(byLevel).toBe(t.baseFen);

    const steps = t.steps as { key: string; kind: string; amountFen: number; enabled: boolean; inputs: Record<string, unknown> }[];
    expect(steps.map((s) => s.key)).toEqual(['base', 'growth', 'costControl', 'procurement', 'selfFinancing', 'subtotal', 'fundCap', 'total']);
    const sum = (kinds: string[]) => steps.filter((s) => kinds.includes(s.kind)).reduce((a, s) => a + s.amountFen, 0);
    expect(sum(['component', 'cap'])).toBe(t.totalFen);
    expect(steps.find((s) => s.key === 'subtotal')!.amountFen).toBe(sum(['component']));
    expect(steps.find((s) => s.key === 'total')!.amountFen).toBe(t.totalFen);
    expect(steps.find((s) => s.key === 'base')!.amountFen).toBe(t.baseFen);
    expect(t.effectiveTotalFen).toBe(t.totalFen);

    // each component from the region's 2024 indicators, with the evidence in its inputs
    const ind = async (code: string) =>
      (await db().pool.query(
        `select value::text as v, release_type as r from indicator_value where region_code = $1 and indicator_code = $2 and period = '2024'
          order by array_position(array['final', 'yearbook', 'express', 'estimate', 'other'], release_type) limit 1`,
        [SUZHOU, code],
      )).rows[0] as { v: string; r: string };
    const pctFraction = (v: string): [bigint, bigint] => {
      const [i, f = ''] = v.split('.');
      return [BigInt(i + f), 10n ** BigInt(f.length + 2)];
    };
    const gdp = await ind('gdp_growth');
    const [gn, gd] = pctFraction(gdp.v);
    const growth = steps.find((s) => s.key === 'growth')!;
    expect(BigInt(growth.amountFen)).toBe(divRound(R0 * gn, gd));
    expect(growth.inputs).toMatchObject({ source: 'gdp', 'gdp_growth.period': '2024', 'gdp_growth.releaseType': gdp.r });

    const target = pctFraction((await ind('cost_growth_target')).v);
    const actual = pctFraction((await ind('medical_total_cost_growth')).v);
    const cc = steps.find((s) => s.key === 'costControl')!;
    expect(BigInt(cc.amountFen)).toBe(divRound(R0 * (target[0] * actual[1] - actual[0] * target[1]), target[1] * actual[1]));

    const savings = (await ind('procurement_savings')).v; // 亿元
    const [si, sf = ''] = savings.split('.');
    const savingsFen = BigInt(si + sf) * 10n ** BigInt(10 - sf.length);
    expect(BigInt(steps.find((s) => s.key === 'procurement')!.amountFen)).toBe(divRound(savingsFen * 2n, 10n));
    expect(steps.find((s) => s.key === 'selfFinancing')!.enabled).toBe(false);

    const cap = steps.find((s) => s.key === 'fundCap')!;
    expect(cap.enabled).toBe(true);
    expect(cap.inputs).toMatchObject({ minReserveMonths: 3, fundShareSource: 'base-weighted', 'fund_expenditure.period': '2024' });
    expect(t.fundShare.value).toBeGreaterThan(0.4);
    expect(t.fundShare.value).toBeLessThan(0.8);
    expect(t.sources.map((s: { code: string }) => s.code).sort()).toEqual(
      ['cost_growth_target', 'fund_accumulated_balance', 'fund_current_balance', 'fund_expenditure', 'gdp_growth', 'medical_total_cost_growth', 'procurement_savings'],
    );
  });

  it('applies a capped wage growth and a configured total, and names a missing indicator', async () => {
    const round = await newRound({ params: { ...PARAMS, totalFen: 12_345_600, growth: { from: 'wage', value: 0.1, cap: 0.03 }, costControl: undefined, procurement: undefined, fundCap: undefined } });
    const t = (await call('GET', `/api/rounds/${round.id}/total`)).body;
    expect(t.growthRate).toBe(0.03);
    expect(t.totalFen).toBe(t.steps.find((s: { key: string }) => s.key === 'growth').amountFen);
    expect(t.configuredTotalFen).toBe(12_345_600);
    expect(t.effectiveTotalFen).toBe(12_345_600);

    const future = await call('POST', '/api/rounds', { regionCode: SUZHOU, year: 2031, name: '无指标', params: { itemShareFloor: 0, changeCap: 0.3 } });
    const missing = await call('GET', `/api/rounds/${future.body.id}/total`);
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ code: 'ROUND.INDICATOR_MISSING', details: { indicator: 'gdp_growth', period: '2030' } });
  });

  it('updates with the current version and answers a stale version with 409, leaving the row unchanged', async () => {
    const round = await newRound();
    const ok = await call('PATCH', `/api/rounds/${round.id}`, { version: 1, name: '改名', params: { changeCap: 0.25, fundCap: null } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ name: '改名', version: 2 });
    expect(ok.body.params.changeCap).toBe(0.25);
    expect(ok.body.params.fundCap).toBeUndefined();
    expect(ok.body.params.itemShareFloor).toBe(0.05);

    const before = await roundRow(round.id);
    const stale = await call('PATCH', `/api/rounds/${round.id}`, { version: 1, name: '他人的修改' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ statusCode: 409, code: 'ROUND.STALE', details: { currentVersion: 2, yourVersion: 1 } });
    expect(await roundRow(round.id)).toBe(before);

    const invalid = await call('PATCH', `/api/rounds/${round.id}`, { version: 2, params: { changeCap: -1 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details[0].path).toBe('body.params.changeCap');
    expect(await roundRow(round.id)).toBe(before);
  });

  it('enforces the life cycle, with special rounds allowed past a block', async () => {
    const r = await newRound();
    const to = (id: number, status: string, version: number, extra: Record<string, unknown> = {}) =>
      call('POST', `/api/rounds/${id}/status`, { to: status, version, ...extra });

    const skip = await to(r.id, 'triggered', 1);
    expect(skip.status).toBe(422);
    expect(skip.body).toMatchObject({ code: 'ROUND.ILLEGAL_TRANSITION', details: { from: 'draft', to: 'triggered', allowed: ['evaluated'] } });

    const ev = await to(r.id, 'evaluated', 1, { evaluation: { result: 'blocked', note: '医药总费用增长率超过10%' } });
    expect(ev.body).toMatchObject({ status: 'evaluated', version: 2, evaluation: { result: 'blocked' } });
    expect((await to(r.id, 'blocked', 1)).body.code).toBe('ROUND.STALE');
    const blocked = await to(r.id, 'blocked', 2);
    expect(blocked.body.status).toBe('blocked');
    const before = await roundRow(r.id);
    const regular = await to(r.id, 'scenarios', 3);
    expect(regular.status).toBe(422);
    expect(regular.body.code).toBe('ROUND.ILLEGAL_TRANSITION');
    expect(await roundRow(r.id)).toBe(before);

    // a 专项调整 is exempt from constraints (approval still checks its scenario: no minimum share of items here)
    const special = await newRound({ kind: 'special', params: { ...PARAMS, itemShareFloor: 0 } });
    let v = 1;
    for (const s of ['evaluated', 'blocked', 'scenarios']) {
      const res = await to(special.id, s, v);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      v = res.body.version;
    }
    const sc = await call('POST', `/api/rounds/${special.id}/scenarios`, { name: '方案一' });
    expect(sc.status).toBe(201);
    const noScenario = await to(special.id, 'approved', v);
    expect(noScenario.status).toBe(400);
    expect(noScenario.body.details[0].path).toBe('body.scenarioId');
    const approved = await to(special.id, 'approved', v, { scenarioId: sc.body.id });
    expect(approved.body).toMatchObject({ status: 'approved', approvedScenarioId: sc.body.id });
    expect((await call('GET', `/api/scenarios/${sc.body.id}`)).body.status).toBe('approved');
    const locked = await call('PATCH', `/api/rounds/${special.id}`, { version: approved.body.version, name: 'x' });
    expect(locked.body.code).toBe('ROUND.LOCKED');
    // implementing needs a 执行日期: the round has none, so the request names one
    const noDate = await to(special.id, 'implemented', approved.body.version);
    expect(noDate.status).toBe(422);
    expect(noDate.body.code).toBe('ROUND.NO_EFFECTIVE_DATE');
    expect((await to(special.id, 'triggered', approved.body.version, { effectiveDate: '2025-07-01' })).body.details[0].path).toBe('body.effectiveDate');
    const impl = await to(special.id, 'implemented', approved.body.version, { effectiveDate: '2025-07-01' });
    expect(impl.body).toMatchObject({ status: 'implemented', effectiveDate: '2025-07-01' });
    expect((await to(special.id, 'draft', impl.body.version)).body.code).toBe('ROUND.ILLEGAL_TRANSITION');

    // historic rounds are read-only
    const hist = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic`)).body[0];
    expect((await to(hist.id, 'approved', hist.version)).body.code).toBe('ROUND.ILLEGAL_TRANSITION');
    expect((await call('PATCH', `/api/rounds/${hist.id}`, { version: hist.version, name: 'x' })).body.code).toBe('ROUND.LOCKED');
  });

  it('implements the approved scenario: new prices from 执行日期, the old ones closed, refused whole when prices moved', async () => {
    const to = (id: number, status: string, version: number, extra: Record<string, unknown> = {}) =>
      call('POST', `/api/rounds/${id}/status`, { to: status, version, ...extra });
    const VISIT = '110200001';
    const LAB = '250101015';
    const inForce = async (item: string, level: number, date: string) =>
      (await db().pool.query(
        `select * from (select price_fen::int as fen, valid_from::text as "from", valid_to::text as "to", round_id::int as "roundId" from price
          where region_code = $1 and item_code = $2 and hospital_level = $3 and valid_from <= $4::date order by valid_from desc limit 1) x
          where x.to is null or x.to > $4::text`,
        [SUZHOU, item, level, date],
      )).rows;
    const prices = async () => (await db().pool.query(`select md5(string_agg(p::text, ',' order by item_code, hospital_level, valid_from)) as h from price p where region_code = $1`, [SUZHOU])).rows[0].h;
    const approve = async (effectiveDate: string) => {
      const r = await newRound({ kind: 'special', effectiveDate, params: { ...PARAMS, itemShareFloor: 0 } });
      let v = 1;
      for (const s of ['evaluated', 'blocked', 'scenarios']) v = (await to(r.id, s, v)).body.version;
      const sc = (await call('POST', `/api/rounds/${r.id}/scenarios`, { name: '实施方案' })).body;
      const put = await call('PUT', `/api/scenarios/${sc.id}/changes`, {
        version: 1, changes: [{ itemCode: VISIT, level: 3, pctChange: 20 }, { itemCode: LAB, level: 2, pctChange: -10 }, { itemCode: LAB, level: 1, pctChange: 0 }],
      });
      expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(200);
      const ap = await to(r.id, 'approved', v, { scenarioId: sc.id });
      expect(ap.status).toBe(200);
      return { round: ap.body, changes: put.body.changes as { itemCode: string; level: number; oldPriceFen: number; newPriceFen: number }[] };
    };

    const { round, changes } = await approve('2025-03-01');
    const visit = changes.find((c) => c.itemCode === VISIT)!;
    const lab = changes.find((c) => c.itemCode === LAB && c.level === 2)!;
    const [beforeVisit] = await inForce(VISIT, 3, '2025-02-28');
    expect(beforeVisit.fen).toBe(visit.oldPriceFen);

    // a price reloaded after approval: refused, nothing written, the round still approved
    await db().pool.query(`update price set price_fen = price_fen + 1 where region_code = $1 and item_code = $2 and hospital_level = 2 and valid_from = $3`,
      [SUZHOU, LAB, (await inForce(LAB, 2, '2025-02-28'))[0].from]);
    const before = await prices();
    const moved = await to(round.id, 'implemented', round.version);
    expect(moved.status).toBe(422);
    expect(moved.body).toMatchObject({ code: 'ROUND.PRICES_MOVED', details: { count: 1, items: [{ itemCode: LAB, level: 2, oldPriceFen: lab.oldPriceFen, currentFen: lab.oldPriceFen + 1 }] } });
    expect(moved.body.message).toContain(LAB);
    expect(await prices()).toBe(before);
    expect((await call('GET', `/api/rounds/${round.id}`)).body).toMatchObject({ status: 'approved', version: round.version });
    await db().pool.query(`update price set price_fen = price_fen - 1 where region_code = $1 and item_code = $2 and hospital_level = 2 and valid_from = $3`,
      [SUZHOU, LAB, (await inForce(LAB, 2, '2025-02-28'))[0].from]);

    const impl = await to(round.id, 'implemented', round.version);
    expect(impl.status, JSON.stringify(impl.body)).toBe(200);
    expect(impl.body.status).toBe('implemented');
    // the new prices from 2025-03-01, the old ones end there; the unchanged row (0%) is not rewritten
    expect(await inForce(VISIT, 3, '2025-03-01')).toEqual([{ fen: visit.newPriceFen, from: '2025-03-01', to: null, roundId: round.id }]);
    expect(await inForce(LAB, 2, '2025-03-01')).toEqual([{ fen: lab.newPriceFen, from: '2025-03-01', to: null, roundId: round.id }]);
    expect(await inForce(VISIT, 3, '2025-02-28')).toEqual([{ ...beforeVisit, to: '2025-03-01' }]);
    expect((await inForce(LAB, 1, '2025-03-01'))[0].from < '2025-03-01').toBe(true);
    expect((await db().pool.query(`select count(*)::int as n from price where round_id = $1`, [round.id])).rows[0].n).toBe(2);
    // a scenario of a later round starts from the implemented prices
    const later = await newRound({ effectiveDate: '2026-01-01' });
    const sc2 = (await call('POST', `/api/rounds/${later.id}/scenarios`, { name: '后续方案' })).body;
    const put2 = await call('PUT', `/api/scenarios/${sc2.id}/changes`, { version: 1, changes: [{ itemCode: VISIT, level: 3, pctChange: 5 }] });
    expect(put2.body.changes[0].oldPriceFen).toBe(visit.newPriceFen);
    const imp2 = (await call('GET', `/api/scenarios/${sc2.id}/impact`)).body;
    expect(imp2.summary.changedRowCount).toBe(1);

    // another round for the same date: the prices of 2025-03-01 are taken
    const second = await approve('2025-03-01');
    const before2 = await prices();
    const taken = await to(second.round.id, 'implemented', second.round.version);
    expect(taken.status).toBe(422);
    expect(taken.body).toMatchObject({ code: 'ROUND.PRICE_DATE_TAKEN', details: { count: 2 } });
    expect(await prices()).toBe(before2);
  });

  it('allocates the total to the public hospitals by base revenue and stores it', async () => {
    const round = await newRound();
    const total = (await call('GET', `/api/rounds/${round.id}/total`)).body;
    const res = await call('POST', `/api/rounds/${round.id}/total/allocate`, { version: round.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const a = res.body;
    expect(a).toMatchObject({ totalSource: 'computed', basis: 'revenue', baseYear: 2024 });
    expect(a.parameters.totalFen).toBe(total.totalFen);
    const hospitals = a.hospitals as { hospitalId: string; baseRevenueFen: number; amountFen: number; itemCount: number; minAdjustedItems: number }[];
    const pub = await db().pool.query(`select count(*)::int as n from institution where region_code = $1 and is_public`, [SUZHOU]);
    expect(hospitals).toHaveLength(pub.rows[0].n);
    expect(hospitals.reduce((s, h) => s + h.amountFen, 0)).toBe(total.totalFen);
    // the institution rollup and the level rollup give the same base revenue
    expect(a.baseRevenueFen).toBe(total.baseFen);
    for (const h of hospitals) {
      expect(Math.abs(h.amountFen - (total.totalFen * h.baseRevenueFen) / a.baseRevenueFen)).toBeLessThan(1);
      expect(h.minAdjustedItems).toBe(Math.ceil(h.itemCount * 0.05));
    }
    const stored = await db().pool.query(`select count(*)::int as n, sum(allocated_fen)::float8 as s from round_allocation where round_id = $1`, [round.id]);
    expect(stored.rows[0]).toEqual({ n: hospitals.length, s: total.totalFen });
    expect((await call('GET', `/api/rounds/${round.id}`)).body.totalFen).toBe(total.totalFen);
    expect((await call('GET', `/api/rounds/${round.id}/allocation`)).body.hospitals).toHaveLength(hospitals.length);

    // by weight, with an explicit total
    const w = await call('POST', `/api/rounds/${round.id}/total/allocate`, { version: round.version + 1, basis: 'weight', totalFen: 1000, weights: { [hospitals[0].hospitalId]: 3 } });
    expect(w.body.hospitals.reduce((s: number, h: { amountFen: number }) => s + h.amountFen, 0)).toBe(1000);

    // a parameter change clears the stored total and allocation
    const r = (await call('GET', `/api/rounds/${round.id}`)).body;
    const p = await call('PATCH', `/api/rounds/${round.id}`, { version: r.version, params: { changeCap: 0.2 } });
    expect(p.body.totalFen).toBeNull();
    expect((await db().pool.query(`select count(*)::int as n from round_allocation where round_id = $1`, [round.id])).rows[0].n).toBe(0);

    // 申报起止时间 are not needed to allocate: a round without them allocates the same, showing them as not set
    const noDates = await newRound({ params: { ...PARAMS, declareFrom: undefined, declareTo: undefined } });
    const alloc = await call('POST', `/api/rounds/${noDates.id}/total/allocate`, { version: noDates.version });
    expect(alloc.status).toBe(200);
    expect(alloc.body.parameters).toMatchObject({ declareFrom: null, declareTo: null, itemShareFloor: 0.05, changeCap: 0.3 });
    expect(alloc.body.hospitals.map((h: { amountFen: number }) => h.amountFen)).toEqual(res.body.hospitals.map((h: { amountFen: number }) => h.amountFen));
  });

  it('documents the round endpoints in OpenAPI with Chinese summaries', async () => {
    const doc = await json(await apiFetch(base, `/api/docs/openapi.json`));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/rounds', '/api/rounds/{id}', '/api/rounds/{id}/status', '/api/rounds/{id}/total', '/api/rounds/{id}/total/allocate']),
    );
    expect(doc.paths['/api/rounds/{id}/total'].get.summary).toMatch(/调价总量/);
  });
});
