import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { scenarioFingerprint, useTestDatabase } from '../support/db';
import { apiFetch, caller, json } from '../support/http';

/**
 * Scenario versions on the demo dataset (苏州 320500): every save through PUT, PATCH, import, scale and index is a
 * version with its action; a version's change list is exactly what that save left; two versions compare by their rows
 * and by impact(to) − impact(from) of the impacts the API gave after each save; a restore writes a version again as
 * the newest one, and a stale restore changes nothing.
 */

const SUZHOU = '320500';
const LAB = '250101015'; // 血细胞分析
const VISIT = '110200001'; // 普通门诊诊查费 (general)
const NURSING = '120100003'; // Ⅰ级护理 (nursing)

interface Change {
  itemCode: string;
  name: string | null;
  level: number;
  oldPriceFen: number;
  newPriceFen: number;
  reason: string | null;
  source: string | null;
}
const key = (c: { itemCode: string; level: number }) => `${c.itemCode}|${c.level}`;
const byKey = (a: Change, b: Change) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const plain = (cs: Change[]) =>
  cs.map(({ itemCode, name, level, oldPriceFen, newPriceFen, reason, source }) => ({ itemCode, name, level, oldPriceFen, newPriceFen, reason, source })).sort(byKey);

describe('scenario versions API (方案版本)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let roundId: number;
  let id: number;
  const call = caller(() => base);
  /** after each save: the scenario's change list and impact summary, by version */
  const saved = new Map<number, { changes: Change[]; summary: Record<string, unknown> & { netFen: number } }>();

  async function record(expectVersion: number): Promise<void> {
    const s = await call('GET', `/api/scenarios/${id}`);
    expect(s.body.version).toBe(expectVersion);
    const imp = await call('GET', `/api/scenarios/${id}/impact`);
    expect(imp.status).toBe(200);
    saved.set(expectVersion, { changes: plain(s.body.changes), summary: imp.body.summary });
  }

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '苏州市2025年调价（版本）', effectiveDate: '2025-01-01', params: { itemShareFloor: 0, changeCap: 0.3 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    roundId = r.body.id;
    const sc = await call('POST', `/api/rounds/${roundId}/scenarios`, { name: '版本方案' });
    expect(sc.status).toBe(201);
    id = sc.body.id;
    await record(1);

    // v2 PUT (manual)
    const put = await call('PUT', `/api/scenarios/${id}/changes`, {
      version: 1,
      changes: [
        { itemCode: VISIT, level: 3, pctChange: 10, reason: '体现技术劳务价值' },
        { itemCode: VISIT, level: 2, pctChange: 8 },
        { itemCode: LAB, level: 3, pctChange: -15 },
        { itemCode: LAB, level: 2, pctChange: -10 },
      ],
    });
    expect(put.status, JSON.stringify(put.body).slice(0, 300)).toBe(200);
    await record(2);
    // v3 PATCH: one row set, one re-priced, one removed
    const patch = await call('PATCH', `/api/scenarios/${id}/changes`, {
      version: 2,
      set: [{ itemCode: NURSING, level: 3, pctChange: 12 }, { itemCode: VISIT, level: 2, pctChange: 5 }],
      remove: [{ itemCode: LAB, level: 2 }],
    });
    expect(patch.status, JSON.stringify(patch.body)).toBe(200);
    await record(3);
    // v4 import (replaces the whole list)
    const lab3 = saved.get(3)!.changes.find((c) => key(c) === `${LAB}|3`)!;
    const fd = new FormData();
    const nursing3 = saved.get(3)!.changes.find((c) => key(c) === `${NURSING}|3`)!;
    const csv = ['项目编码,项目名称,三级新价（元）,二级新价（元）,一级新价（元）', `${LAB},血细胞分析,${((lab3.oldPriceFen - 100) / 100).toFixed(2)},,`, `${NURSING},Ⅰ级护理,${((nursing3.oldPriceFen + 200) / 100).toFixed(2)},,`];
    fd.set('file', new Blob([csv.join('\n') + '\n'], { type: 'text/csv' }), '版本导入.csv');
    fd.set('version', '3');
    const imp = await apiFetch(base, `/api/scenarios/${id}/import`, { method: 'POST', body: fd });
    expect(imp.status, JSON.stringify(await imp.clone().json()).slice(0, 300)).toBe(200);
    await record(4);
    // v5 scale to half the net, v6 index (通用型 +2%)
    const scale = await call('POST', `/api/scenarios/${id}/scale`, { targetFen: Math.round(saved.get(4)!.summary.netFen / 2), version: 4 });
    expect(scale.status, JSON.stringify(scale.body).slice(0, 300)).toBe(200);
    await record(5);
    const index = await call('POST', `/api/scenarios/${id}/index`, { growth: 0.02, version: 5 });
    expect(index.status, JSON.stringify(index.body).slice(0, 300)).toBe(200);
    await record(6);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('lists every save as a version with its action, who, when and the number of changes, newest first', async () => {
    const res = await call('GET', `/api/scenarios/${id}/versions`);
    expect(res.status).toBe(200);
    expect(res.body.map((v: { version: number; action: string }) => [v.version, v.action])).toEqual([
      [6, 'index'], [5, 'scale'], [4, 'import'], [3, 'patch'], [2, 'manual'], [1, 'create'],
    ]);
    for (const v of res.body) {
      expect(v.rowCount, `v${v.version}`).toBe(saved.get(v.version)!.changes.length);
      expect(v).toMatchObject({ actor: 'test-admin', displayName: '测试管理员', name: '版本方案', restoredFrom: null });
      expect(typeof v.userId).toBe('number');
      expect(v.requestId).toBeTruthy();
      expect(Date.parse(v.at)).toBeGreaterThan(Date.now() - 3_600_000);
    }
    // the versions of a missing scenario: 404, as the scenario itself
    expect((await call('GET', '/api/scenarios/999999/versions')).status).toBe(404);
  });

  it('shows each version with exactly the change list that save left', async () => {
    for (const [v, s] of saved) {
      const res = await call('GET', `/api/scenarios/${id}/versions/${v}`);
      expect(res.status, `v${v}`).toBe(200);
      expect(res.body).toMatchObject({ scenarioId: id, version: v, rowCount: s.changes.length });
      expect(plain(res.body.changes), `v${v}`).toEqual(s.changes);
    }
    // in the scenario's own order (the region's item list, then level 3 → 1)
    const now = (await call('GET', `/api/scenarios/${id}`)).body.changes.map(key);
    expect((await call('GET', `/api/scenarios/${id}/versions/6`)).body.changes.map(key)).toEqual(now);
    expect((await call('GET', `/api/scenarios/${id}/versions/6`)).body.params).toHaveProperty('indexation');

    const missing = await call('GET', `/api/scenarios/${id}/versions/99`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('SCENARIO.VERSION_NOT_FOUND');
    const bad = await call('GET', `/api/scenarios/${id}/versions/0`);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('params.version');
  });

  it('compares two versions: exactly the rows that differ, and impact(to) − impact(from) of the impacts after each save', async () => {
    for (const [from, to] of [[2, 4], [3, 2], [1, 6], [5, 5]]) {
      const res = await call('GET', `/api/scenarios/${id}/versions/compare?from=${from}&to=${to}`);
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
      const a = new Map(saved.get(from)!.changes.map((c) => [key(c), c]));
      const b = new Map(saved.get(to)!.changes.map((c) => [key(c), c]));
      const expected: [string, string][] = [];
      for (const [k, c] of b) {
        const o = a.get(k);
        if (!o) expected.push([k, 'added']);
        else if (o.oldPriceFen !== c.oldPriceFen || o.newPriceFen !== c.newPriceFen) expected.push([k, 'changed']);
        else if (o.reason !== c.reason) expected.push([k, 'reason']);
      }
      for (const k of a.keys()) if (!b.has(k)) expected.push([k, 'removed']);
      const got = res.body.items.map((i: Change & { kind: string }) => [key(i), i.kind]);
      expect([...got].sort(), `${from}→${to}`).toEqual(expected.sort());
      for (const i of res.body.items as { itemCode: string; level: number; kind: string; from: Change | null; to: Change | null }[]) {
        expect(i.from?.newPriceFen ?? null).toBe(a.get(key(i))?.newPriceFen ?? null);
        expect(i.to?.newPriceFen ?? null).toBe(b.get(key(i))?.newPriceFen ?? null);
      }
      // each side's impact is the impact the API gave for the scenario at that version
      expect(res.body.from.summary).toEqual(saved.get(from)!.summary);
      expect(res.body.to.summary).toEqual(saved.get(to)!.summary);
      for (const f of ['netFen', 'grossUpFen', 'grossDownFen', 'fundFen', 'outOfPocketFen', 'changedRowCount', 'adjustedItemCount'] as const) {
        const x = saved.get(from)!.summary[f] as number;
        const y = saved.get(to)!.summary[f] as number;
        expect(res.body.difference.figures[f], `${from}→${to} ${f}`).toEqual({ from: x, to: y, difference: y - x });
      }
    }
    const missing = await call('GET', `/api/scenarios/${id}/versions/compare?from=1&to=42`);
    expect(missing.status).toBe(404);
    const bad = await call('GET', `/api/scenarios/${id}/versions/compare?from=x&to=2`);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('query.from');
  });

  it('restores a version as the newest one: the same rows, the version bumped, recorded in the audit trail; a stale restore changes nothing', async () => {
    const res = await call('POST', `/api/scenarios/${id}/versions/3/restore`, { version: 6 });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.restoredFrom).toBe(3);
    expect(res.body.scenario.version).toBe(7);
    expect(plain(res.body.scenario.changes)).toEqual(saved.get(3)!.changes);
    expect(plain((await call('GET', `/api/scenarios/${id}`)).body.changes)).toEqual(saved.get(3)!.changes);
    expect((await call('GET', `/api/scenarios/${id}/impact`)).body.summary).toEqual(saved.get(3)!.summary);
    const list = (await call('GET', `/api/scenarios/${id}/versions`)).body;
    expect(list[0]).toMatchObject({ version: 7, action: 'restore', restoredFrom: 3, rowCount: saved.get(3)!.changes.length });
    const audit = await db().pool.query(`select action, entity_id, region_code, details, before, after, actor from audit_log where entity = 'scenario' and entity_id = $1 and action = 'scenario.restore'`, [String(id)]);
    expect(audit.rows).toMatchObject([
      { action: 'scenario.restore', entity_id: String(id), region_code: SUZHOU, details: { restoredFrom: 3 }, before: { version: 6 }, after: { version: 7, changeCount: saved.get(3)!.changes.length }, actor: 'test-admin' },
    ]);

    const before = await scenarioFingerprint(db().pool, id);
    const count = async () => (await db().pool.query('select count(*)::int as n from scenario_version where scenario_id = $1', [id])).rows[0].n;
    const versions = await count();
    const stale = await call('POST', `/api/scenarios/${id}/versions/5/restore`, { version: 6 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'SCENARIO.STALE', details: { currentVersion: 7, yourVersion: 6 } });
    const missing = await call('POST', `/api/scenarios/${id}/versions/77/restore`, { version: 7 });
    expect(missing.status).toBe(404);
    const noBody = await call('POST', `/api/scenarios/${id}/versions/5/restore`, {});
    expect(noBody.status).toBe(400);
    expect(noBody.body.details[0].path).toBe('body.version');
    expect(await scenarioFingerprint(db().pool, id)).toEqual(before);
    expect(await count()).toBe(versions);
  });

  it('refuses to restore an approved (historic) scenario with 422, and shows its loaded version', async () => {
    const hist = (await call('GET', `/api/rounds?region=${SUZHOU}&kind=historic`)).body[0];
    const sid = hist.approvedScenarioId as number;
    const list = (await call('GET', `/api/scenarios/${sid}/versions`)).body;
    expect(list.map((v: { action: string }) => v.action)).toEqual(['historic']);
    const v = (await call('GET', `/api/scenarios/${sid}/versions/1`)).body;
    expect(plain(v.changes)).toEqual(plain((await call('GET', `/api/scenarios/${sid}`)).body.changes));
    const before = await scenarioFingerprint(db().pool, sid);
    const res = await call('POST', `/api/scenarios/${sid}/versions/1/restore`, { version: 1 });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SCENARIO.LOCKED');
    expect(await scenarioFingerprint(db().pool, sid)).toEqual(before);
  });

  it('keeps every version of a long run of single-cell edits (deltas on full lists) exactly, and writes no version for a refused save', async () => {
    const sc = await call('POST', `/api/rounds/${roundId}/scenarios`, { name: '逐格编辑' });
    const sid = sc.body.id as number;
    const lists = new Map<number, Change[]>([[1, []]]);
    const items = [VISIT, LAB, NURSING];
    for (let v = 1; v <= 45; v++) {
      const item = items[v % 3];
      const level = 3 - (v % 2);
      const remove = v % 7 === 0;
      const body = remove
        ? { version: v, set: [], remove: [{ itemCode: item, level }] }
        : { version: v, set: [{ itemCode: item, level, pctChange: (v % 9) + 1, ...(v % 4 === 0 ? { reason: `第 ${v} 次` } : {}) }], remove: [] };
      const r = await call('PATCH', `/api/scenarios/${sid}/changes`, body);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      lists.set(v + 1, plain((await call('GET', `/api/scenarios/${sid}`)).body.changes));
    }
    const stale = await call('PATCH', `/api/scenarios/${sid}/changes`, { version: 3, set: [{ itemCode: VISIT, level: 1, pctChange: 1 }], remove: [] });
    expect(stale.status).toBe(409);
    const kinds = await db().pool.query(`select version, kind from scenario_version where scenario_id = $1 order by version`, [sid]);
    expect(kinds.rows.map((x) => x.version)).toEqual([...lists.keys()]);
    // a full list at least every 20 versions: version 1, then 21 and 41
    expect(kinds.rows.filter((x) => x.kind === 'full').map((x) => x.version)).toEqual([1, 21, 41]);
    for (const [v, list] of lists) {
      const res = await call('GET', `/api/scenarios/${sid}/versions/${v}`);
      expect(plain(res.body.changes), `v${v}`).toEqual(list);
    }
  });

  it('refuses to restore a version whose prices break the round\'s cap as it stands now (422 SCENARIO.LIMIT_EXCEEDED), nothing written', async () => {
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '苏州市2025年调价（版本上限）', effectiveDate: '2025-01-01', params: { itemShareFloor: 0, changeCap: 0.3 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const sc = await call('POST', `/api/rounds/${r.body.id}/scenarios`, { name: '上限方案' });
    const sid = sc.body.id as number;
    const v2 = await call('PUT', `/api/scenarios/${sid}/changes`, { version: 1, changes: [{ itemCode: VISIT, level: 3, pctChange: 25 }] });
    expect(v2.status, JSON.stringify(v2.body).slice(0, 300)).toBe(200);
    const v3 = await call('PUT', `/api/scenarios/${sid}/changes`, { version: 2, changes: [{ itemCode: VISIT, level: 3, pctChange: 5 }] });
    expect(v3.status, JSON.stringify(v3.body).slice(0, 300)).toBe(200);
    const round = (await call('GET', `/api/rounds/${r.body.id}`)).body;
    const lowered = await call('PATCH', `/api/rounds/${r.body.id}`, { version: round.version, params: { changeCap: 0.1 } });
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(200);

    const before = await scenarioFingerprint(db().pool, sid);
    const versions = (await db().pool.query('select count(*)::int as n from scenario_version where scenario_id = $1', [sid])).rows[0].n;
    const res = await call('POST', `/api/scenarios/${sid}/versions/2/restore`, { version: 3 });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(422);
    expect(res.body.code).toBe('SCENARIO.LIMIT_EXCEEDED');
    expect(JSON.stringify(res.body.details)).toContain('SCENARIO.ITEM_OVER_CAP');
    expect(await scenarioFingerprint(db().pool, sid)).toEqual(before);
    expect((await db().pool.query('select count(*)::int as n from scenario_version where scenario_id = $1', [sid])).rows[0].n).toBe(versions);
    // the version within the cap restores
    const ok = await call('POST', `/api/scenarios/${sid}/versions/1/restore`, { version: 3 });
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(200);
    expect(ok.body.scenario.version).toBe(4);
  });

  it('documents the versions endpoints in OpenAPI', async () => {
    const doc = await json(await apiFetch(base, '/api/docs/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/scenarios/{id}/versions', '/api/scenarios/{id}/versions/{version}', '/api/scenarios/{id}/versions/compare',
        '/api/scenarios/{id}/versions/{version}/restore',
      ]),
    );
  });
});
