import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { fixtureDir, writeCsv } from '../support/etl';
import { caller, json, apiFetch } from '../support/http';

/**
 * Requests a hostile user would send: ids in other notations, mutations without the version they were made on,
 * text with NUL characters or a megabyte long, amounts and growth steps that overflow the exact arithmetic, nesting
 * thousands deep, a csv with a row in GBK. Each is refused with 400/422 naming the field, and nothing is stored.
 */

const SUZHOU = '320500';
const VISIT = '110200001'; // 普通门诊诊查费 (general)
const LAB = '250101015'; // 血细胞分析

/** Every row of the tables a request here may write, as one text per table. */
async function tables(pool: Pool): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of ['round', 'scenario', 'scenario_change', 'rule_set', 'rule', 'round_allocation', 'hospital_quote']) {
    const r = await pool.query(`select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${t} x`);
    out[t] = `${r.rows[0].n}:${r.rows[0].h}`;
  }
  return out;
}

/**
 * JSON text of `template` with `hole` replaced by a value nested `depth` levels deep: `open` + … + `close` around
 * `leaf`. Written as text: JSON.stringify itself recurses, and would overflow the test's own stack.
 */
function deepJson(template: unknown, depth: number, open: string, leaf: string, close: string): string {
  return JSON.stringify(template).replace('"@HOLE@"', open.repeat(depth) + leaf + close.repeat(depth));
}
const HOLE = '@HOLE@';
const VALUE = '{"type":"value","indicator":"gdp_growth"}';

const RULE_SET = {
  name: '测试规则集',
  regionCode: SUZHOU,
  validFrom: '2024-01-01',
  startCombine: 'any',
  rules: [{ role: 'start', label: 'GDP 增长', expression: { type: 'value', indicator: 'gdp_growth' }, comparison: '>', threshold: 0 }],
};

