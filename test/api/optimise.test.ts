import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { scenarioFingerprint, useTestDatabase } from '../support/db';
import { caller } from '../support/http';

/**
 * POST /api/scenarios/:id/optimise on the demo dataset (苏州 320500): the proposal replaces the scenario's changes and
 * passes every check of the impact; infeasible settings name the conflicting constraints; a stale version changes
 * nothing.
 */

const SUZHOU = '320500';


describe('optimiser API (调价方案优化)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let roundId: number;

  const call = caller(() => base);

  const snapshot = (id: number) => scenarioFingerprint(db().pool, id);
  const newScenario = async (name: string) => {
    const r = await call('POST', `/api/rounds/${roundId}/scenarios`, { name, method: 'optimiser' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: number; version: number };
  };

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU,
      year: 2025,
      name: '苏州市2025年医疗服务价格调整（优化）',
      effectiveDate: '2025-01-01',
      params: { itemShareFloor: 0.05, changeCap: 0.3, totalFen: 50_000_000 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('replaces the changes with a proposal that passes every check of the impact', async () => {
    const sc = await newScenario('优化方案');
    // a manual change first: the proposal replaces it
    const first = (await call('GET', `/api/scenarios/${sc.id}/impact/items?scope=all`)).body[0];
    const put = await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: first.itemCode, level: first.level, pctChange: 1 }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const res = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 2, settings: { labourRuleShare: 0.6 } });
    expect(res.status, JSON.stringify(res.body).slice(0, 800)).toBe(200);
    const { scenario, proposal, settings } = res.body;
    expect(settings).toMatchObject({ totalFen: 50_000_000, totalSource: 'params', changeCap: 0.3, itemShareFloor: 0.05 });
    expect(scenario).toMatchObject({ id: sc.id, version: 3, method: 'optimiser' });
    expect(proposal.changes.length).toBeGreaterThan(0);
    expect(scenario.changes).toHaveLength(proposal.changes.length);
    const stored = new Map(scenario.changes.map((c: { itemCode: string; level: number; newPriceFen: number }) => [`${c.itemCode}|${c.level}`, c]));
    for (const c of proposal.changes) {
      expect(stored.get(`${c.itemCode}|${c.level}`)).toMatchObject({ oldPriceFen: c.oldPriceFen, newPriceFen: c.newPriceFen, source: 'optimiser' });
      expect(typeof c.reasonZh).toBe('string');
      expect(c.reasonZh.length).toBeGreaterThan(0);
      expect(['cap', 'cost', 'total', 'labour_rule', 'min_net', 'item_share_floor', null]).toContain(c.binding);
      expect(Math.abs(c.deltaFen)).toBeLessThanOrEqual(Math.floor(c.oldPriceFen * 0.3));
    }
    expect(proposal.summary.netFen).toBeLessThanOrEqual(50_000_000);
    expect(Array.isArray(proposal.binding)).toBe(true);
    expect(proposal.binding.length).toBeGreaterThan(0);

    const imp = await call('GET', `/api/scenarios/${sc.id}/impact`);
    expect(imp.status).toBe(200);
    const s = imp.body.summary;
    const codes = s.checks.map((c: { code: string }) => c.code);
    expect(codes).not.toContain('SCENARIO.OVER_BUDGET');
    expect(codes).not.toContain('SCENARIO.ITEM_OVER_CAP');
    expect(codes).not.toContain('SCENARIO.ITEM_SHARE_UNDER_FLOOR');
    expect(codes).not.toContain('SCENARIO.LABOUR_RULE_MISSED');
    expect(s.netFen).toBe(proposal.summary.netFen);
    expect(s.netFen).toBeLessThanOrEqual(imp.body.total.totalFen);
    expect(s.labour.share).toBeGreaterThanOrEqual(0.6);
    expect(s.adjustedItemCount).toBeGreaterThanOrEqual(s.minAdjustedItems);
    // the net in SQL over the base-year volumes
    const net = await db().pool.query(
      `select coalesce(sum((c.new_price_fen - c.old_price_fen) * v.quantity), 0)::text as net
         from scenario_change c join volume_annual_level v on v.region_code = c.region_code and v.item_code = c.item_code
                                 and v.hospital_level = c.hospital_level and v.is_public and v.year = 2024
        where c.scenario_id = $1`,
      [sc.id],
    );
    expect(BigInt(net.rows[0].net)).toBe(BigInt(s.netFen));
  });

  it('raises only labour-dominant items when asked, so the impact names no raised item of low labour share', async () => {
    const sc = await newScenario('只上调技术劳务项目');
    const free = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 1, settings: { labourRuleShare: 0 } });
    expect(free.status, JSON.stringify(free.body).slice(0, 800)).toBe(200);
    const res = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 2, settings: { labourRuleShare: 0, raiseLabourItemsOnly: true } });
    expect(res.status, JSON.stringify(res.body).slice(0, 800)).toBe(200);
    const imp = (await call('GET', `/api/scenarios/${sc.id}/impact`)).body;
    expect(imp.summary.checks.map((c: { code: string }) => c.code)).not.toContain('SCENARIO.RAISED_ITEM_LOW_LABOUR');
    const items = (await call('GET', `/api/scenarios/${sc.id}/impact/items`)).body as { deltaFen: number; labourShare: number | null; family: string }[];
    const raised = items.filter((i) => i.deltaFen > 0);
    expect(raised.length).toBeGreaterThan(0);
    for (const i of raised) expect(i.labourShare === null ? i.family === 'labour' : i.labourShare > 0.6).toBe(true);
  });

  it('names both constraints when minNetFen exceeds the total, and writes nothing', async () => {
    const sc = await newScenario('不可行设置');
    const before = await snapshot(sc.id);
    const res = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 1, settings: { totalFen: 1_000_000, minNetFen: 2_000_000 } });
    expect(res.status, JSON.stringify(res.body).slice(0, 800)).toBe(422);
    expect(res.body.code).toBe('SCENARIO.OPTIMISER_INFEASIBLE');
    const names = res.body.details.map((d: { constraint: string }) => d.constraint);
    expect(names).toEqual(expect.arrayContaining(['total', 'min_net']));
    for (const d of res.body.details) {
      expect(d).toHaveProperty('labelZh');
      expect(d).toHaveProperty('messageZh');
      expect(d).toHaveProperty('relaxFen');
    }
    const total = res.body.details.find((d: { constraint: string }) => d.constraint === 'total');
    expect(total.relaxFen).toBe(1_000_000);
    expect(await snapshot(sc.id)).toEqual(before);
  });

  it('rejects a stale version with 409 before solving, and validates the settings', async () => {
    const sc = await newScenario('版本过期');
    const before = await snapshot(sc.id);
    const stale = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 7, settings: {} });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'SCENARIO.STALE', details: { currentVersion: 1, yourVersion: 7 } });
    expect(await snapshot(sc.id)).toEqual(before);
    const bad = await call('POST', `/api/scenarios/${sc.id}/optimise`, { version: 1, settings: { changeCap: -1, extra: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION.FAILED');
    expect((await call('POST', '/api/scenarios/999999/optimise', { version: 1 })).body.code).toBe('SCENARIO.NOT_FOUND');
  });

  it('does not touch the scenarios of a historic round', async () => {
    const hist = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic&year=2023`)).body[0];
    const sid = hist.approvedScenarioId as number;
    const sc = (await call('GET', `/api/scenarios/${sid}`)).body;
    const res = await call('POST', `/api/scenarios/${sid}/optimise`, { version: sc.version, settings: { totalFen: 0 } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SCENARIO.LOCKED');
  });
});
