import type { INestApplication } from '@nestjs/common';
import { tableFromIPC } from 'apache-arrow';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowChange } from '../../api/src/domain/pricing';
import { ScenariosRepository } from '../../api/src/scenarios/scenarios.repository';
import { ScenariosService } from '../../api/src/scenarios/scenarios.service';
import { startTestApp } from '../support/app';
import { scenarioFingerprint, useTestDatabase } from '../support/db';
import { fixtureDir, writeCsv, writeXlsx } from '../support/etl';
import { caller, json, apiFetch } from '../support/http';

/**
 * Scenarios and their impact on the demo dataset loaded through the ETL loaders (苏州 320500). The historic round 1
 * (2023-01-01) was loaded by the round loader as an implemented round with its approved scenario; the demo README
 * states its net amount over 2022 volumes: 11,000.00万元 (1.10亿元).
 */

const SUZHOU = '320500';
/** data/demo/README.md, "Pilot rounds": round 1 of 苏州市, net 11000.00 万元, in fen. */
const README_ROUND1_NET_FEN = 11_000_000_000;

const LAB = '250101015'; // 血细胞分析（全血细胞计数+五分类）
const VISIT = '110200001'; // 普通门诊诊查费 (general)
const NURSING = '120100003'; // Ⅰ级护理 (nursing)
const ONLY3 = 'T9000001'; // a test item priced at level 3 only


function roundHalfAway(n: number): number {
  return Math.sign(n) * Math.round(Math.abs(n));
}

interface Group {
  key: string;
  netFen: number;
  fundFen: number;
  outOfPocketFen: number;
  grossUpFen: number;
  grossDownFen: number;
}

/** The identities every impact must satisfy (DOMAIN.md §4). */
function expectIdentities(s: { grossUpFen: number; grossDownFen: number; netFen: number; fundFen: number; outOfPocketFen: number; byLevel: Group[]; byCategory: Group[] }) {
  expect(s.grossUpFen - s.grossDownFen).toBe(s.netFen);
  expect(s.fundFen + s.outOfPocketFen).toBe(s.netFen);
  for (const groups of [s.byLevel, s.byCategory]) {
    expect(groups.reduce((a, g) => a + g.netFen, 0)).toBe(s.netFen);
    expect(groups.reduce((a, g) => a + g.fundFen, 0)).toBe(s.fundFen);
    for (const g of groups) {
      expect(g.grossUpFen - g.grossDownFen).toBe(g.netFen);
      expect(g.fundFen + g.outOfPocketFen).toBe(g.netFen);
    }
  }
}

