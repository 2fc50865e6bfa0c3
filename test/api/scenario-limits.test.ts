import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AMOUNT_FEN } from '../../api/src/domain/money';
import { MAX_PRICE_FEN } from '../../api/src/domain/pricing';
import { RoundsRepository } from '../../api/src/rounds/rounds.repository';
import { startTestApp } from '../support/app';
import { scenarioFingerprint, useTestDatabase } from '../support/db';
import { apiFetch, caller, json } from '../support/http';

/**
 * A scenario's changes stay within the round's limits whatever writes them — scale, index, import, PUT/PATCH and the
 * optimiser refuse a result over the 调价幅度上限 or beyond the price bound (422 SCENARIO.LIMIT_EXCEEDED naming the
 * rows, nothing stored); approval re-checks the stored scenario against every check of the impact; and the impact of
 * stored data out of bounds answers 422, never 500. On the demo dataset (苏州 320500).
 */

const SUZHOU = '320500';
const VISIT = '110200001'; // 普通门诊诊查费 (general)
const NURSING = '120100003'; // Ⅰ级护理 (nursing)
const LAB = '250101015'; // 血细胞分析

interface Check {
  code: string;
  count: number;
  items: { itemCode: string; level: number; oldPriceFen: number; newPriceFen: number }[];
}