describe('hostile input (恶意或异常请求)', () => {
  const db = useTestDatabase({ demo: true });
  let app: INestApplication;
  let base: string;
  let dir: string;
  let round: { id: number; version: number };
  const call = caller(() => base);

  /**
   * Sends a request and asserts it is refused with `status`, naming `field` (a path, or a pattern one matches), and
   * stored nothing. A string body is sent as it is (JSON text).
   */
  async function refused(method: string, url: string, body: unknown, status: number, field?: string | RegExp) {
    const before = await tables(db().pool);
    const r = typeof body === 'string' ? await rawCall(method, url, body) : await call(method, url, body);
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(status);
    if (field !== undefined) {
      const paths = (r.body.details as { path: string }[]).map((d) => d.path);
      if (typeof field === 'string') expect(paths).toContain(field);
      else expect(paths.some((p) => field.test(p)), paths.join(', ').slice(0, 500)).toBe(true);
    }
    expect(await tables(db().pool)).toEqual(before);
    return r.body;
  }
  const rawCall = async (method: string, url: string, text: string) => {
    const res = await apiFetch(base, `${url}`, { method, headers: { 'content-type': 'application/json' }, body: text });
    return { status: res.status, body: await json(res) };
  };
  const newScenario = async (name: string) => {
    const r = await call('POST', `/api/rounds/${round.id}/scenarios`, { name });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: number; version: number };
  };

  beforeAll(async () => {
    ({ app, base } = await startTestApp(db().url));
    dir = fixtureDir();
    const r = await call('POST', '/api/rounds', {
      regionCode: SUZHOU, year: 2025, name: '苏州市2025年医疗服务价格调整（异常请求）', effectiveDate: '2025-01-01',
      params: { itemShareFloor: 0.05, changeCap: 0.3, declareFrom: '2025-03-01', declareTo: '2025-03-31', totalFen: 100_000_000 },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    round = r.body;
  });
  afterAll(async () => {
    await app?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('path ids are positive decimal integers only', () => {
    const bad = ['0x10', '1e3', '1.0', '-1', '0', '01', '%2016', '16%20', '+16', '1_000', '99999999999'];
    it.each(bad)('%s → 400 naming params.id, on reads and writes', async (id) => {
      await refused('GET', `/api/rounds/${id}`, undefined, 400, 'params.id');
      await refused('PATCH', `/api/rounds/${id}`, { version: 1, name: '改名' }, 400, 'params.id');
      await refused('POST', `/api/rounds/${id}/status`, { version: 1, to: 'evaluated' }, 400, 'params.id');
      await refused('GET', `/api/scenarios/${id}`, undefined, 400, 'params.id');
      await refused('POST', `/api/scenarios/${id}/scale`, { targetFen: 1, version: 1 }, 400, 'params.id');
      await refused('POST', `/api/rounds/${id}/scenarios`, { name: 'x' }, 400, 'params.id');
      await refused('GET', `/api/rule-sets/${id}`, undefined, 400, 'params.id');
    });
    it('the id of the round in decimal still works', async () => {
      const r = await call('GET', `/api/rounds/${round.id}`);
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(round.id);
    });
    it('a query version in another notation is refused too', async () => {
      const sc = await newScenario('十六进制版本');
      const res = await apiFetch(base, `/api/scenarios/${sc.id}/import?fileName=a.csv&version=0x1`, {
        method: 'POST', headers: { 'content-type': 'text/csv' }, body: `项目编码,新价（元）\n${VISIT},1\n`,
      });
      const body = await json(res);
      expect(res.status).toBe(400);
      expect(body.details.map((d: { path: string }) => d.path)).toContain('query.version');
    });
  });

  describe('every mutation of a scenario or a round names the version it was made on', () => {
    it('scale and index without a version → 400 body.version', async () => {
      const sc = await newScenario('无版本缩放');
      expect((await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: LAB, level: 3, pctChange: 10 }] })).status).toBe(200);
      await refused('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: 1000 }, 400, 'body.version');
      await refused('POST', `/api/scenarios/${sc.id}/index`, { growth: 0.05 }, 400, 'body.version');
      await refused('POST', `/api/scenarios/${sc.id}/optimise`, { settings: {} }, 400, 'body.version');
      await refused('PUT', `/api/scenarios/${sc.id}/changes`, { changes: [] }, 400, 'body.version');
      await refused('PATCH', `/api/scenarios/${sc.id}/changes`, { set: [] }, 400, 'body.version');
      const ok = await call('POST', `/api/scenarios/${sc.id}/index`, { growth: 0.05, version: 2, itemCodes: [VISIT] });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.scenario.version).toBe(3);
    });
    it('import without a version → 400 (multipart field or query)', async () => {
      const sc = await newScenario('无版本导入');
      const csv = writeCsv(path.join(dir, 'noversion.csv'), [['项目编码', '三级新价（元）'], [VISIT, 99]]);
      const before = await tables(db().pool);
      const fd = new FormData();
      fd.append('file', new Blob([fs.readFileSync(csv)]), 'noversion.csv');
      const multipart = await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: fd });
      const mb = await json(multipart);
      expect(multipart.status, JSON.stringify(mb)).toBe(400);
      expect(mb.details.map((d: { path: string }) => d.path)).toContain('body.version');
      const raw = await apiFetch(base, `/api/scenarios/${sc.id}/import?fileName=noversion.csv`, {
        method: 'POST', headers: { 'content-type': 'text/csv' }, body: fs.readFileSync(csv),
      });
      const rb = await json(raw);
      expect(raw.status, JSON.stringify(rb)).toBe(400);
      expect(rb.details.map((d: { path: string }) => d.path)).toContain('query.version');
      expect(await tables(db().pool)).toEqual(before);
    });
    it('round edits, status changes and allocations without a version → 400 body.version', async () => {
      await refused('PATCH', `/api/rounds/${round.id}`, { name: '改名' }, 400, 'body.version');
      await refused('POST', `/api/rounds/${round.id}/status`, { to: 'evaluated' }, 400, 'body.version');
      await refused('POST', `/api/rounds/${round.id}/total/allocate`, {}, 400, 'body.version');
      await refused('POST', `/api/rounds/${round.id}/total/allocate`, undefined, 400, 'body.version');
    });
    it('an allocation on a stale version → 409 ROUND.STALE; a current one stores it and moves the version', async () => {
      const cur = (await call('GET', `/api/rounds/${round.id}`)).body;
      const stale = await refused('POST', `/api/rounds/${round.id}/total/allocate`, { version: cur.version + 1 }, 409);
      expect(stale.code).toBe('ROUND.STALE');
      const ok = await call('POST', `/api/rounds/${round.id}/total/allocate`, { version: cur.version });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const after = (await call('GET', `/api/rounds/${round.id}`)).body;
      expect(after).toMatchObject({ version: cur.version + 1, totalFen: 100_000_000 });
      // the version it was made on is now stale
      expect((await refused('POST', `/api/rounds/${round.id}/total/allocate`, { version: cur.version }, 409)).code).toBe('ROUND.STALE');
    });
  });

  describe('text fields: no NUL character, bounded length', () => {
    it('a NUL in any text field → 400 naming it', async () => {
      const sc = await newScenario('文本检查');
      const cur = (await call('GET', `/api/rounds/${round.id}`)).body;
      await refused('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '轮次\u0000' }, 400, 'body.name');
      await refused('PATCH', `/api/rounds/${round.id}`, { version: cur.version, name: 'a\u0000b' }, 400, 'body.name');
      await refused('POST', `/api/rounds/${round.id}/scenarios`, { name: '方案\u0000' }, 400, 'body.name');
      await refused('POST', `/api/rounds/${round.id}/scenarios`, { name: '方案', notes: '备注\u0000' }, 400, 'body.notes');
      await refused('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: LAB, level: 3, pctChange: 5, reason: '理由\u0000' }] }, 400, 'body.changes.0.reason');
      await refused('POST', '/api/rule-sets', { ...RULE_SET, name: '规则\u0000集' }, 400, 'body.name');
      await refused('POST', '/api/rule-sets', { ...RULE_SET, rules: [{ ...RULE_SET.rules[0], label: '\u0000' }] }, 400, 'body.rules.0.label');
      await refused('POST', `/api/rounds/${round.id}/status`, { version: cur.version, to: 'evaluated', evaluation: { summaryZh: '结论\u0000' } }, 400, 'body.evaluation.summaryZh');
      await refused('POST', `/api/rounds/${round.id}/status`, { version: cur.version, to: 'evaluated', evaluation: { ['k\u0000']: 1 } }, 400, /^body\.evaluation/);
      await refused('POST', `/api/rounds/${round.id}/quotes/select`, { budgetFen: 0, scenarioName: '遴选\u0000' }, 400, 'body.scenarioName');
    });
    it('an unpaired surrogate (not Unicode text; jsonb refuses it) → 400 naming the field', async () => {
      await refused('POST', '/api/rule-sets', { ...RULE_SET, name: '规则\ud800' }, 400, 'body.name');
      await refused('POST', '/api/rule-sets', { ...RULE_SET, rules: [{ ...RULE_SET.rules[0], label: '\udc00x' }] }, 400, 'body.rules.0.label');
      const cur = (await call('GET', `/api/rounds/${round.id}`)).body;
      await refused('POST', `/api/rounds/${round.id}/status`, { version: cur.version, to: 'evaluated', evaluation: { summaryZh: '\ud83d' } }, 400, 'body.evaluation.summaryZh');
      // a pair is a character like any other
      const ok = await call('POST', `/api/rounds/${round.id}/scenarios`, { name: '方案 😀' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    });
    it('a NUL in an uploaded file name → 400, nothing stored', async () => {
      const sc = await newScenario('文件名检查');
      const before = await tables(db().pool);
      const fd = new FormData();
      fd.append('file', new Blob([`项目编码,三级新价（元）\n${VISIT},99\n`]), 'a\u0000.csv');
      fd.append('version', '1');
      const res = await apiFetch(base, `/api/scenarios/${sc.id}/import`, { method: 'POST', body: fd });
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await tables(db().pool)).toEqual(before);
    });
    it('a rule set named with a megabyte of text → 400 body.name', async () => {
      await refused('POST', '/api/rule-sets', { ...RULE_SET, name: '规'.repeat(1 << 20) }, 400, 'body.name');
      await refused('POST', '/api/rule-sets', { ...RULE_SET, rules: [{ ...RULE_SET.rules[0], label: 'x'.repeat(100_000) }] }, 400, 'body.rules.0.label');
      await refused('POST', `/api/rounds/${round.id}/scenarios`, { name: '方案', notes: 'x'.repeat(100_000) }, 400, 'body.notes');
    });
  });

  describe('amounts and steps the exact arithmetic cannot hold', () => {
    it('index with 20 growth steps at the maximum → 422 with a code, nothing stored', async () => {
      const sc = await newScenario('二十年联动');
      const body = await refused('POST', `/api/scenarios/${sc.id}/index`, { growth: Array(20).fill(5), version: 1 }, 422);
      expect(body.code).toBe('SCENARIO.INDEX_OUT_OF_RANGE');
    });
    it('scale to 9007199254740991 fen → 400 body.targetFen; to the largest amount allowed → no 500', async () => {
      const sc = await newScenario('巨额缩放');
      expect((await call('PUT', `/api/scenarios/${sc.id}/changes`, { version: 1, changes: [{ itemCode: LAB, level: 3, pctChange: 10 }] })).status).toBe(200);
      await refused('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: Number.MAX_SAFE_INTEGER, version: 2 }, 400, 'body.targetFen');
      await refused('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: -Number.MAX_SAFE_INTEGER, version: 2 }, 400, 'body.targetFen');
      for (const scope of ['changes', 'prices', 'schedule']) {
        const r = await call('POST', `/api/scenarios/${sc.id}/scale`, { targetFen: 10 ** 15, scope, version: 2 });
        expect([200, 422], JSON.stringify(r.body)).toContain(r.status);
        if (r.status === 200) break;
      }
    });
    it('allocate with a weight beyond what numeric(12,6) holds → 400 naming the weight; the largest allowed is stored', async () => {
      const inst = (await db().pool.query(`select code from institution where region_code = $1 and is_public order by code limit 1`, [SUZHOU])).rows[0].code;
      const cur = (await call('GET', `/api/rounds/${round.id}`)).body;
      await refused('POST', `/api/rounds/${round.id}/total/allocate`, { version: cur.version, basis: 'weight', weights: { [inst]: 1e6 } }, 400, `body.weights.${inst}`);
      const ok = await call('POST', `/api/rounds/${round.id}/total/allocate`, { version: cur.version, basis: 'weight', weights: { [inst]: 999_999 } });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      const w = await db().pool.query(`select weight::float8 as w from round_allocation where round_id = $1 and institution_code = $2`, [round.id, inst]);
      expect(w.rows[0].w).toBe(999_999);
    });
    it('a quote priced at the largest amount on an item with volume: selecting → 422 QUOTE.OUT_OF_RANGE, nothing stored', async () => {
      const item = (await db().pool.query(
        `select v.item_code as code from volume_annual_level v join region_item ri on ri.region_code = v.region_code and ri.item_code = v.item_code
           left join item i on i.code = v.item_code
          where v.region_code = $1 and v.hospital_level = 3 and v.is_public and v.year = 2024 and v.quantity > 100
            and not ri.is_group and coalesce(ri.kind, i.kind, 'complex') <> 'general'
            and exists (select 1 from price p where p.region_code = v.region_code and p.item_code = v.item_code and p.hospital_level = 3)
          order by v.item_code limit 1`, [SUZHOU])).rows[0].code;
      const inst = (await db().pool.query(`select code from institution where region_code = $1 and hospital_level = 3 order by code limit 1`, [SUZHOU])).rows[0].code;
      const q = await call('POST', `/api/rounds/${round.id}/quotes`, {
        institutionCode: inst, itemCode: item, proposedPriceFen: 10 ** 15, costBasis: { labourFen: 10 ** 15 }, expectedVolume: 1,
      });
      expect(q.status, JSON.stringify(q.body)).toBe(201);
      const body = await refused('POST', `/api/rounds/${round.id}/quotes/select`, { budgetFen: 0 }, 422);
      expect(body.code).toBe('QUOTE.OUT_OF_RANGE');
    });
    it('quote amounts beyond the largest amount → 400', async () => {
      await refused('POST', `/api/rounds/${round.id}/quotes/select`, { budgetFen: Number.MAX_SAFE_INTEGER }, 400, 'body.budgetFen');
    });
  });

  describe('nesting thousands deep → 400 naming the field, not a stack overflow', () => {
    it('a rule-set expression', async () => {
      const rule = { ...RULE_SET.rules[0], expression: HOLE };
      const deep = (template: unknown, depth: number) => deepJson(template, depth, '{"type":"run","comparison":">","threshold":0,"years":1,"of":', VALUE, '}');
      await refused('POST', '/api/rule-sets', deep({ ...RULE_SET, rules: [rule] }, 5000), 400, /^body\.rules\.0\.expression(\.of)+$/);
      await refused('POST', '/api/rule-sets/evaluate', deep({ ruleSet: { ...RULE_SET, rules: [rule] }, regionCode: SUZHOU, year: 2025 }, 5000), 400,
        /^body\.ruleSet\.rules\.0\.expression(\.of)+$/);
      // deep, but within what a body may hold: the schema's own limit names the expression
      const seven = await refused('POST', '/api/rule-sets', deep({ ...RULE_SET, rules: [rule] }, 7), 400, 'body.rules.0.expression');
      expect(JSON.stringify(seven.details)).toMatch(/嵌套过深/);
    });
    it('a status change evaluation, and arrays nested deep anywhere', async () => {
      const cur = (await call('GET', `/api/rounds/${round.id}`)).body;
      await refused('POST', `/api/rounds/${round.id}/status`, deepJson({ version: cur.version, to: 'evaluated', evaluation: HOLE }, 10_000, '{"x":', '1', '}'), 400,
        /^body\.evaluation(\.x)+$/);
      await refused('POST', `/api/rounds/${round.id}/scenarios`, deepJson({ name: HOLE }, 100_000, '[', '1', ']'), 400, /^body\.name(\.0)+$/);
    });
  });

  describe('a csv with a row in GBK', () => {
    it('import → 400 SCENARIO.IMPORT_INVALID naming the row, nothing stored', async () => {
      const sc = await newScenario('GBK 导入');
      const before = await tables(db().pool);
      const file = Buffer.concat([
        Buffer.from(`项目编码,项目名称,三级新价（元）\n${VISIT},普通门诊诊查费,99\n`),
        iconv.encode(`${LAB},血细胞分析,12\n`, 'gbk'),
      ]);
      const res = await apiFetch(base, `/api/scenarios/${sc.id}/import?fileName=mixed.csv&version=1`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file });
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.code).toBe('SCENARIO.IMPORT_INVALID');
      expect(body.details[0].path).toBe('mixed.csv:3');
      expect(body.details[0].message).toMatch(/UTF-8/);
      expect(await tables(db().pool)).toEqual(before);
    });
    it('a GBK row whose bytes happen to be valid UTF-8 (洗胃 reads as ϴθ) → 400 naming row and column', async () => {
      const sc = await newScenario('GBK 导入（形似 UTF-8）');
      const before = await tables(db().pool);
      const file = Buffer.concat([
        Buffer.from(`项目编码,项目名称,三级新价（元）\n${VISIT},普通门诊诊查费,99\n`),
        iconv.encode(`121000001,洗胃,12\n`, 'gbk'),
      ]);
      const res = await apiFetch(base, `/api/scenarios/${sc.id}/import?fileName=lookalike.csv&version=1`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: file });
      const body = await json(res);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.details[0].path).toBe('lookalike.csv:3:2');
      expect(await tables(db().pool)).toEqual(before);
    });
  });
});