describe('scenarios and impact API (调价方案与影响测算)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let dir: string;
  let roundId: number;

  const call = caller(() => base);

  const snapshot = (id: number) => scenarioFingerprint(db().pool, id);
  const priceAt = async (item: string, level: number, date = '2024-12-31') =>
    Number((await db().pool.query(
      `select price_fen from price where region_code = $1 and item_code = $2 and hospital_level = $3 and valid_from <= $4
        order by valid_from desc limit 1`,
      [SUZHOU, item, level, date],
    )).rows[0].price_fen);
  const newScenario = async (name: string) => {
    const r = await call('POST', `/api/rounds/${roundId}/scenarios`, { name });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  /** Σ (new − old) × Q over a scenario's changes, Q the public volume of the year at the change's level. */
  const sqlNet = async (scenarioId: number, year: number) =>
    BigInt((await db().pool.query(
      `select coalesce(sum((c.new_price_fen - c.old_price_fen) * v.quantity), 0)::text as net
         from scenario_change c
         join volume_annual_level v on v.region_code = c.region_code and v.item_code = c.item_code
                                   and v.hospital_level = c.hospital_level and v.is_public and v.year = $2
        where c.scenario_id = $1`,
      [scenarioId, year],
    )).rows[0].net);

  beforeAll(async () => {
    await db().pool.query(
      `insert into region_item (region_code, item_code, name, unit, payment_class, category_code) values ($1, $2, '测试项目（仅三级）', '次', '甲', 'clinical')`,
      [SUZHOU, ONLY3],
    );
    await db().pool.query(`insert into price (region_code, item_code, hospital_level, valid_from, price_fen) values ($1, $2, 3, '2022-01-01', 5000)`, [SUZHOU, ONLY3]);
    ({ app, base } = await startTestApp(db().url));
    dir = fixtureDir();
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '苏州市2025年医疗服务价格调整', effectiveDate: '2025-01-01',
      params: { itemShareFloor: 0.05, changeCap: 0.3, declareFrom: '2025-03-01', declareTo: '2025-03-31' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
  });
  afterAll(async () => {
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reproduces the net amount of 苏州 round 1 over 2022 volumes from its approved scenario', async () => {
    const hist = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2023`)).body[0];
    expect(hist).toMatchObject({ status: 'implemented', effectiveDate: '2023-01-01' });
    const sid = hist.approvedScenarioId as number;
    const scenario = (await call('GET', `/api/scenarios/${sid}`)).body;
    expect(scenario).toMatchObject({ method: 'historic', status: 'approved', roundId: hist.id });
    const changeCount = (await db().pool.query(`select count(*)::int as n from scenario_change where scenario_id = $1`, [sid])).rows[0].n;
    expect(scenario.changes).toHaveLength(changeCount);

    // the impact reads the scenario and its round in one statement: the same round as GET /api/rounds/:id
    const head = await app.get(ScenariosRepository).headWithRound(sid);
    expect(head?.round).toEqual((await call('GET', `/api/rounds/${hist.id}`)).body);
    expect(head?.scenario).toMatchObject({ id: sid, roundId: hist.id, method: 'historic', status: 'approved' });

    const res = await call('GET', `/api/scenarios/${sid}/impact?include=hospitals`);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const imp = res.body;
    expect(imp).toMatchObject({ baseYear: 2022, priceDate: '2022-12-31', included: { hospitals: true, positions: false } });
    expect(imp.positions).toBeUndefined();
    const s = imp.summary;
    const net = await sqlNet(sid, 2022);
    expect(BigInt(s.netFen)).toBe(net);
    {
      // the README's 11000.00万元 is rounded to 0.01万元 (100元)
      expect(Math.abs(s.netFen - README_ROUND1_NET_FEN)).toBeLessThanOrEqual(5_000);
    }
    expect(s.changedRowCount).toBe(changeCount);
    expect(s.adjustedItemCount).toBe(hist.params.items);
    expectIdentities(s);
    const up = await db().pool.query(
      `select coalesce(sum((c.new_price_fen - c.old_price_fen) * v.quantity) filter (where c.new_price_fen > c.old_price_fen), 0)::text as up
         from scenario_change c join volume_annual_level v on v.region_code = c.region_code and v.item_code = c.item_code
                                 and v.hospital_level = c.hospital_level and v.is_public and v.year = 2022
        where c.scenario_id = $1`,
      [sid],
    );
    expect(BigInt(s.grossUpFen)).toBe(BigInt(up.rows[0].up));
    // by hospital, from the institution rollup: the same net
    expect(imp.byHospital.reduce((a: number, g: Group) => a + g.netFen, 0)).toBe(s.netFen);
    expect(imp.byPaymentClass.reduce((a: number, g: Group) => a + g.fundFen, 0)).toBe(s.fundFen);
    // every row's fund share comes from the demo 医保支付比例表 loaded by the ETL, none from a fallback
    expect(Object.keys(imp.paramsUsed.fundShareSources)).toEqual(['reimbursement_rate']);
    // direction of the pilot rounds: cuts in exams and lab, raises in labour items
    expect(s.byCategory.find((g: Group) => g.key === 'lab').netFen).toBeLessThan(0);
    expect(s.byCategory.find((g: Group) => g.key === 'surgery').netFen).toBeGreaterThan(0);

    const locked = await call('PUT', `/api/scenarios/${sid}/changes`, { version: scenario.version, changes: [] });
    expect(locked.status).toBe(422);
    expect(locked.body.code).toBe('SCENARIO.LOCKED');
    expect((await call('POST', `/api/rounds/${hist.id}/scenarios`, { name: 'x' })).body.code).toBe('ROUND.LOCKED');
  });

  it('replaces changes with old prices in force the day before 执行日期, and rejects bad rows and stale versions', async () => {
    const sc = await newScenario('手工方案');
    expect(sc).toMatchObject({ version: 1, method: 'manual', status: 'draft', changes: [] });
    const put = await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: 1,
      changes: [
        { itemCode: VISIT, level: 3, pctChange: 20, reason: '体现技术劳务价值' },
        { itemCode: VISIT, level: 2, newPriceFen: 3000 },
        { itemCode: LAB, level: 3, pctChange: -25 },
      ],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.version).toBe(2);
    const byKey = new Map(put.body.changes.map((c: { itemCode: string; level: number }) => [`${c.itemCode}|${c.level}`, c]));
    const visit3 = await priceAt(VISIT, 3);
    const lab3 = await priceAt(LAB, 3);
    expect(byKey.get(`${VISIT}|3`)).toMatchObject({ oldPriceFen: visit3, newPriceFen: roundHalfAway(visit3 * 1.2), reason: '体现技术劳务价值' });
    expect(byKey.get(`${VISIT}|2`)).toMatchObject({ oldPriceFen: await priceAt(VISIT, 2), newPriceFen: 3000 });
    expect(byKey.get(`${LAB}|3`)).toMatchObject({ oldPriceFen: lab3, newPriceFen: roundHalfAway(lab3 * 0.75) });

    const before = await snapshot(sc.id);
    const bad = await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: 2,
      changes: [
        { itemCode: VISIT, level: 3, newPriceFen: 1 },
        { itemCode: 'NOPE00001', level: 3, newPriceFen: 1 },
        { itemCode: ONLY3, level: 1, newPriceFen: 1 },
        { itemCode: VISIT, level: 3, newPriceFen: 2 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['body.changes.1.itemCode', 'body.changes.2.level', 'body.changes.3']);
    const level4 = await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 2, changes: [{ itemCode: VISIT, level: 4, newPriceFen: 1 }] });
    expect(level4.status).toBe(400);
    expect(level4.body.details[0].path).toBe('body.changes.0.level');
    const both = await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 2, changes: [{ itemCode: VISIT, level: 3, newPriceFen: 1, pctChange: 3 }] });
    expect(both.body.details[0].path).toBe('body.changes.0.newPriceFen');
    const stale = await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: VISIT, level: 1, newPriceFen: 100 }] });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'SCENARIO.STALE', details: { currentVersion: 2, yourVersion: 1 } });
    expect(await snapshot(sc.id)).toEqual(before);

    const list = (await call('GET', `/api/rounds/${roundId}/scenarios`)).body;
    expect(list.find((x: { id: number }) => x.id === sc.id)).toMatchObject({ changeCount: 3, upCount: 2, downCount: 1, version: 2 });
    expect((await call('POST', `/api/rounds/${roundId}/scenarios`, { name: '手工方案' })).body.code).toBe('SCENARIO.NAME_TAKEN');
    expect((await call('GET', '/api/scenarios/999999')).body.code).toBe('SCENARIO.NOT_FOUND');
  });

  it('measures the impact: identities, SQL net, checks, service revenue share and cross-region positions', async () => {
    const sc = await newScenario('影响测算');
    // +50% is written under a cap of 60%; the cap is then set back to 30%: the stored scenario is over it
    const setCap = async (changeCap: number) => {
      const r = (await call('GET', `/api/rounds/${roundId}`)).body;
      expect((await call('PATCH', `/api/rounds/${roundId}`, { version: r.version, params: { changeCap } })).status).toBe(200);
    };
    await setCap(0.6);
    const put = await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: 1,
      changes: [
        { itemCode: VISIT, level: 3, pctChange: 20 },
        { itemCode: NURSING, level: 3, pctChange: 50 },
        { itemCode: LAB, level: 3, pctChange: -25 },
      ],
    });
    expect(put.status).toBe(200);
    await setCap(0.3);
    // the summary alone by default: no by-hospital figures, no cross-region positions
    const plain = await call('GET', `/api/scenarios/${sc.id}/impact`);
    expect(plain.body.included).toEqual({ hospitals: false, positions: false });
    expect(plain.body.byHospital).toBeUndefined();
    expect(plain.body.positions).toBeUndefined();
    expect((await call('GET', `/api/scenarios/${sc.id}/impact?include=beds`)).status).toBe(400);
    const res = await call('GET', `/api/scenarios/${sc.id}/impact?include=hospitals,positions`);
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const imp = res.body;
    const s = imp.summary;
    expect(s).toEqual(plain.body.summary);
    expect(imp).toMatchObject({ baseYear: 2024, priceDate: '2024-12-31', scenario: { id: sc.id, version: 2 } });
    expect(BigInt(s.netFen)).toBe(await sqlNet(sc.id, 2024));
    expectIdentities(s);
    expect(s).toMatchObject({ changedRowCount: 3, upRowCount: 2, downRowCount: 1, adjustedItemCount: 3 });
    expect(imp.byHospital.reduce((a: number, g: Group) => a + g.netFen, 0)).toBe(s.netFen);
    for (const g of imp.byHospital as (Group & { level: number })[]) if (g.level !== 3) expect(g.netFen).toBe(0); // level-3 changes only
    // the item share floor (5% of the region's items) is missed with three items
    const codes = s.checks.map((c: { code: string }) => c.code);
    expect(codes).toContain('SCENARIO.ITEM_SHARE_UNDER_FLOOR');
    expect(codes).toContain('SCENARIO.ITEM_OVER_CAP'); // +50% with a 30% cap
    expect(s.checks.find((c: { code: string }) => c.code === 'SCENARIO.ITEM_OVER_CAP').items.map((i: { itemCode: string }) => i.itemCode)).toEqual([NURSING]);
    expect(imp.total.source).toBe('computed');
    expect(s.withinTotal).toBe(s.netFen <= imp.total.totalFen);

    // 医疗服务收入占比 of 2024 (35.7%), before and after
    const share = imp.serviceRevenueShare;
    expect(share.before).toBe(0.357);
    const M0 = share.serviceRevenueFen / share.before;
    expect(share.after).toBeCloseTo((share.serviceRevenueFen + share.deltaServiceFen) / (M0 + share.deltaServiceFen + share.deltaExamLabFen), 12);
    expect(share.after).toBeGreaterThan(share.before); // labour up, lab down
    expect(share.deltaServiceFen + share.deltaExamLabFen).toBe(s.netFen);

    // position among the other regions' prices for the same item and level
    expect(imp.positions).toHaveLength(3);
    const others = await db().pool.query(
      `select distinct on (region_code) price_fen::float8 as p from price
        where region_code <> $1 and item_code = $2 and hospital_level = 3 and valid_from <= '2024-12-31'
        order by region_code, valid_from desc`,
      [SUZHOU, LAB],
    );
    const prices = others.rows.map((r) => r.p as number);
    const lab = imp.positions.find((p: { itemCode: string }) => p.itemCode === LAB);
    const rank = (p: number) => (100 * (prices.filter((x) => x < p).length + prices.filter((x) => x === p).length / 2)) / prices.length;
    expect(lab).toMatchObject({ regionCount: prices.length, minFen: Math.min(...prices), maxFen: Math.max(...prices) });
    expect(lab.percentileOld).toBeCloseTo(rank(lab.oldPriceFen), 10);
    expect(lab.percentileNew).toBeCloseTo(rank(lab.newPriceFen), 10);
    expect(lab.percentileNew).toBeLessThanOrEqual(lab.percentileOld);
  });

  it('follows the data: a committed change of volumes or prices shows in the next impact, an aborted one does not', async () => {
    const sc = await newScenario('数据更新');
    await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: VISIT, level: 3, pctChange: 10 }] });
    const first = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary;
    expect(BigInt(first.netFen)).toBe(await sqlNet(sc.id, 2024));
    expect(first.netFen).not.toBe(0);

    // a transaction that is rolled back leaves the figures as they were
    const c = await db().pool.connect();
    try {
      await c.query('begin');
      await c.query(`update volume_annual_level set quantity = quantity * 3 where region_code = $1 and item_code = $2 and year = 2024`, [SUZHOU, VISIT]);
      expect((await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary.netFen).toBe(first.netFen);
      await c.query('rollback');
    } finally {
      c.release();
    }
    expect((await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary.netFen).toBe(first.netFen);

    // committed: twice the volume, twice the net (one changed row)
    await db().pool.query(`update volume_annual_level set quantity = quantity * 2 where region_code = $1 and item_code = $2 and year = 2024`, [SUZHOU, VISIT]);
    const doubled = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary;
    expect(doubled.netFen).toBe(2 * first.netFen);
    expect(BigInt(doubled.netFen)).toBe(await sqlNet(sc.id, 2024));
    await db().pool.query(`update volume_annual_level set quantity = quantity / 2 where region_code = $1 and item_code = $2 and year = 2024`, [SUZHOU, VISIT]);
    expect((await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary.netFen).toBe(first.netFen);

    // a new change list (version 3) is read again
    await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 2, changes: [{ itemCode: VISIT, level: 3, pctChange: 20 }] });
    const again = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body;
    expect(again.scenario.version).toBe(3);
    expect(BigInt(again.summary.netFen)).toBe(await sqlNet(sc.id, 2024));
  });

  it('summarises the changed rows\' cross-region positions and lists at most 50 of them', async () => {
    const sc = await newScenario('价格位置');
    const items = (await db().pool.query(
      `select distinct item_code from price where region_code = $1 and hospital_level = 3 and valid_from <= '2024-12-31' order by 1 limit 60`, [SUZHOU],
    )).rows.map((r) => r.item_code as string);
    const put = await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: items.map((itemCode) => ({ itemCode, level: 3, pctChange: 5 })) });
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(200);
    const imp = (await call('GET', `/api/scenarios/${sc.id}/impact?include=positions`)).body;
    const table = (await call('GET', `/api/scenarios/${sc.id}/impact/items`)).body as { itemCode: string; percentileNew: number | null; otherRegionCount: number }[];
    expect(table).toHaveLength(items.length);
    const ranked = table.filter((r) => r.percentileNew !== null);
    expect(imp.positionSummary.rowCount).toBe(items.length);
    expect(imp.positionSummary.withPeersCount).toBe(ranked.length);
    expect(imp.positionSummary.bands.reduce((a: number, b: { after: number }) => a + b.after, 0)).toBe(ranked.length);
    expect(imp.positions).toHaveLength(Math.min(50, ranked.length));
    const top = Math.max(...ranked.map((r) => r.percentileNew!));
    expect(imp.positions[0].percentileNew).toBe(top);
    for (let i = 1; i < imp.positions.length; i++) expect(imp.positions[i].percentileNew).toBeLessThanOrEqual(imp.positions[i - 1].percentileNew);
  });

  it('PATCH sets and removes single changes: one row written, the version bumped, the impact follows, a stale or bad patch changes nothing', async () => {
    const sc = await newScenario('逐项修改');
    await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: 1,
      changes: [{ itemCode: VISIT, level: 3, pctChange: 10 }, { itemCode: NURSING, level: 3, pctChange: 20 }, { itemCode: LAB, level: 3, pctChange: -10 }],
    });
    // read once, so the change list is cached at version 2 and the patch must update it
    const before = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary;
    expect(before.changedRowCount).toBe(3);
    const old = (await db().pool.query(`select price_fen::int as p from price where region_code = $1 and item_code = $2 and hospital_level = 2 order by valid_from desc limit 1`, [SUZHOU, VISIT])).rows[0].p as number;

    const patch = await call('PATCH', `/api/scenarios/${sc.id}/changes`, {
      version: 2,
      set: [{ itemCode: NURSING, level: 3, newPriceFen: 4321 }, { itemCode: VISIT, level: 2, pctChange: 5, reason: '门诊' }],
      remove: [{ itemCode: LAB, level: 3 }],
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    expect(patch.body, JSON.stringify(patch.body)).toMatchObject({ id: sc.id, version: 3, set: 2, removed: 1, changeCount: 3 });
    const rows = (await db().pool.query(
      `select item_code, hospital_level::int as level, new_price_fen::int as p, reason from scenario_change where scenario_id = $1 order by 1, 2`, [sc.id],
    )).rows;
    expect(rows.map((r) => `${r.item_code}|${r.level}`)).toEqual([`${VISIT}|2`, `${VISIT}|3`, `${NURSING}|3`].sort());
    expect(rows.find((r) => r.item_code === NURSING).p).toBe(4321);
    expect(rows.find((r) => r.item_code === VISIT && r.level === 2)).toMatchObject({ p: roundHalfAway(old * 1.05), reason: '门诊' });
    // the impact after the patch equals the SQL net, and the cached list equals a fresh read
    const after = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body;
    expect(after.scenario.version).toBe(3);
    expect(BigInt(after.summary.netFen)).toBe(await sqlNet(sc.id, 2024));
    const svc = app.get(ScenariosService);
    const head = (await svc.headContext(sc.id)).scenario;
    const key = (c: { itemCode: string; level: number }) => `${c.itemCode}|${c.level}`;
    const sorted = (xs: RowChange[]) =>
      xs.map((c) => ({ itemCode: c.itemCode, level: c.level, oldPriceFen: c.oldPriceFen, newPriceFen: c.newPriceFen, reason: c.reason })).sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(sorted((await svc.cachedChanges(head)).toArray())).toEqual(sorted(await app.get(ScenariosRepository).changeRows(sc.id)));

    const fingerprint = await scenarioFingerprint(db().pool, sc.id);
    const stale = await call('PATCH', `/api/scenarios/${sc.id}/changes`, { version: 2, set: [{ itemCode: LAB, level: 3, pctChange: 1 }] });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('SCENARIO.STALE');
    const bad = await call('PATCH', `/api/scenarios/${sc.id}/changes`, { version: 3, set: [{ itemCode: 'NO_SUCH', level: 3, pctChange: 1 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('body.set.0.itemCode');
    const both = await call('PATCH', `/api/scenarios/${sc.id}/changes`, { version: 3, set: [{ itemCode: LAB, level: 3, pctChange: 1 }], remove: [{ itemCode: LAB, level: 3 }] });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain('body.remove.0');
    expect(await scenarioFingerprint(db().pool, sc.id)).toEqual(fingerprint);
    expect((await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary).toEqual(after.summary);
  });

  it('serves the items table as JSON and as a readable Arrow IPC stream with the same rows', async () => {
    const sc = await newScenario('明细表');
    await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: 1,
      changes: [{ itemCode: VISIT, level: 3, pctChange: 10 }, { itemCode: VISIT, level: 1, pctChange: 10 }, { itemCode: LAB, level: 2, pctChange: -10 }],
    });
    const jsonRes = await apiFetch(base, `/api/scenarios/${sc.id}/impact/items`);
    const rows = (await json(jsonRes)) as { itemCode: string; level: number; deltaRevenueFen: number; fundFen: number; outOfPocketFen: number }[];
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.fundFen + r.outOfPocketFen).toBe(r.deltaRevenueFen);

    const arrowRes = await apiFetch(base, `/api/scenarios/${sc.id}/impact/items`, { headers: { accept: 'application/vnd.apache.arrow.stream' } });
    expect(arrowRes.status).toBe(200);
    expect(arrowRes.headers.get('content-type')).toContain('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrowRes.arrayBuffer()));
    expect(table.numRows).toBe(rows.length);
    expect(table.getChild('itemCode')!.toArray()).toEqual(rows.map((r) => r.itemCode));
    expect(Array.from(table.getChild('level')!.toArray() as Int32Array)).toEqual(rows.map((r) => r.level));
    expect(Array.from(table.getChild('deltaRevenueFen')!.toArray() as BigInt64Array, Number)).toEqual(rows.map((r) => r.deltaRevenueFen));

    const all = (await json(await apiFetch(base, `/api/scenarios/${sc.id}/impact/items?scope=all`))) as unknown[];
    const allArrow = tableFromIPC(new Uint8Array(await (await apiFetch(base, `/api/scenarios/${sc.id}/impact/items?scope=all`, {
      headers: { accept: 'application/vnd.apache.arrow.stream' },
    })).arrayBuffer()));
    expect(allArrow.numRows).toBe(all.length);
    expect(all.length).toBe((await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary.rowCount);

    // a page of the rows: the same rows as the whole table's slice, the whole count in X-Total-Count
    const pageRes = await apiFetch(base, `/api/scenarios/${sc.id}/impact/items?scope=all&offset=5&limit=7`);
    expect(pageRes.headers.get('x-total-count')).toBe(String(all.length));
    expect(await json(pageRes)).toEqual(all.slice(5, 12));
    expect((await apiFetch(base, `/api/scenarios/${sc.id}/impact/items?limit=0`)).status).toBe(400);
  });

  it('imports an xlsx 调价项目表; a file with one bad row is rejected with file:row:column and changes nothing', async () => {
    const sc = await newScenario('导入方案');
    const head = ['项目编码', '项目名称', '三级新价（元）', '二级新价（元）', '一级新价（元）'];
    const v3 = await priceAt(VISIT, 3);
    const good = await writeXlsx(path.join(dir, '苏州调价项目表.xlsx'), [
      ['苏州市2025年医疗服务价格调整项目表（征求意见稿）'],
      head,
      [VISIT, '普通门诊诊查费', (v3 + 500) / 100, null, '—'],
      [LAB, '血细胞分析', (await priceAt(LAB, 3)) / 100 - 5, (await priceAt(LAB, 2)) / 100 - 4, (await priceAt(LAB, 1)) / 100 - 3],
      [NURSING, 'Ⅰ级护理', (await priceAt(NURSING, 3)) / 100, null, null], // unchanged: read and left out
    ]);
    const form = (file: string, version?: number) => {
      const fd = new FormData();
      fd.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
      if (version !== undefined) fd.append('version', String(version));
      return fd;
    };
    const ok = await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: form(good, 1) });
    const okBody = await json(ok);
    expect(ok.status, JSON.stringify(okBody)).toBe(200);
    expect(okBody).toMatchObject({ version: 2, changeCount: 4, import: { fileName: '苏州调价项目表.xlsx', rowsRead: 3, changes: 4, unchangedPrices: 1 } });
    const visit = okBody.changes.find((c: { itemCode: string; level: number }) => c.itemCode === VISIT && c.level === 3);
    expect(visit).toMatchObject({ oldPriceFen: v3, newPriceFen: v3 + 500, source: '苏州调价项目表.xlsx:3' });

    const before = await snapshot(sc.id);
    const bad = await writeXlsx(path.join(dir, 'bad.xlsx'), [
      ['苏州市2025年医疗服务价格调整项目表'],
      head,
      [VISIT, '普通门诊诊查费', (v3 + 900) / 100, null, null],
      [LAB, '血细胞分析', '12.345', null, null],
    ]);
    const rejected = await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: form(bad, 2) });
    const rb = await json(rejected);
    expect(rejected.status).toBe(400);
    expect(rb.code).toBe('SCENARIO.IMPORT_INVALID');
    expect(rb.details).toHaveLength(1);
    expect(rb.details[0].path).toBe('bad.xlsx:4:C');
    expect(rb.details[0].message).toMatch(/三级新价/);
    expect(await snapshot(sc.id)).toEqual(before);

    const unknown = await writeXlsx(path.join(dir, 'unknown.xlsx'), [head, ['NOPE00001', '不存在', 1, 1, 1]]);
    const ub = await json(await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: form(unknown, 2) }));
    expect(ub.details.map((d: { path: string }) => d.path)).toEqual(['unknown.xlsx:2:A']);
    expect(await snapshot(sc.id)).toEqual(before);

    const stale = await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: form(good, 1) });
    expect(stale.status).toBe(409);
    expect(await snapshot(sc.id)).toEqual(before);

    // the raw file as the request body, csv with a single 新价 column for every level
    const csv = writeCsv(path.join(dir, 'raw.csv'), [['项目编码', '新价（元）'], [NURSING, (await priceAt(NURSING, 1)) / 100 + 2]]);
    const raw = await apiFetch(base, `/api/scenarios/${sc.id}/import?fileName=raw.csv&version=2`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: fs.readFileSync(csv),
    });
    const rawBody = await json(raw);
    expect(raw.status, JSON.stringify(rawBody)).toBe(200);
    expect(rawBody.version).toBe(3);
    expect(rawBody.changes.map((c: { itemCode: string }) => c.itemCode)).toEqual(expect.arrayContaining([NURSING]));
    expect(rawBody.changes.every((c: { itemCode: string }) => c.itemCode === NURSING)).toBe(true);
  });

  it('scales a scenario to a target net amount exactly (budget-neutral factor)', async () => {
    const sc = await newScenario('缩放方案');
    await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: 1,
      changes: [
        { itemCode: VISIT, level: 3, pctChange: 20 },
        { itemCode: VISIT, level: 2, pctChange: 20 },
        { itemCode: VISIT, level: 1, pctChange: 20 },
        { itemCode: NURSING, level: 3, pctChange: 20 },
        { itemCode: NURSING, level: 2, pctChange: 20 },
        { itemCode: LAB, level: 3, pctChange: -20 },
      ],
    });
    const target = 123_456_789;
    const res = await call('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: target, version: 2 });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const { scaling, scenario } = res.body;
    expect(scenario.version).toBe(3);
    expect(scaling.achievedNetFen).toBe(target - scaling.gapFen);
    if (scaling.quantityGcd === 1) expect(scaling.exact).toBe(true);
    const net = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body.summary.netFen;
    expect(net).toBe(scaling.achievedNetFen);
    expect(BigInt(net)).toBe(await sqlNet(sc.id, 2024));

    const before = await snapshot(sc.id);
    const stale = await call('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: 1, version: 2 });
    expect(stale.status).toBe(409);
    // a negative factor would reverse every change: refused, nothing written
    const reversed = await call('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: -target * 1000, scope: 'increases', version: 3 });
    expect(reversed.status).toBe(422);
    expect(reversed.body).toMatchObject({ code: 'SCENARIO.SCALE_IMPOSSIBLE', details: { status: 'negative-factor' } });
    expect(await snapshot(sc.id)).toEqual(before);
  });

  it('scales by new prices over the changed rows, or over the whole fee schedule (Medicare definition), with hand-computed factors', async () => {
    const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
    const reduced = (n: bigint, d: bigint) => {
      const g = gcd(n, d);
      return { numerator: Number(n / g), denominator: Number(d / g) };
    };
    const changes = [
      { itemCode: VISIT, level: 3, pctChange: 20 },
      { itemCode: NURSING, level: 2, pctChange: 20 },
      { itemCode: LAB, level: 3, pctChange: -20 },
    ];
    const target = 50_000_000;

    // scope prices: R₀ and R₁ of the three changed rows only
    const a = await newScenario('按新价缩放（已调整项目）');
    await call('PUT', `/api/scenarios/${a.id}/changes`, { version: 1, changes });
    const sums = (await db().pool.query(
      `select sum(c.old_price_fen * v.quantity)::text as r0, sum(c.new_price_fen * v.quantity)::text as r1
         from scenario_change c
         join volume_annual_level v on v.region_code = c.region_code and v.item_code = c.item_code
                                   and v.hospital_level = c.hospital_level and v.is_public and v.year = 2024
        where c.scenario_id = $1`, [a.id])).rows[0];
    // a net 2% of R₁ above the present one: a factor near 1.02 keeps every change within the 30% cap
    const targetA = Number(sums.r1) - Number(sums.r0) + Math.round(Number(sums.r1) * 0.02);
    const pr = await call('POST', `/api/scenarios/${a.id}/scale`, { targetFen: targetA, scope: 'prices', version: 2 });
    expect(pr.status, JSON.stringify(pr.body).slice(0, 400)).toBe(200);
    expect(pr.body.scaling.basis).toMatchObject({ scope: 'prices', rowCount: 3, baseRevenueFen: Number(sums.r0), proposedRevenueFen: Number(sums.r1) });
    expect(pr.body.scaling.factorFraction).toEqual(reduced(BigInt(sums.r0) + BigInt(targetA), BigInt(sums.r1)));
    expect(pr.body.scenario.changes).toHaveLength(3);

    // scope schedule: R₀ is the impact's base revenue over every row; unchanged rows become changes
    const b = await newScenario('按新价缩放（全部收费项目）');
    await call('PUT', `/api/scenarios/${b.id}/changes`, { version: 1, changes });
    const before = (await call('GET', `/api/scenarios/${b.id}/impact`)).body.summary;
    const R0 = BigInt(before.baseRevenueFen);
    const R1 = R0 + BigInt(before.netFen);
    const sc = await call('POST', `/api/scenarios/${b.id}/scale`, { targetFen: target, scope: 'schedule', version: 2 });
    expect(sc.status, JSON.stringify(sc.body).slice(0, 400)).toBe(200);
    const { scaling, scenario } = sc.body;
    expect(scaling.basis).toMatchObject({ scope: 'schedule', rowCount: before.rowCount, baseRevenueFen: Number(R0), proposedRevenueFen: Number(R1) });
    expect(scaling.basis.descriptionZh).toContain('全部收费项目');
    expect(scaling.factorFraction).toEqual(reduced(R0 + BigInt(target), R1));
    expect(scenario.changes.length).toBeGreaterThan(3);
    const after = (await call('GET', `/api/scenarios/${b.id}/impact`)).body.summary;
    expect(after.netFen).toBe(scaling.achievedNetFen);
    expect(after.baseRevenueFen).toBe(before.baseRevenueFen);
    if (scaling.quantityGcd === 1) expect(after.netFen).toBe(target);
    expect(BigInt(after.netFen)).toBe(await sqlNet(b.id, 2024));
  });

  it('indexes 通用型 items by a growth rate and merges them into the scenario', async () => {
    const sc = await newScenario('通用型联动');
    await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: LAB, level: 3, pctChange: -10 }] });
    const res = await call('POST', `/api/scenarios/${sc.id}/index`, { growth: [0.05, 0.04], itemCodes: [VISIT, NURSING, LAB], roundToFen: 10, version: 2 });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body.indexation).toMatchObject({ growthText: '0.092', indexedCount: 6, roundToFen: 10 });
    const changes = res.body.scenario.changes as { itemCode: string; level: number; oldPriceFen: number; newPriceFen: number; source: string }[];
    for (const code of [VISIT, NURSING]) {
      for (const level of [3, 2, 1]) {
        const old = await priceAt(code, level);
        const expected = roundHalfAway((old * 1.092) / 10) * 10;
        const c = changes.find((x) => x.itemCode === code && x.level === level);
        if (expected === old) expect(c).toBeUndefined();
        else expect(c).toMatchObject({ oldPriceFen: old, newPriceFen: expected, source: 'indexation' });
      }
    }
    // the complex lab item is not indexed; its manual change stays
    expect(changes.filter((c) => c.itemCode === LAB)).toEqual([expect.objectContaining({ level: 3, newPriceFen: roundHalfAway((await priceAt(LAB, 3)) * 0.9) })]);
  });

  it('compares scenarios side by side: the same figures as their impacts, and only the items whose new prices differ', async () => {
    const a = await newScenario('比较方案甲');
    const b = await newScenario('比较方案乙');
    const visit3 = await priceAt(VISIT, 3);
    const lab3 = await priceAt(LAB, 3);
    const nursing2 = await priceAt(NURSING, 2);
    // both raise 诊查费 三级 by the same amount; 甲 cuts 血细胞分析 三级, 乙 raises Ⅰ级护理 二级 instead
    const pa = await call('PUT', `/api/scenarios/${a.id}/changes`, { version: 1, changes: [
      { itemCode: VISIT, level: 3, newPriceFen: visit3 + 500 }, { itemCode: LAB, level: 3, newPriceFen: lab3 - 100 },
    ] });
    expect(pa.status, JSON.stringify(pa.body)).toBe(200);
    const pb = await call('PUT', `/api/scenarios/${b.id}/changes`, { version: 1, changes: [
      { itemCode: VISIT, level: 3, newPriceFen: visit3 + 500 }, { itemCode: NURSING, level: 2, newPriceFen: nursing2 + 200 },
    ] });
    expect(pb.status, JSON.stringify(pb.body)).toBe(200);

    const cmp = await call('GET', `/api/rounds/${roundId}/compare?scenarios=${a.id},${b.id}`);
    expect(cmp.status, JSON.stringify(cmp.body)).toBe(200);
    expect(cmp.body.scenarios.map((s: { id: number; name: string }) => [s.id, s.name])).toEqual([[a.id, '比较方案甲'], [b.id, '比较方案乙']]);
    for (const s of cmp.body.scenarios) {
      const one = (await call('GET', `/api/scenarios/${s.id}/impact`)).body;
      expect(s.summary).toMatchObject({ netFen: one.summary.netFen, grossUpFen: one.summary.grossUpFen, fundFen: one.summary.fundFen, changedRowCount: 2 });
      expect(s.checks).toEqual(one.summary.checks);
      expect(s.byCategory).toEqual(one.summary.byCategory);
      expect(s.byLevel).toEqual(one.summary.byLevel);
    }
    expect(cmp.body.items).toEqual([
      expect.objectContaining({ itemCode: NURSING, level: 2, oldPriceFen: nursing2, newPricesFen: [nursing2, nursing2 + 200], spreadFen: 200 }),
      expect.objectContaining({ itemCode: LAB, level: 3, oldPriceFen: lab3, newPricesFen: [lab3 - 100, lab3], spreadFen: 100 }),
    ]);
    expect(cmp.body.items.map((i: { itemCode: string }) => i.itemCode).sort()).toEqual([LAB, NURSING].sort());
    expect(cmp.body.items.find((i: { itemCode: string }) => i.itemCode === VISIT)).toBeUndefined();

    const one = await call('GET', `/api/rounds/${roundId}/compare?scenarios=${a.id}`);
    expect(one.status).toBe(400);
    expect(one.body.details[0].path).toBe('query.scenarios');
    const foreign = await call('GET', `/api/rounds/${roundId}/compare?scenarios=${a.id},999999`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.details).toEqual([{ path: 'query.scenarios.1', message: `调价方案 999999 不属于调价轮次 ${roundId} (scenario not in this round)` }]);
  });

  it('documents the scenario and impact endpoints in OpenAPI', async () => {
    const doc = await json(await apiFetch(base, `/api/docs/openapi.json`));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/rounds/{id}/scenarios', '/api/scenarios/{id}', '/api/scenarios/{id}/changes', '/api/scenarios/{id}/import',
        '/api/scenarios/{id}/scale', '/api/scenarios/{id}/index', '/api/scenarios/{id}/impact', '/api/scenarios/{id}/impact/items',
      ]),
    );
    expect(doc.paths['/api/scenarios/{id}/impact'].get.summary).toMatch(/影响测算/);
    expect(doc.paths['/api/scenarios/{id}/changes'].put.requestBody.content['application/json'].schema.properties.changes).toBeDefined();
  });
});