describe('limits of a scenario (调价幅度上限、价格范围与批准前检查)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  const call = caller(() => base);
  const snapshot = (id: number) => scenarioFingerprint(db().pool, id);
  const roundRow = async (id: number) => (await db().pool.query(`select row_to_json(r)::text as r from round r where id = $1`, [id])).rows[0].r as string;

  const newRound = async (params: Record<string, unknown> = {}) => {
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: `苏州市2025年调价 ${Math.random()}`, effectiveDate: '2025-01-01',
      params: { itemShareFloor: 0, changeCap: 0.3, ...params },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: number; version: number };
  };
  const newScenario = async (roundId: number, changes: unknown[] = []) => {
    const sc = await call('POST', `/api/rounds/${roundId}/scenarios`, { name: `方案 ${Math.random()}` });
    expect(sc.status, JSON.stringify(sc.body)).toBe(201);
    if (!changes.length) return sc.body as { id: number; version: number };
    const put = await call('PUT', `/api/scenarios/${sc.body.id}/changes`, { version: 1, changes });
    expect(put.status, JSON.stringify(put.body).slice(0, 500)).toBe(200);
    return put.body as { id: number; version: number };
  };
  /** The refusal of a write: 422 SCENARIO.LIMIT_EXCEEDED with the check `code` naming `items` first. */
  const expectRefused = (res: { status: number; body: { code: string; message: string; details: { checks: Check[] } } }, code: string, items: string[]) => {
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(422);
    expect(res.body.code).toBe('SCENARIO.LIMIT_EXCEEDED');
    const check = res.body.details.checks.find((c) => c.code === code);
    expect(check, JSON.stringify(res.body.details)).toBeDefined();
    expect(check!.count).toBeGreaterThanOrEqual(items.length);
    expect(check!.items.length).toBeLessThanOrEqual(10);
    expect(check!.items.map((i) => i.itemCode)).toEqual(expect.arrayContaining(items));
    // the message names the check and its first row
    expect(res.body.message).toContain(check!.items[0].itemCode);
    return check!;
  };

  let roundId: number;
  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    roundId = (await newRound()).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('scale refuses a factor that takes prices over the change cap or beyond the price bound; nothing stored, the impact still answers', async () => {
    const sc = await newScenario(roundId, [
      { itemCode: VISIT, level: 3, pctChange: 20 },
      { itemCode: NURSING, level: 3, pctChange: 20 },
      { itemCode: LAB, level: 3, pctChange: -20 },
    ]);
    const before = await snapshot(sc.id);
    // the incident: a huge target in scope changes gave prices 16,528 times the old ones, stored with 200
    const huge = await call('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: 1e14, scope: 'changes', version: sc.version });
    const check = expectRefused(huge, 'SCENARIO.ITEM_OVER_CAP', [VISIT, NURSING]);
    expect(check.items.find((i) => i.itemCode === VISIT)!.newPriceFen).toBeGreaterThan(10 * check.items.find((i) => i.itemCode === VISIT)!.oldPriceFen);
    expect(await snapshot(sc.id)).toEqual(before);
    const impact = await call('GET', `/api/scenarios/${sc.id}/impact`);
    expect(impact.status).toBe(200);
    expect(impact.body.summary.checks.map((c: { code: string }) => c.code)).not.toContain('SCENARIO.ITEM_OVER_CAP');

    // the largest target a request may give, under a cap of 1000%: still refused, by the cap
    const wide = await newRound({ changeCap: 10 });
    const w = await newScenario(wide.id, [{ itemCode: VISIT, level: 3, pctChange: 20 }, { itemCode: NURSING, level: 3, pctChange: 20 }]);
    const wBefore = await snapshot(w.id);
    const far = await call('POST', `/api/scenarios/${w.id}/scale`, { targetFen: MAX_AMOUNT_FEN, scope: 'prices', version: w.version });
    const beyond = expectRefused(far, 'SCENARIO.ITEM_OVER_CAP', [VISIT, NURSING]);
    for (const i of beyond.items) expect(i.newPriceFen).toBeGreaterThan(11 * i.oldPriceFen);
    expect(await snapshot(w.id)).toEqual(wBefore);
    expect((await call('GET', `/api/scenarios/${w.id}/impact`)).status).toBe(200);
    // a scale within the cap still writes: every change × 1.2 (±24%)
    const ok = await call('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: Math.round(impact.body.summary.netFen * 1.2), version: sc.version });
    expect(ok.status, JSON.stringify(ok.body).slice(0, 400)).toBe(200);
    expect(ok.body.scenario.version).toBe(sc.version + 1);
  });

  it('PUT and PATCH refuse a change over the cap or a price beyond the bound; nothing stored', async () => {
    const sc = await newScenario(roundId, [{ itemCode: LAB, level: 3, pctChange: -10 }]);
    const before = await snapshot(sc.id);
    const put = await call('PUT', `/api/scenarios/${sc.id}/changes`, {
      version: sc.version, changes: [{ itemCode: VISIT, level: 3, pctChange: 20 }, { itemCode: NURSING, level: 2, pctChange: 50 }],
    });
    const over = expectRefused(put, 'SCENARIO.ITEM_OVER_CAP', [NURSING]);
    expect(over.items.map((i) => i.itemCode)).not.toContain(VISIT);
    expect(await snapshot(sc.id)).toEqual(before);

    const patch = await call('PATCH', `/api/scenarios/${sc.id}/changes`, { version: sc.version, set: [{ itemCode: VISIT, level: 1, pctChange: -31 }] });
    expectRefused(patch, 'SCENARIO.ITEM_OVER_CAP', [VISIT]);
    // an amount the schema takes, but no price: beyond the bound (the impact could not sum it exactly)
    const wide = await newRound({ changeCap: 10 });
    const w = await newScenario(wide.id);
    const wBefore = await snapshot(w.id);
    const big = await call('PATCH', `/api/scenarios/${w.id}/changes`, { version: w.version, set: [{ itemCode: VISIT, level: 3, newPriceFen: MAX_AMOUNT_FEN }] });
    const range = expectRefused(big, 'SCENARIO.PRICE_OUT_OF_RANGE', [VISIT]);
    expect(range.items[0].newPriceFen).toBe(MAX_AMOUNT_FEN);
    expect(await snapshot(w.id)).toEqual(wBefore);
    const bigPut = await call('PUT', `/api/scenarios/${w.id}/changes`, { version: w.version, changes: [{ itemCode: VISIT, level: 3, newPriceFen: MAX_PRICE_FEN + 1 }] });
    expectRefused(bigPut, 'SCENARIO.PRICE_OUT_OF_RANGE', [VISIT]);
    expect(await snapshot(w.id)).toEqual(wBefore);
    expect(await snapshot(sc.id)).toEqual(before);
    expect((await call('GET', `/api/scenarios/${w.id}/impact`)).status).toBe(200);
  });

  it('index and import refuse prices over the cap; nothing stored', async () => {
    const sc = await newScenario(roundId, [{ itemCode: LAB, level: 3, pctChange: -10 }]);
    const before = await snapshot(sc.id);
    const idx = await call('POST', `/api/scenarios/${sc.id}/index`, { growth: 0.5, itemCodes: [VISIT, NURSING], version: sc.version });
    expectRefused(idx, 'SCENARIO.ITEM_OVER_CAP', [VISIT, NURSING]);
    expect(await snapshot(sc.id)).toEqual(before);

    const old = (await call('GET', `/api/scenarios/${sc.id}/impact/items?scope=all`)).body.find((r: { itemCode: string; level: number }) => r.itemCode === NURSING && r.level === 3);
    const csv = `项目编码,三级新价（元）\n${NURSING},${((old.oldPriceFen * 1.5) / 100).toFixed(2)}\n`;
    const fd = new FormData();
    fd.append('file', new Blob([csv]), '调价项目表.csv');
    fd.append('version', String(sc.version));
    const res = await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: fd });
    expectRefused({ status: res.status, body: await json(res) }, 'SCENARIO.ITEM_OVER_CAP', [NURSING]);
    expect(await snapshot(sc.id)).toEqual(before);
  });

  it("the optimiser's save refuses a proposal over the round's cap (settings.changeCap above it); nothing stored", async () => {
    const r = await newRound({ totalFen: 5_000_000_000 });
    const sc = await newScenario(r.id);
    const before = await snapshot(sc.id);
    const res = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 1, settings: { changeCap: 2, targetRecovery: 10, labourRuleShare: 0 } });
    expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(422);
    expect(res.body.code).toBe('SCENARIO.LIMIT_EXCEEDED');
    expect(res.body.details.checks[0]).toMatchObject({ code: 'SCENARIO.ITEM_OVER_CAP' });
    expect(res.body.details.checks[0].items.length).toBeGreaterThan(0);
    expect(await snapshot(sc.id)).toEqual(before);
    // at the round's cap the proposal is saved
    const ok = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 1, settings: { labourRuleShare: 0 } });
    expect(ok.status, JSON.stringify(ok.body).slice(0, 600)).toBe(200);
  });

  it('the impact of stored data out of bounds answers 422 with a code, never 500', async () => {
    const sc = await newScenario(roundId, [{ itemCode: VISIT, level: 3, pctChange: 10 }]);
    // written around the API (an older version, a direct load): a price whose revenue is beyond the exact range
    await db().pool.query(`update scenario_change set new_price_fen = 9000000000000000 where scenario_id = $1`, [sc.id]);
    await db().pool.query(`update scenario set version = version + 1 where id = $1`, [sc.id]);
    for (const p of ['impact', 'impact?include=hospitals,positions', 'impact/items', 'impact/items?scope=all']) {
      const res = await call('GET', `/api/scenarios/${sc.id}/${p}`);
      expect(res.status, `${p}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(422);
      expect(res.body.code).toBe('SCENARIO.DATA_OUT_OF_RANGE');
      expect(res.body.message).toContain(String(sc.id));
    }
    const facts = await apiFetch(base, `/api/scenarios/${sc.id}/facts`);
    expect([200, 422]).toContain(facts.status);
    const other = await newScenario(roundId);
    const cmp = await call('GET', `/api/rounds/${roundId}/compare?scenarios=${sc.id},${other.id}`);
    expect(cmp.status).toBe(422);
    expect(cmp.body.code).toBe('SCENARIO.DATA_OUT_OF_RANGE');
  });

  describe('approval (批准) re-checks the stored scenario', () => {
    const to = (id: number, status: string, version: number, extra: Record<string, unknown> = {}) =>
      call('POST', `/api/rounds/${id}/status`, { to: status, version, ...extra });
    /** A round in 方案编制 with the given params; returns its id and version. */
    const openRound = async (params: Record<string, unknown> = {}) => {
      const r = await newRound(params);
      let v = r.version;
      for (const s of ['evaluated', 'triggered', 'scenarios']) {
        const res = await to(r.id, s, v);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        v = res.body.version;
      }
      return { id: r.id, version: v };
    };
    const expectNotApproved = async (roundId: number, version: number, scenarioId: number, codes: string[]) => {
      const before = await roundRow(roundId);
      const sBefore = await snapshot(scenarioId);
      const res = await to(roundId, 'approved', version, { scenarioId });
      expect(res.status, JSON.stringify(res.body).slice(0, 600)).toBe(422);
      expect(res.body.code).toBe('ROUND.APPROVAL_CHECKS_FAILED');
      expect(res.body.details.checks.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(codes));
      for (const c of codes) expect(res.body.message).toContain(c);
      expect(await roundRow(roundId)).toBe(before);
      expect(await snapshot(scenarioId)).toEqual(sBefore);
    };

    it('refuses a scenario over the change cap (the cap lowered after it was written)', async () => {
      const r = await openRound({ changeCap: 0.3 });
      const sc = await newScenario(r.id, [{ itemCode: VISIT, level: 3, pctChange: 25 }, { itemCode: LAB, level: 3, pctChange: -10 }]);
      const round = (await call('GET', `/api/rounds/${r.id}`)).body;
      const lowered = await call('PATCH', `/api/rounds/${r.id}`, { version: round.version, params: { changeCap: 0.2 } });
      expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);
      await expectNotApproved(r.id, lowered.body.version, sc.id, ['SCENARIO.ITEM_OVER_CAP']);
      const res = await to(r.id, 'approved', lowered.body.version, { scenarioId: sc.id });
      expect(res.body.details.checks.find((c: { code: string }) => c.code === 'SCENARIO.ITEM_OVER_CAP').items.map((i: { itemCode: string }) => i.itemCode)).toEqual([VISIT]);
      // written back within the cap, it passes; the approval is written only at the version checked
      const fixed = await call('PATCH', `/api/scenarios/${sc.id}/changes`, { version: sc.version, set: [{ itemCode: VISIT, level: 3, pctChange: 15 }] });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      const before = await roundRow(r.id);
      const moved = await app.get(RoundsRepository).transition(r.id, lowered.body.version, 'scenarios', 'approved', {
        approvedScenarioId: sc.id, approvedScenarioVersion: sc.version,
      });
      expect(moved).toEqual({ ok: false, reason: 'scenario-moved' });
      expect(await roundRow(r.id)).toBe(before);
      const ok = await to(r.id, 'approved', lowered.body.version, { scenarioId: sc.id });
      expect(ok.status, JSON.stringify(ok.body).slice(0, 600)).toBe(200);
      expect(ok.body).toMatchObject({ status: 'approved', approvedScenarioId: sc.id });
    });

    it('refuses a scenario over the budget or under the item share floor', async () => {
      const tight = await openRound({ totalFen: 1 });
      const sc = await newScenario(tight.id, [{ itemCode: VISIT, level: 3, pctChange: 10 }]);
      await expectNotApproved(tight.id, tight.version, sc.id, ['SCENARIO.OVER_BUDGET']);
      const floor = await openRound({ itemShareFloor: 0.5 });
      const sc2 = await newScenario(floor.id, [{ itemCode: LAB, level: 3, pctChange: -10 }]);
      await expectNotApproved(floor.id, floor.version, sc2.id, ['SCENARIO.ITEM_SHARE_UNDER_FLOOR']);
    });

    it('refuses stored data out of bounds with its code instead of failing', async () => {
      const r = await openRound();
      const sc = await newScenario(r.id, [{ itemCode: VISIT, level: 3, pctChange: 10 }]);
      await db().pool.query(`update scenario_change set new_price_fen = 9000000000000000 where scenario_id = $1`, [sc.id]);
      await expectNotApproved(r.id, r.version, sc.id, ['SCENARIO.PRICE_OUT_OF_RANGE']);
    });
  });
});
