import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../api/src/audit/audit.schemas';
import { loadFile } from '../../etl/src/run';
import zh from '../../web/src/locales/zh-CN/audit.json';
import en from '../../web/src/locales/en/audit.json';
import { startTestApp, type TestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { etlOptions, fixtureDir, writeCsv } from '../support/etl';
import { apiFetch, caller, json, signIn, type Session } from '../support/http';

/**
 * The audit trail on the demo dataset: every kind of change writes one record in its own transaction — who (the
 * signed-in user), the request id (the response's X-Request-Id), the region, before and after — a refused change
 * writes none, and the trail is read within the reader's regions only (GET /api/audit, GET /api/audit/:id).
 */

const SUZHOU = '320500';
const XIAMEN = '350200';
const VISIT = '110200001';
const LAB = '250101015';

interface Rec {
  id: string;
  user_id: string | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  region_code: string | null;
  request_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  details: Record<string, unknown>;
}

describe('audit trail (审计日志)', () => {
  const db = useTestDatabase({ demo: true });
  let t: TestApp;
  let analyst: Session;
  let official: Session;
  let xiamen: Session;
  let viewer: Session;
  let hospital: Session;
  const admin = caller(() => t.base);
  const as = (s: () => Session) => caller(() => t.base, s);
  const sz = as(() => analyst);
  const js = as(() => official);
  const xm = as(() => xiamen);

  /** The records a response's request wrote, in the order written. */
  const recordsOf = async (res: { headers: Headers }): Promise<Rec[]> => {
    const id = res.headers.get('x-request-id');
    expect(id).toBeTruthy();
    return (await db().pool.query(`select id, user_id, actor, action, entity, entity_id, region_code, request_id, before, after, details from audit_log where request_id = $1 order by id`, [id])).rows;
  };
  const one = async (res: { status: number; body: unknown; headers: Headers }, action: string): Promise<Rec> => {
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBeLessThan(300);
    const rows = (await recordsOf(res)).filter((r) => r.action === action);
    expect(rows, `${action} records of the request`).toHaveLength(1);
    expect(rows[0].request_id).toBe(res.headers.get('x-request-id'));
    return rows[0];
  };
  const count = async () => Number((await db().pool.query('select count(*) from audit_log')).rows[0].count);
  const userId = async (username: string) => String((await db().pool.query('select id from app_user where username = $1', [username])).rows[0].id);

  beforeAll(async () => {
    t = await startTestApp(db().url);
    analyst = await t.userSession({ username: 'sz-analyst', role: 'analyst', regionCode: SUZHOU });
    official = await t.userSession({ username: 'js-official', role: 'pricing_officer', regionCode: '320000' });
    xiamen = await t.userSession({ username: 'xm-analyst', role: 'analyst', regionCode: XIAMEN });
    viewer = await t.userSession({ username: 'sz-viewer', role: 'viewer', regionCode: SUZHOU });
    const inst = (await db().pool.query(`select code from institution where region_code = $1 and hospital_level = 3 order by code limit 1`, [SUZHOU])).rows[0].code;
    hospital = await t.userSession({ username: 'sz-hospital', role: 'hospital', regionCode: SUZHOU, institutionCode: inst });
  }, 300_000);
  afterAll(async () => {
    await t?.app.close();
  });

  it('records a round created, updated (the changed fields), moved along its life cycle and allocated; a stale or illegal change none', async () => {
    const created = await sz('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '审计测试轮次', params: { itemShareFloor: 0, changeCap: 0.3 } });
    const c = await one(created, 'round.create');
    expect(c).toMatchObject({ actor: 'sz-analyst', user_id: await userId('sz-analyst'), entity: 'round', entity_id: String(created.body.id), region_code: SUZHOU, before: null });
    expect(c.after).toMatchObject({ name: '审计测试轮次', year: 2025, status: 'draft', version: 1 });

    const patched = await sz('PATCH', `/api/rounds/${created.body.id}`, { version: 1, name: '审计测试轮次（修订）', params: { changeCap: 0.2 } });
    const u = await one(patched, 'round.update');
    expect(u.before).toEqual({ name: '审计测试轮次', params: { changeCap: 0.3 }, version: 1 });
    expect(u.after).toEqual({ name: '审计测试轮次（修订）', params: { changeCap: 0.2 }, version: 2 });

    const n = await count();
    const stale = await sz('PATCH', `/api/rounds/${created.body.id}`, { version: 1, name: '过期的修改' });
    expect(stale.status).toBe(409);
    const illegal = await sz('POST', `/api/rounds/${created.body.id}/status`, { version: 2, to: 'implemented' });
    expect([403, 422]).toContain(illegal.status);
    const badParams = await sz('PATCH', `/api/rounds/${created.body.id}`, { version: 2, params: { changeCap: '三成' } });
    expect(badParams.status).toBe(400);
    expect(await count()).toBe(n);

    const evaluated = await sz('POST', `/api/rounds/${created.body.id}/status`, { version: 2, to: 'evaluated', evaluation: { result: 'triggered', note: '结余可支付月数充足' } });
    const s = await one(evaluated, 'round.status');
    expect(s).toMatchObject({ actor: 'sz-analyst', region_code: SUZHOU, before: { status: 'draft', version: 2 }, details: { from: 'draft', to: 'evaluated' } });
    expect(s.after).toEqual({ status: 'evaluated', version: 3, evaluation: { result: 'triggered', note: '结余可支付月数充足' } });

    const allocated = await sz('POST', `/api/rounds/${created.body.id}/total/allocate`, { version: 3, totalFen: 100_000_00 });
    const a = await one(allocated, 'round.allocate');
    expect(a.before).toEqual({ totalFen: null, version: 3 });
    expect(a.after).toMatchObject({ totalFen: 100_000_00, version: 4, allocatedFen: 100_000_00 });
    expect(a.after!.institutions).toBe(allocated.body.hospitals.length);
    expect(a.details).toEqual({ basis: 'revenue', totalSource: 'request' });
  });

  it('records every write of a scenario with a summary of its change list (rows added, removed, re-priced, net ΔP·Q), a refused write none', async () => {
    const round = (await sz('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '审计方案轮次', effectiveDate: '2025-01-01', params: { itemShareFloor: 0, changeCap: 0.3, totalFen: 50_000_000 } })).body;
    const created = await sz('POST', `/api/rounds/${round.id}/scenarios`, { name: '审计方案', method: 'manual' });
    const c = await one(created, 'scenario.create');
    expect(c).toMatchObject({ actor: 'sz-analyst', entity: 'scenario', entity_id: String(created.body.id), region_code: SUZHOU });
    expect(c.after).toMatchObject({ roundId: round.id, name: '审计方案', method: 'manual', version: 1 });
    const id = created.body.id as number;

    const put = await sz('PUT', `/api/scenarios/${id}/changes`, { version: 1, changes: [{ itemCode: VISIT, level: 3, pctChange: 20 }, { itemCode: LAB, level: 2, pctChange: -10 }] });
    const p = await one(put, 'scenario.changes.put');
    expect(p.before).toEqual({ version: 1, changeCount: 0 });
    expect(p.after).toEqual({ version: 2, changeCount: 2 });
    // in the save's own transaction: the record, the scenario row and its version row share one transaction id
    const tx = await db().pool.query(
      `select (select xmin::text from audit_log where id = $1) as a, (select xmin::text from scenario where id = $2) as s,
              (select xmin::text from scenario_version where scenario_id = $2 and version = 2) as v`,
      [p.id, id],
    );
    expect(new Set(Object.values(tx.rows[0])).size).toBe(1);
    const summary = p.details.changes as { added: number; removed: number; repriced: number; netDeltaFen: number; rows: { itemCode: string; kind: string; to: { newPriceFen: number } }[]; omitted: number };
    expect(summary).toMatchObject({ added: 2, removed: 0, repriced: 0, omitted: 0 });
    const visit = put.body.changes.find((x: { itemCode: string; level: number }) => x.itemCode === VISIT && x.level === 3);
    expect(summary.rows.find((r) => r.itemCode === VISIT)).toMatchObject({ kind: 'added', to: { newPriceFen: visit.newPriceFen } });
    // from an empty list, the net ΔP·Q the write added is the scenario's net adjustment
    const impact = (await sz('GET', `/api/scenarios/${id}/impact`)).body.summary;
    expect(summary.netDeltaFen).toBe(impact.netFen);

    const patch = await sz('PATCH', `/api/scenarios/${id}/changes`, { version: 2, set: [{ itemCode: VISIT, level: 3, pctChange: 25 }], remove: [{ itemCode: LAB, level: 2 }] });
    const pa = await one(patch, 'scenario.changes.patch');
    expect(pa.before).toEqual({ version: 2 });
    expect(pa.after).toEqual({ version: 3 });
    const ps = pa.details.changes as { added: number; removed: number; repriced: number; netDeltaFen: number; rows: { itemCode: string; kind: string; from: { newPriceFen: number }; to: { newPriceFen: number } | null }[] };
    expect(ps).toMatchObject({ added: 0, removed: 1, repriced: 1 });
    expect(ps.rows.find((r) => r.itemCode === VISIT)).toMatchObject({ kind: 'changed', from: { newPriceFen: visit.newPriceFen } });
    const after = (await sz('GET', `/api/scenarios/${id}/impact`)).body.summary;
    expect(ps.netDeltaFen).toBe(after.netFen - impact.netFen);

    // refused: stale (409), over the round's 调价幅度上限 (422), invalid (400), locked nothing
    const n = await count();
    expect((await sz('PATCH', `/api/scenarios/${id}/changes`, { version: 2, set: [{ itemCode: VISIT, level: 3, pctChange: 5 }], remove: [] })).status).toBe(409);
    expect((await sz('PUT', `/api/scenarios/${id}/changes`, { version: 3, changes: [{ itemCode: VISIT, level: 3, pctChange: 90 }] })).status).toBe(422);
    expect((await sz('PUT', `/api/scenarios/${id}/changes`, { version: 3, changes: [{ itemCode: 'NO-SUCH-ITEM', level: 3, pctChange: 5 }] })).status).toBe(400);
    expect((await sz('POST', `/api/scenarios/${id}/scale`, { version: 2, targetFen: 0 })).status).toBe(409);
    expect(await count()).toBe(n);

    const fd = new FormData();
    const v3 = visit.oldPriceFen as number;
    fd.set('file', new Blob([`项目编码,项目名称,三级新价（元）,二级新价（元）,一级新价（元）\n${VISIT},普通门诊诊查费,${(v3 + 100) / 100},,\n`], { type: 'text/csv' }), '审计导入.csv');
    fd.set('version', '3');
    const impRes = await apiFetch(t.base, `/api/scenarios/${id}/import`, { method: 'POST', body: fd }, analyst);
    const imported = { status: impRes.status, body: await json(impRes), headers: impRes.headers };
    const im = await one(imported, 'scenario.import');
    expect(im).toMatchObject({ before: { version: 3, changeCount: 1 }, after: { version: 4, changeCount: 1 } });
    expect(im.details).toMatchObject({ params: { import: { fileName: '审计导入.csv', written: true } }, changes: { repriced: 1, added: 0, removed: 0 } });

    const scaled = await sz('POST', `/api/scenarios/${id}/scale`, { version: 4, targetFen: 1_000_000 });
    const sc = await one(scaled, 'scenario.scale');
    expect(sc).toMatchObject({ before: { version: 4 }, after: { version: 5 }, details: { params: { scaling: { targetFen: 1_000_000, scope: 'changes' } } } });

    const indexed = await sz('POST', `/api/scenarios/${id}/index`, { version: 5, growth: 0.01 });
    const ix = await one(indexed, 'scenario.index');
    expect(ix.after).toMatchObject({ version: 6 });
    expect((ix.details.changes as { added: number }).added).toBeGreaterThan(0);

    const optimised = await sz('POST', `/api/scenarios/${id}/optimise`, { version: 6 });
    const op = await one(optimised, 'scenario.optimise');
    expect(op).toMatchObject({ actor: 'sz-analyst', before: { version: 6 }, after: { version: 7, changeCount: optimised.body.scenario.changes.length } });

    const restored = await sz('POST', `/api/scenarios/${id}/versions/2/restore`, { version: 7 });
    const rs = await one(restored, 'scenario.restore');
    expect(rs).toMatchObject({ before: { version: 7 }, after: { version: 8, changeCount: 2 }, details: { restoredFrom: 2 } });

    // a summary, never the whole list twice: a write of many rows keeps at most 50 of them
    const items = (await sz('GET', `/api/scenarios/${id}/impact/items?scope=all`)).body as { itemCode: string; level: number }[];
    const many = items.slice(0, 120).map((x) => ({ itemCode: x.itemCode, level: x.level, pctChange: 1 }));
    const big = await sz('PUT', `/api/scenarios/${id}/changes`, { version: 8, changes: many });
    const b = (await one(big, 'scenario.changes.put')).details.changes as { rows: unknown[]; omitted: number; added: number; repriced: number; removed: number };
    expect(b.rows).toHaveLength(50);
    expect(b.added + b.repriced + b.removed).toBe(b.rows.length + b.omitted);
  });

  it('records approval and implementation with the scenario and 执行日期 (a price official), a refused approval none', async () => {
    const r = (await sz('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, kind: 'special', name: '审计实施轮次', effectiveDate: '2025-03-01', params: { itemShareFloor: 0, changeCap: 0.3 } })).body;
    let v = 1;
    for (const s of ['evaluated', 'blocked', 'scenarios']) v = (await sz('POST', `/api/rounds/${r.id}/status`, { version: v, to: s })).body.version;
    const sc = (await sz('POST', `/api/rounds/${r.id}/scenarios`, { name: '实施方案' })).body;
    expect((await sz('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: VISIT, level: 3, pctChange: 20 }] })).status).toBe(200);
    const n = await count();
    expect((await sz('POST', `/api/rounds/${r.id}/status`, { version: v, to: 'approved', scenarioId: sc.id })).status).toBe(403);
    expect((await js('POST', `/api/rounds/${r.id}/status`, { version: v, to: 'approved' })).status).toBe(400);
    expect(await count()).toBe(n);
    const approved = await js('POST', `/api/rounds/${r.id}/status`, { version: v, to: 'approved', scenarioId: sc.id });
    const ap = await one(approved, 'round.status');
    expect(ap).toMatchObject({ actor: 'js-official', region_code: SUZHOU, before: { status: 'scenarios', version: v } });
    expect(ap.after).toEqual({ status: 'approved', version: v + 1, approvedScenarioId: sc.id, approvedScenarioVersion: 2 });
    const implemented = await js('POST', `/api/rounds/${r.id}/status`, { version: v + 1, to: 'implemented' });
    const im = await one(implemented, 'round.status');
    expect(im.after).toEqual({ status: 'implemented', version: v + 2, effectiveDate: '2025-03-01', pricesWritten: 1 });
  });

  it('records quotes submitted and selected, and the scenario the selection writes, under one request id', async () => {
    const round = (await sz('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '审计报价轮次', effectiveDate: '2025-01-01', params: { itemShareFloor: 0, changeCap: 0.3 } })).body;
    const item = (await db().pool.query(
      `select p.item_code as code, p.price_fen::int as "priceFen"
         from price p join region_item ri on ri.region_code = p.region_code and ri.item_code = p.item_code left join item i on i.code = p.item_code
        where p.region_code = $1 and p.hospital_level = 3 and p.valid_to is null and p.price_fen >= 1000 and not ri.is_group
          and coalesce(ri.kind, i.kind, 'complex') <> 'general'
          and exists (select 1 from volume_annual_level v where v.region_code = p.region_code and v.item_code = p.item_code and v.hospital_level = 3 and v.quantity > 0)
        order by p.item_code limit 1`,
      [SUZHOU],
    )).rows[0];
    const inst = (await db().pool.query(`select code from institution where region_code = $1 and hospital_level = 3 order by code limit 1`, [SUZHOU])).rows[0].code;
    const quoted = await as(() => hospital)('POST', `/api/rounds/${round.id}/quotes`, {
      institutionCode: inst, itemCode: item.code, proposedPriceFen: item.priceFen + 100, costBasis: { labourFen: 100, materialFen: item.priceFen }, expectedVolume: 10,
    });
    const q = await one(quoted, 'quote.submit');
    expect(q).toMatchObject({ actor: 'sz-hospital', entity: 'quote', entity_id: String(quoted.body.id), region_code: SUZHOU });
    expect(q.after).toMatchObject({ roundId: round.id, institutionCode: inst, itemCode: item.code, proposedPriceFen: item.priceFen + 100 });
    const n = await count();
    expect((await as(() => hospital)('POST', `/api/rounds/${round.id}/quotes`, { institutionCode: inst, itemCode: item.code, proposedPriceFen: 1, costBasis: { labourFen: 1 }, expectedVolume: 1 })).status).toBe(409);
    expect(await count()).toBe(n);

    const selected = await sz('POST', `/api/rounds/${round.id}/quotes/select`, { budgetFen: 1_000_000 });
    const s = await one(selected, 'quote.select');
    expect(s).toMatchObject({ actor: 'sz-analyst', entity: 'round', entity_id: String(round.id), region_code: SUZHOU });
    expect(s.after).toMatchObject({ scenarioId: selected.body.scenario.id, selected: [quoted.body.id], rejected: [] });
    const all = await recordsOf(selected);
    expect(all.map((x) => x.action)).toEqual(['scenario.create', 'scenario.quotes', 'quote.select']);
  });

  it('records a rule set created: the whole definition, then for a new version the fields that changed', async () => {
    const presets = await admin('GET', '/api/rule-sets?includePresets=true');
    const preset = (await admin('GET', `/api/rule-sets/${presets.body.find((x: { isPreset: boolean }) => x.isPreset).id}`)).body.definition;
    const body = { ...preset, regionCode: SUZHOU, name: '审计规则' };
    const first = await sz('POST', '/api/rule-sets', body);
    const f = await one(first, 'rule_set.create');
    expect(f).toMatchObject({ actor: 'sz-analyst', entity: 'rule_set', entity_id: String(first.body.id), region_code: SUZHOU, before: null, details: { name: '审计规则', version: 1 } });
    expect(f.after).toMatchObject({ name: '审计规则', regionCode: SUZHOU, version: 1 });
    const second = await sz('POST', '/api/rule-sets', { ...body, validFrom: '2026-01-01' });
    const s = await one(second, 'rule_set.create');
    expect(s.before).toEqual({ validFrom: body.validFrom, version: 1 });
    expect(s.after).toEqual({ validFrom: '2026-01-01', version: 2 });
    const n = await count();
    expect((await sz('POST', '/api/rule-sets', { ...body, rules: 'none' })).status).toBe(400);
    expect(await count()).toBe(n);
  });

  it('records user changes (created, changed, password reset and changed) with the user who made them and the request id, never a password', async () => {
    const id = await userId('sz-viewer');
    const res = await admin('PATCH', `/api/users/${id}`, { displayName: '苏州只读（改）' });
    const u = await one(res, 'user.update');
    expect(u).toMatchObject({ actor: 'test-admin', entity: 'user', entity_id: id, region_code: SUZHOU });
    expect(u.before).toMatchObject({ displayName: 'sz-viewer' });
    expect(u.after).toMatchObject({ displayName: '苏州只读（改）' });

    const created = await admin('POST', '/api/users', { username: 'sz-temp', displayName: '苏州临时', role: 'analyst', regionCode: SUZHOU, password: 'first-pass-2026' });
    const c = await one(created, 'user.create');
    expect(c).toMatchObject({ actor: 'test-admin', entity_id: String(created.body.id), region_code: SUZHOU });
    const reset = await admin('POST', `/api/users/${created.body.id}/password`, { password: 'second-pass-2026' });
    await one(reset, 'user.password.reset');
    const temp = await signIn(t.base, 'sz-temp', 'second-pass-2026');
    const changed = await as(() => temp)('POST', '/api/auth/password', { currentPassword: 'second-pass-2026', newPassword: 'third-pass-2026' });
    const ch = await one(changed, 'user.password.change');
    expect(ch).toMatchObject({ actor: 'sz-temp', entity_id: String(created.body.id) });
    const text = JSON.stringify((await db().pool.query(`select before, after, details from audit_log where entity = 'user'`)).rows);
    for (const secret of ['first-pass-2026', 'second-pass-2026', 'third-pass-2026', 'argon2']) expect(text).not.toContain(secret);
  });

  it('writes load.create / load.replace in the load\'s own transaction, with the command-line user; a failed load none', async () => {
    const dir = fixtureDir();
    const head = ['行政区划代码', '地区名称', '期间', '指标', '数值', '单位', '来源', '发布类型', '数据性质'];
    const file = path.join(dir, '审计指标.csv');
    writeCsv(file, [head, [SUZHOU, '苏州市', '2015', '医药总费用增长率', '8.1', '%', '测试', '公报', '生成']]);
    const loaded = await loadFile(db().pool, file, etlOptions({ user: 'etl-operator' }));
    expect(loaded.status, JSON.stringify(loaded.errors)).toBe('loaded');
    const rec = (await db().pool.query(`select actor, user_id, action, entity, entity_id, region_code, request_id, before, after from audit_log where entity = 'load_batch' and entity_id = $1`, [String(loaded.batchId)])).rows;
    expect(rec).toEqual([{
      actor: 'etl-operator', user_id: null, action: 'load.create', entity: 'load_batch', entity_id: String(loaded.batchId), region_code: SUZHOU, request_id: null, before: null,
      after: expect.objectContaining({ batchId: loaded.batchId, kind: 'indicators', fileName: '审计指标.csv', rowsLoaded: 1 }),
    }]);
    // one transaction: the record and the batch row were written by the same transaction id
    const tx = await db().pool.query(`select a.xmin::text = b.xmin::text as same from audit_log a, load_batch b where a.entity = 'load_batch' and a.entity_id = $1 and b.id = $2`, [String(loaded.batchId), loaded.batchId]);
    expect(tx.rows).toEqual([{ same: true }]);
    writeCsv(file, [head, [SUZHOU, '苏州市', '2015', '医药总费用增长率', '8.2', '%', '测试', '公报', '生成']]);
    const again = await loadFile(db().pool, file, etlOptions({ user: 'etl-operator' }));
    expect(again.status).toBe('loaded');
    const rep = (await db().pool.query(`select action, before from audit_log where entity = 'load_batch' and entity_id = $1`, [String(again.batchId)])).rows;
    expect(rep).toEqual([{ action: 'load.replace', before: { batchId: loaded.batchId } }]);

    const n = await count();
    writeCsv(file, [head, [SUZHOU, '苏州市', '2015', '医药总费用增长率', '不是数字', '%', '测试', '公报', '生成']]);
    expect((await loadFile(db().pool, file, etlOptions({ user: 'etl-operator' }))).status).toBe('invalid');
    expect((await loadFile(db().pool, file, etlOptions({ user: 'etl-operator', region: '999999' }))).status).toBe('invalid');
    expect(await count()).toBe(n);
  });

  it('records a load uploaded through the API with the uploading user and the request that started it, and its removal; a dry run none', async () => {
    const codes = (await db().pool.query(`select item_code from region_item where region_code = $1 and not is_group order by item_code limit 2`, [SUZHOU])).rows.map((r) => r.item_code);
    const body = ['年度,行政区划代码,项目编码,项目名称,人员经费（元）,卫生材料费（元）,固定资产折旧（元）,其他费用（元）,单位成本（元）',
      ...codes.map((c, i) => `2013,${SUZHOU},${c},项目${i + 1},10.00,2.00,1.00,1.00,14.00`)].join('\n') + '\n';
    const send = async (mode: string) => {
      const fd = new FormData();
      fd.append('files', new Blob([body], { type: 'text/csv' }), '审计成本.csv');
      const res = await apiFetch(t.base, `/api/loads/uploads?kind=costs&region=${SUZHOU}&mode=${mode}`, { method: 'POST', body: fd }, analyst);
      const job = await json(res);
      expect(res.status, JSON.stringify(job)).toBeLessThan(300);
      for (let i = 0; i < 600; i++) {
        const j = await json(await apiFetch(t.base, `/api/loads/jobs/${job.id}`, {}, analyst));
        if (j.status === 'done' || j.status === 'failed') return { job: j, requestId: res.headers.get('x-request-id') };
        await new Promise((ok) => setTimeout(ok, 100));
      }
      throw new Error('the upload job did not finish');
    };
    const n = await count();
    const dry = await send('dry-run');
    expect(dry.job.status).toBe('done');
    expect(await count()).toBe(n);
    const loaded = await send('load');
    expect(loaded.job.status, JSON.stringify(loaded.job)).toBe('done');
    const rec = (await db().pool.query(`select * from audit_log where request_id = $1`, [loaded.requestId])).rows as Rec[];
    expect(rec).toHaveLength(1);
    expect(rec[0]).toMatchObject({ action: 'load.create', entity: 'load_batch', actor: 'sz-analyst', user_id: await userId('sz-analyst'), region_code: SUZHOU });
    const batchId = Number(rec[0].entity_id);
    const removed = await sz('DELETE', `/api/loads/${batchId}`);
    const r = await one(removed, 'load.remove');
    expect(r).toMatchObject({ actor: 'sz-analyst', entity_id: String(batchId), region_code: SUZHOU });
    const m = await count();
    expect((await sz('DELETE', `/api/loads/${batchId}`)).status).toBeGreaterThanOrEqual(400);
    expect(await count()).toBe(m);
  });

  it('lists the trail newest first with filters and pages, within the reader\'s regions only; 厦门 never sees 苏州 (list, count or by id)', async () => {
    const all = await admin('GET', '/api/audit?limit=200');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(await count());
    const ats = all.body.items.map((x: { at: string }) => x.at);
    expect([...ats].sort().reverse()).toEqual(ats);

    const mine = await admin('GET', '/api/audit?user=sz-analyst&entity=scenario&action=scenario.changes&limit=5');
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((x: { actor: string; action: string; entity: string; actorName: string }) => x.actor === 'sz-analyst' && x.action.startsWith('scenario.changes.') && x.entity === 'scenario')).toBe(true);
    const page2 = await admin('GET', '/api/audit?user=sz-analyst&entity=scenario&action=scenario.changes&limit=5&offset=5');
    expect(page2.body.total).toBe(mine.body.total);
    const inDb = Number((await db().pool.query(`select count(*) from audit_log where actor = 'sz-analyst' and entity = 'scenario' and action like 'scenario.changes.%'`)).rows[0].count);
    expect(mine.body.total).toBe(inDb);
    expect((await admin('GET', '/api/audit?from=2000-01-01&to=2000-12-31')).body).toMatchObject({ total: 0, items: [] });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect((await admin('GET', `/api/audit?from=${today}&to=${today}&user=sz-analyst`)).body.total).toBe(Number((await db().pool.query(`select count(*) from audit_log where actor = 'sz-analyst'`)).rows[0].count));
    const bad = await admin('GET', '/api/audit?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('query.from');

    const rec = mine.body.items[0];
    const detail = await sz('GET', `/api/audit/${rec.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: rec.id, actor: 'sz-analyst', actorName: 'sz-analyst', regionCode: SUZHOU, regionName: '苏州市' });
    expect(detail.body.details.changes).toBeTruthy();

    // 厦门's analyst: only 厦门's records, the count of those only; 苏州's record by id is not found
    await xm('POST', '/api/rounds', { regionCode: XIAMEN, year: 2025, name: '厦门审计轮次', params: {} });
    const x = await xm('GET', '/api/audit?limit=200');
    expect(x.status).toBe(200);
    expect(x.body.items.length).toBeGreaterThan(0);
    expect(x.body.items.every((i: { regionCode: string }) => i.regionCode === XIAMEN)).toBe(true);
    expect(x.body.total).toBe(Number((await db().pool.query(`select count(*) from audit_log where region_code = $1`, [XIAMEN])).rows[0].count));
    expect(JSON.stringify(x.body)).not.toContain('苏州');
    const filtered = await xm(`GET`, `/api/audit?region=${SUZHOU}`);
    expect(filtered.body).toEqual({ total: 0, offset: 0, limit: 50, items: [] });
    const byId = await xm('GET', `/api/audit/${rec.id}`);
    expect(byId.status).toBe(404);
    expect(JSON.stringify(byId.body)).not.toContain('苏州');
    // 江苏's official sees the cities under the province; a viewer and a hospital user may not read the trail
    expect((await js('GET', `/api/audit/${rec.id}`)).status).toBe(200);
    expect((await js('GET', `/api/audit?region=${SUZHOU}`)).body.total).toBeGreaterThan(0);
    for (const s of [viewer, hospital]) {
      const res = await as(() => s)('GET', '/api/audit');
      expect(res.status).toBe(403);
      expect((await as(() => s)('GET', `/api/audit/${rec.id}`)).status).toBe(403);
    }
  });

  it('has, for every change the OpenAPI document offers, its action recorded by the tests above (a new endpoint without one fails)', async () => {
    /** what each mutating endpoint records; null: it changes no data (a sign-in, an evaluation) */
    const ACTION: Record<string, string | null> = {
      'POST /api/auth/login': null,
      'POST /api/auth/logout': null,
      'POST /api/auth/password': 'user.password.change',
      'POST /api/users': 'user.create',
      'PATCH /api/users/{id}': 'user.update',
      'POST /api/users/{id}/password': 'user.password.reset',
      'POST /api/rule-sets': 'rule_set.create',
      'POST /api/rule-sets/evaluate': null,
      'POST /api/rule-sets/evaluate-regions': null,
      'POST /api/rounds': 'round.create',
      'PATCH /api/rounds/{id}': 'round.update',
      'POST /api/rounds/{id}/status': 'round.status',
      'POST /api/rounds/{id}/total/allocate': 'round.allocate',
      'POST /api/rounds/{id}/scenarios': 'scenario.create',
      'POST /api/rounds/{id}/quotes': 'quote.submit',
      'POST /api/rounds/{id}/quotes/select': 'quote.select',
      'PUT /api/scenarios/{id}/changes': 'scenario.changes.put',
      'PATCH /api/scenarios/{id}/changes': 'scenario.changes.patch',
      'POST /api/scenarios/{id}/import': 'scenario.import',
      'POST /api/scenarios/{id}/scale': 'scenario.scale',
      'POST /api/scenarios/{id}/index': 'scenario.index',
      'POST /api/scenarios/{id}/optimise': 'scenario.optimise',
      'POST /api/scenarios/{id}/versions/{version}/restore': 'scenario.restore',
      'POST /api/loads/uploads': 'load.create',
      'POST /api/loads/jobs/{id}/load': 'load.create',
      'DELETE /api/loads/{id}': 'load.remove',
    };
    const doc = await json(await apiFetch(t.base, '/api/docs/openapi.json'));
    const ops: string[] = [];
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(item)) if (['post', 'put', 'patch', 'delete'].includes(m)) ops.push(`${m.toUpperCase()} ${p}`);
    }
    expect(ops.filter((o) => !(o in ACTION)), 'changes without an audit action').toEqual([]);
    const seen = new Set((await db().pool.query(`select distinct action from audit_log where request_id is not null`)).rows.map((r: { action: string }) => r.action));
    const expected = [...new Set(Object.values(ACTION).filter((a): a is string => a !== null))];
    expect(expected.filter((a) => !seen.has(a)), 'actions no test above recorded through the API').toEqual([]);
    // every action the API wrote is one of the listed codes (the page's filter offers that list), with a Chinese and an
    // English label
    expect([...seen].filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a)), 'actions missing from AUDIT_ACTIONS').toEqual([]);
    for (const a of [...AUDIT_ACTIONS, ...seen]) {
      const key = a.replace(/\./g, '_');
      expect((zh.audit.actions as Record<string, string>)[key], `zh-CN label of ${a}`).toBeTruthy();
      expect((en.audit.actions as Record<string, string>)[key], `en label of ${a}`).toBeTruthy();
    }
  });
});
