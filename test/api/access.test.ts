import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/src/auth/access';
import { startTestApp, type TestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { apiFetch, caller, json, type Session } from '../support/http';

const SUZHOU = '320500';

/** The values the cases' paths and bodies are built from: the objects of 苏州 the other users try to reach. */
interface Ctx {
  round: number;
  round2: number;
  /** the demo's implemented (historic) round of 苏州, for the monitoring */
  historic: number;
  scenario: number;
  scenario2: number;
  ruleSet: number;
  user: number;
  institution: string;
  item: { code: string; level: number; priceFen: number };
  ruleSetBody: Record<string, unknown>;
  /** a load batch of 苏州, and an upload job of 苏州's analyst */
  batch: number;
  job: string;
  /** an audit record of 苏州 (the creation of its round) */
  audit: number;
}

type Need = 'read' | 'write' | 'approve' | 'quote' | 'admin' | 'audit' | 'self';

interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** the OpenAPI path, e.g. /api/rounds/{id} */
  path: string;
  /** the permission the endpoint needs (any one of a list) */
  need: Need | Need[];
  /** the concrete request: path with ids, and the body */
  url(c: Ctx): string;
  body?(c: Ctx): unknown;
  /** a list: another region's user gets 200 with none of 苏州's rows, not 403/404 */
  list?: boolean;
  /** a file upload (multipart) */
  form?: boolean;
}

const r = (c: Ctx) => c.round;
const s = (c: Ctx) => c.scenario;

/** Every endpoint of the API and how to call it on 苏州's objects. A new endpoint without a case fails the first test. */
const CASES: Case[] = [
  { method: 'GET', path: '/api/auth/me', need: 'self', url: () => '/api/auth/me' },
  { method: 'POST', path: '/api/auth/password', need: 'self', url: () => '/api/auth/password', body: () => ({ currentPassword: 'wrong-password-1', newPassword: 'another-pass-2026' }) },
  { method: 'POST', path: '/api/auth/logout', need: 'self', url: () => '/api/auth/logout' },
  { method: 'GET', path: '/api/users', need: 'admin', url: () => '/api/users', list: true },
  { method: 'POST', path: '/api/users', need: 'admin', url: () => '/api/users', body: () => ({ username: 'intruder', displayName: '入侵者', role: 'admin', password: 'intruder-2026' }) },
  { method: 'GET', path: '/api/users/{id}', need: 'admin', url: (c) => `/api/users/${c.user}` },
  { method: 'PATCH', path: '/api/users/{id}', need: 'admin', url: (c) => `/api/users/${c.user}`, body: () => ({ disabled: true }) },
  { method: 'POST', path: '/api/users/{id}/password', need: 'admin', url: (c) => `/api/users/${c.user}/password`, body: () => ({ password: 'taken-over-2026' }) },
  { method: 'GET', path: '/api/regions', need: 'read', url: () => '/api/regions', list: true },
  // the pilots exchange their aggregates: two other pilots compared, answered to every reader, nothing of 苏州 in it
  { method: 'GET', path: '/api/regions/compare', need: 'read', url: () => '/api/regions/compare?codes=130200,350200&year=2024', list: true },
  { method: 'GET', path: '/api/regions/{code}', need: 'read', url: () => `/api/regions/${SUZHOU}` },
  { method: 'GET', path: '/api/regions/{code}/institutions', need: 'read', url: () => `/api/regions/${SUZHOU}/institutions` },
  { method: 'GET', path: '/api/regions/{code}/indicators', need: 'read', url: () => `/api/regions/${SUZHOU}/indicators?codes=fund_reserve_months&from=2019&to=2024` },
  { method: 'GET', path: '/api/regions/{code}/evaluation', need: 'read', url: () => `/api/regions/${SUZHOU}/evaluation?year=2025` },
  { method: 'GET', path: '/api/loads', need: 'read', url: () => '/api/loads', list: true },
  { method: 'GET', path: '/api/data/summary', need: 'read', url: () => '/api/data/summary', list: true },
  { method: 'GET', path: '/api/loads/upload-settings', need: 'write', url: () => '/api/loads/upload-settings', list: true },
  { method: 'POST', path: '/api/loads/uploads', need: 'write', url: () => `/api/loads/uploads?kind=costs&region=${SUZHOU}&mode=load`, form: true },
  { method: 'GET', path: '/api/loads/jobs/{id}', need: 'write', url: (c) => `/api/loads/jobs/${c.job}` },
  { method: 'POST', path: '/api/loads/jobs/{id}/load', need: 'write', url: (c) => `/api/loads/jobs/${c.job}/load`, body: () => ({ skipInvalid: true }) },
  { method: 'DELETE', path: '/api/loads/{id}', need: 'write', url: (c) => `/api/loads/${c.batch}` },
  { method: 'GET', path: '/api/rule-sets', need: 'read', url: () => '/api/rule-sets', list: true },
  { method: 'POST', path: '/api/rule-sets', need: 'write', url: () => '/api/rule-sets', body: (c) => ({ ...c.ruleSetBody, name: '越权规则' }) },
  { method: 'GET', path: '/api/rule-sets/{id}', need: 'read', url: (c) => `/api/rule-sets/${c.ruleSet}` },
  { method: 'POST', path: '/api/rule-sets/evaluate', need: 'read', url: () => '/api/rule-sets/evaluate', body: (c) => ({ ruleSetId: c.ruleSet, regionCode: SUZHOU, year: 2025, kind: 'regular' }) },
  { method: 'POST', path: '/api/rule-sets/evaluate-regions', need: 'read', url: () => '/api/rule-sets/evaluate-regions', body: (c) => ({ ruleSetId: c.ruleSet, regionCodes: [SUZHOU], year: 2025, kind: 'regular' }) },
  { method: 'GET', path: '/api/rounds', need: 'read', url: () => '/api/rounds', list: true },
  { method: 'POST', path: '/api/rounds', need: 'write', url: () => '/api/rounds', body: () => ({ regionCode: SUZHOU, year: 2026, name: '越权新建的轮次', params: {} }) },
  { method: 'GET', path: '/api/rounds/{id}', need: 'read', url: (c) => `/api/rounds/${r(c)}` },
  { method: 'PATCH', path: '/api/rounds/{id}', need: 'write', url: (c) => `/api/rounds/${r(c)}`, body: () => ({ version: 1, name: '被改名的轮次' }) },
  { method: 'POST', path: '/api/rounds/{id}/status', need: 'write', url: (c) => `/api/rounds/${r(c)}/status`, body: () => ({ version: 1, to: 'evaluated' }) },
  { method: 'GET', path: '/api/rounds/{id}/total', need: 'read', url: (c) => `/api/rounds/${r(c)}/total` },
  { method: 'POST', path: '/api/rounds/{id}/total/allocate', need: 'write', url: (c) => `/api/rounds/${r(c)}/total/allocate`, body: () => ({ version: 1, totalFen: 100_000_00 }) },
  { method: 'GET', path: '/api/rounds/{id}/allocation', need: 'read', url: (c) => `/api/rounds/${r(c)}/allocation` },
  { method: 'GET', path: '/api/rounds/{id}/monitoring', need: 'read', url: (c) => `/api/rounds/${c.historic}/monitoring` },
  { method: 'GET', path: '/api/rounds/{id}/monitoring/months', need: 'read', url: (c) => `/api/rounds/${c.historic}/monitoring/months` },
  { method: 'GET', path: '/api/rounds/{id}/compare', need: 'read', url: (c) => `/api/rounds/${r(c)}/compare?scenarios=${c.scenario},${c.scenario2}` },
  { method: 'GET', path: '/api/rounds/{id}/briefing.pdf', need: 'read', url: (c) => `/api/rounds/${r(c)}/briefing.pdf?scenario=${c.scenario}` },
  { method: 'GET', path: '/api/rounds/{id}/scenarios', need: 'read', url: (c) => `/api/rounds/${r(c)}/scenarios` },
  { method: 'POST', path: '/api/rounds/{id}/scenarios', need: 'write', url: (c) => `/api/rounds/${r(c)}/scenarios`, body: () => ({ name: '越权方案', method: 'manual' }) },
  { method: 'GET', path: '/api/quotes/rounds', need: ['read', 'quote'], url: () => '/api/quotes/rounds', list: true },
  { method: 'GET', path: '/api/rounds/{id}/quotes', need: ['read', 'quote'], url: (c) => `/api/rounds/${c.round2}/quotes` },
  { method: 'GET', path: '/api/rounds/{id}/quotes/items', need: ['read', 'quote'], url: (c) => `/api/rounds/${c.round2}/quotes/items` },
  {
    method: 'POST', path: '/api/rounds/{id}/quotes', need: 'quote', url: (c) => `/api/rounds/${c.round2}/quotes`,
    body: (c) => ({ institutionCode: c.institution, itemCode: c.item.code, proposedPriceFen: c.item.priceFen + 100, costBasis: { labourFen: 100, materialFen: c.item.priceFen }, expectedVolume: 10 }),
  },
  { method: 'POST', path: '/api/rounds/{id}/quotes/select', need: 'write', url: (c) => `/api/rounds/${c.round2}/quotes/select`, body: () => ({ budgetFen: 1_000_000 }) },
  { method: 'GET', path: '/api/scenarios/{id}', need: 'read', url: (c) => `/api/scenarios/${s(c)}` },
  { method: 'PUT', path: '/api/scenarios/{id}/changes', need: 'write', url: (c) => `/api/scenarios/${s(c)}/changes`, body: (c) => ({ version: 2, changes: [{ itemCode: c.item.code, level: c.item.level, pctChange: 5 }] }) },
  { method: 'PATCH', path: '/api/scenarios/{id}/changes', need: 'write', url: (c) => `/api/scenarios/${s(c)}/changes`, body: (c) => ({ version: 2, set: [], remove: [{ itemCode: c.item.code, level: c.item.level }] }) },
  { method: 'POST', path: '/api/scenarios/{id}/import', need: 'write', url: (c) => `/api/scenarios/${s(c)}/import`, form: true },
  { method: 'POST', path: '/api/scenarios/{id}/scale', need: 'write', url: (c) => `/api/scenarios/${s(c)}/scale`, body: () => ({ version: 2, targetFen: 0 }) },
  { method: 'POST', path: '/api/scenarios/{id}/index', need: 'write', url: (c) => `/api/scenarios/${s(c)}/index`, body: () => ({ version: 2, growth: 0.01 }) },
  { method: 'POST', path: '/api/scenarios/{id}/optimise', need: 'write', url: (c) => `/api/scenarios/${s(c)}/optimise`, body: () => ({ version: 2 }) },
  { method: 'GET', path: '/api/scenarios/{id}/impact', need: 'read', url: (c) => `/api/scenarios/${s(c)}/impact?include=hospitals,positions` },
  { method: 'GET', path: '/api/scenarios/{id}/facts', need: 'read', url: (c) => `/api/scenarios/${s(c)}/facts` },
  { method: 'GET', path: '/api/scenarios/{id}/impact/items', need: 'read', url: (c) => `/api/scenarios/${s(c)}/impact/items` },
  { method: 'GET', path: '/api/scenarios/{id}/items.xlsx', need: 'read', url: (c) => `/api/scenarios/${s(c)}/items.xlsx` },
  { method: 'GET', path: '/api/scenarios/{id}/impact.xlsx', need: 'read', url: (c) => `/api/scenarios/${s(c)}/impact.xlsx` },
  { method: 'GET', path: '/api/scenarios/{id}/forecast', need: 'read', url: (c) => `/api/scenarios/${s(c)}/forecast` },
  { method: 'GET', path: '/api/scenarios/{id}/burden', need: 'read', url: (c) => `/api/scenarios/${s(c)}/burden` },
  { method: 'GET', path: '/api/scenarios/{id}/versions', need: 'read', url: (c) => `/api/scenarios/${s(c)}/versions` },
  { method: 'GET', path: '/api/scenarios/{id}/versions/compare', need: 'read', url: (c) => `/api/scenarios/${s(c)}/versions/compare?from=1&to=2` },
  { method: 'GET', path: '/api/scenarios/{id}/versions/{version}', need: 'read', url: (c) => `/api/scenarios/${s(c)}/versions/2` },
  { method: 'POST', path: '/api/scenarios/{id}/versions/{version}/restore', need: 'write', url: (c) => `/api/scenarios/${s(c)}/versions/1/restore`, body: () => ({ version: 2 }) },
  { method: 'GET', path: '/api/scenarios/{id}/cost-value', need: 'read', url: (c) => `/api/scenarios/${s(c)}/cost-value` },
  { method: 'GET', path: '/api/scenarios/{id}/price-spread', need: 'read', url: (c) => `/api/scenarios/${s(c)}/price-spread?item=${c.item.code}` },
  { method: 'GET', path: '/api/regions/{code}/catalogue', need: 'read', url: () => `/api/regions/${SUZHOU}/catalogue` },
  { method: 'GET', path: '/api/audit', need: 'audit', url: () => '/api/audit?limit=200', list: true },
  { method: 'GET', path: '/api/audit/{id}', need: 'audit', url: (c) => `/api/audit/${c.audit}` },
];

/** Endpoints anyone may call. */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login']);

const needs = (c: Case): Need[] => (Array.isArray(c.need) ? c.need : [c.need]);

const PERMS: Record<Role, Need[]> = {
  admin: ['read', 'write', 'approve', 'quote', 'admin', 'audit', 'self'],
  pricing_officer: ['read', 'write', 'approve', 'audit', 'self'],
  analyst: ['read', 'write', 'audit', 'self'],
  hospital: ['quote', 'self'],
  viewer: ['read', 'self'],
};

describe('access control: sessions, roles and regions on every endpoint', () => {
  const db = useTestDatabase({ demo: true });
  let t: TestApp;
  const ctx = {} as Ctx;
  const admin = caller(() => t.base);
  const users: Partial<Record<'xiamen' | 'zhejiang' | 'jiangsu' | 'suzhouViewer' | 'hospital' | 'otherHospital' | 'suzhou', Session>> = {};

  async function send(c: Case, session: Session | null, extra: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    let init: RequestInit = { method: c.method, headers: { ...extra } };
    if (c.form) {
      const fd = new FormData();
      fd.set('file', new Blob([`项目编码,三级,二级,一级\n${ctx.item.code},${ctx.item.priceFen + 1},,\n`], { type: 'text/csv' }), 'a.csv');
      fd.set('version', '2');
      init = { ...init, body: fd };
    } else if (c.body || c.method !== 'GET') {
      init = { ...init, headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(c.body?.(ctx) ?? {}) };
    }
    const res = await apiFetch(t.base, c.url(ctx), init, session);
    return { status: res.status, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
  }

  /** Rows of every table a request could change, to prove refused requests changed nothing. */
  async function fingerprint(): Promise<string> {
    const q = await db().pool.query(
      `select (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from round x) as round,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from scenario x) as scenario,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from scenario_change x) as changes,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from scenario_version x) as versions,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from rule_set x) as rule_set,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from hospital_quote x) as quotes,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from round_allocation x) as allocation,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from load_batch x) as loads,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from cost x) as costs,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from audit_log x) as audit,
              (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from (select id, username, role, region_code, disabled, password_hash from app_user) x) as users`,
    );
    return JSON.stringify(q.rows[0]);
  }

  beforeAll(async () => {
    t = await startTestApp(db().url);
    const round = await admin('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '苏州机密轮次', params: { itemShareFloor: 0, changeCap: 0.3 } });
    expect(round.status, JSON.stringify(round.body)).toBe(201);
    ctx.round = round.body.id;
    ctx.audit = Number((await db().pool.query(`select id from audit_log where action = 'round.create' and entity_id = $1`, [String(ctx.round)])).rows[0].id);
    const round2 = await admin('POST', '/api/rounds', { regionCode: SUZHOU, year: 2025, name: '苏州报价轮次', effectiveDate: '2025-01-01', params: { itemShareFloor: 0, changeCap: 0.3 } });
    ctx.round2 = round2.body.id;
    ctx.historic = (await admin('GET', `/api/rounds?region=${SUZHOU}&kind=historic`)).body.find((x: { status: string }) => x.status === 'implemented').id;
    const item = await db().pool.query(
      `select p.item_code as code, p.hospital_level::int as level, p.price_fen::int as "priceFen"
         from price p join region_item ri on ri.region_code = p.region_code and ri.item_code = p.item_code left join item i on i.code = p.item_code
        where p.region_code = $1 and p.hospital_level = 3 and p.valid_to is null and p.price_fen >= 1000 and not ri.is_group
          and coalesce(ri.kind, i.kind, 'complex') <> 'general'
          and exists (select 1 from volume_annual_level v where v.region_code = p.region_code and v.item_code = p.item_code and v.hospital_level = 3 and v.quantity > 0)
        order by p.item_code limit 1`,
      [SUZHOU],
    );
    ctx.item = item.rows[0];
    ctx.institution = (await db().pool.query(`select code from institution where region_code = $1 and hospital_level = 3 order by code limit 1`, [SUZHOU])).rows[0].code;
    const other = (await db().pool.query(`select code from institution where region_code = $1 and hospital_level = 3 order by code offset 1 limit 1`, [SUZHOU])).rows[0].code;
    for (const [i, name] of ['方案甲', '方案乙'].entries()) {
      const sc = await admin('POST', `/api/rounds/${ctx.round}/scenarios`, { name, method: 'manual' });
      expect(sc.status).toBe(201);
      const put = await admin('PUT', `/api/scenarios/${sc.body.id}/changes`, { version: 1, changes: [{ itemCode: ctx.item.code, level: 3, pctChange: 10 }] });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      if (i === 0) ctx.scenario = sc.body.id;
      else ctx.scenario2 = sc.body.id;
    }
    const presets = await admin('GET', '/api/rule-sets?includePresets=true');
    const preset = await admin('GET', `/api/rule-sets/${presets.body.find((x: { isPreset: boolean }) => x.isPreset).id}`);
    ctx.ruleSetBody = { ...preset.body.definition, regionCode: SUZHOU, name: '苏州触发规则' };
    const rs = await admin('POST', '/api/rule-sets', ctx.ruleSetBody);
    expect(rs.status, JSON.stringify(rs.body)).toBe(201);
    ctx.ruleSet = rs.body.id;
    const quote = await admin('POST', `/api/rounds/${ctx.round2}/quotes`, {
      institutionCode: other, itemCode: ctx.item.code, proposedPriceFen: ctx.item.priceFen + 50, costBasis: { labourFen: 100, materialFen: ctx.item.priceFen }, expectedVolume: 5,
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);

    const mk = (username: string, role: Role, regionCode: string | null, institutionCode: string | null = null) => t.userSession({ username, role, regionCode, institutionCode });
    users.xiamen = await mk('xiamen-analyst', 'analyst', '350200');
    users.zhejiang = await mk('zhejiang-officer', 'pricing_officer', '330000');
    users.jiangsu = await mk('jiangsu-officer', 'pricing_officer', '320000');
    users.suzhou = await mk('suzhou-analyst', 'analyst', SUZHOU);
    users.suzhouViewer = await mk('suzhou-viewer', 'viewer', SUZHOU);
    users.hospital = await mk('suzhou-hospital', 'hospital', SUZHOU, ctx.institution);
    ctx.user = (await admin('GET', '/api/users')).body.find((u: { username: string }) => u.username === 'suzhou-analyst').id;
    ctx.batch = (await db().pool.query(`select id::int from load_batch where region_code = $1 and kind = 'costs' and status = 'loaded' order by id limit 1`, [SUZHOU])).rows[0].id;
    // a dry run of 苏州's analyst (a cost file of 苏州), finished before the others try to read or load it
    const fd = new FormData();
    fd.append('files', new Blob([`年度,项目编码,人员经费（元）,卫生材料费（元）,固定资产折旧（元）,其他费用（元）,单位成本（元）\n2031,${ctx.item.code},1,1,1,1,4\n`], { type: 'text/csv' }), '苏州成本.csv');
    const job = await json(await apiFetch(t.base, '/api/loads/uploads?kind=costs', { method: 'POST', body: fd }, users.suzhou));
    ctx.job = job.id;
    for (let i = 0; i < 300 && (await json(await apiFetch(t.base, `/api/loads/jobs/${ctx.job}`, {}, users.suzhou))).status !== 'done'; i++) await new Promise((ok) => setTimeout(ok, 100));
    // the owner reads everything first: a kept answer must not reach another region's user either
    for (const c of CASES.filter((x) => x.method === 'GET' && !needs(x).includes('admin'))) {
      const res = await send(c, users.suzhou!);
      expect(res.status, `${c.method} ${c.url(ctx)} as the owner: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    }
  }, 300_000);
  afterAll(async () => {
    await t?.app.close();
  });

  it('has a case for every endpoint of the OpenAPI document', async () => {
    const doc = await json(await apiFetch(t.base, '/api/docs/openapi.json'));
    const ops: string[] = [];
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(item)) if (['get', 'post', 'put', 'patch', 'delete'].includes(m)) ops.push(`${m.toUpperCase()} ${p}`);
    }
    const covered = new Set([...CASES.map((c) => `${c.method} ${c.path}`), ...PUBLIC]);
    expect(ops.filter((o) => !covered.has(o)), 'endpoints without an authorisation case').toEqual([]);
    expect([...covered].filter((o) => !ops.includes(o)), 'cases of endpoints that are gone').toEqual([]);
  });

  it('answers 401 without a session on every endpoint but health and sign-in', async () => {
    const before = await fingerprint();
    for (const c of CASES) {
      const res = await send(c, null);
      expect(res.status, `${c.method} ${c.url(ctx)}`).toBe(401);
      expect(JSON.parse(res.text).code).toBe('AUTH.UNAUTHENTICATED');
    }
    expect((await apiFetch(t.base, '/api/health', {}, null)).status).toBe(200);
    expect(await fingerprint()).toBe(before);
  });

  it('never shows or changes 苏州 to a user of another region (厦门 analyst, 浙江 official): 403/404, lists without it', async () => {
    const before = await fingerprint();
    for (const who of [users.xiamen!, users.zhejiang!]) {
      for (const c of CASES) {
        if (needs(c).includes('self')) continue;
        const res = await send(c, who);
        const where = `${who.username}: ${c.method} ${c.url(ctx)} → ${res.status} ${res.text.slice(0, 200)}`;
        if (c.list && c.need !== 'admin') expect(res.status, where).toBe(200);
        else expect([403, 404], where).toContain(res.status);
        // the region's code only where the request itself named it (an echo of the request tells nothing)
        if (!`${c.url(ctx)}${JSON.stringify(c.body?.(ctx) ?? '')}`.includes(SUZHOU)) expect(res.text.includes(SUZHOU), where).toBe(false);
        for (const secret of ['苏州', '苏州机密轮次', '方案甲', '苏州触发规则']) expect(res.text.includes(secret), where).toBe(false);
      }
    }
    expect(await fingerprint()).toBe(before);
  });

  it('lets a provincial official (江苏) read the cities under the province', async () => {
    for (const c of CASES.filter((x) => x.method === 'GET' && needs(x).includes('read') && !x.list)) {
      const res = await send(c, users.jiangsu!);
      expect(res.status, `${c.method} ${c.url(ctx)}: ${res.text.slice(0, 200)}`).toBeLessThan(300);
    }
    const rounds = await caller(() => t.base, () => users.jiangsu!)('GET', '/api/rounds');
    expect(rounds.body.map((x: { name: string }) => x.name)).toContain('苏州机密轮次');
    expect(rounds.body.every((x: { regionCode: string }) => x.regionCode.startsWith('32'))).toBe(true);
  });

  it('gives each role of 苏州 what the role allows and refuses the rest with 403', async () => {
    const before = await fingerprint();
    for (const [who, role] of [[users.suzhouViewer!, 'viewer'], [users.hospital!, 'hospital']] as const) {
      for (const c of CASES) {
        if (needs(c).includes('self')) continue;
        const allowed = needs(c).some((n) => PERMS[role].includes(n));
        if (allowed && c.method !== 'GET') continue; // the refused writes only: the allowed ones would change rows
        const res = await send(c, who);
        const where = `${role}: ${c.method} ${c.url(ctx)} → ${res.status} ${res.text.slice(0, 200)}`;
        if (allowed) expect(res.status, where).toBeLessThan(300);
        else {
          expect(res.status, where).toBe(403);
          expect(JSON.parse(res.text).code, where).toBe('AUTH.FORBIDDEN');
        }
      }
    }
    expect(await fingerprint()).toBe(before);
    // the hospital sees its own quotes only, and may quote for itself only
    const hosp = caller(() => t.base, () => users.hospital!);
    expect((await hosp('GET', `/api/rounds/${ctx.round2}/quotes`)).body).toEqual([]);
    const foreign = await hosp('POST', `/api/rounds/${ctx.round2}/quotes`, { ...(CASES.find((c) => c.path === '/api/rounds/{id}/quotes' && c.method === 'POST')!.body!(ctx) as object), institutionCode: 'X-NOT-MINE' });
    expect(foreign.status).toBe(403);
    const own = await hosp('POST', `/api/rounds/${ctx.round2}/quotes`, CASES.find((c) => c.path === '/api/rounds/{id}/quotes' && c.method === 'POST')!.body!(ctx));
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const mine = (await hosp('GET', `/api/rounds/${ctx.round2}/quotes`)).body as { institutionCode: string; scoring: unknown }[];
    // its landing list: the rounds of its region (no historic one) with its own quote counted, the others' not
    const hospRounds = (await hosp('GET', '/api/quotes/rounds')).body as { id: number; regionCode: string; kind: string; quoteCount: number }[];
    expect(hospRounds.length).toBeGreaterThan(0);
    expect(hospRounds.every((x) => x.regionCode === SUZHOU && x.kind !== 'historic')).toBe(true);
    expect(hospRounds.find((x) => x.id === ctx.round2)?.quoteCount).toBe(1);
    const bureauRounds = (await admin('GET', '/api/quotes/rounds')).body as { id: number; quoteCount: number }[];
    expect(bureauRounds.find((x) => x.id === ctx.round2)?.quoteCount).toBe(2);
    expect(mine.map((q) => q.institutionCode)).toEqual([ctx.institution]);
    // no score over its own quotes alone (nor the median it would reveal); the bureau's list scores every quote
    expect(mine.map((q) => q.scoring)).toEqual([null]);
    const all = (await admin('GET', `/api/rounds/${ctx.round2}/quotes`)).body as { scoring: unknown }[];
    expect(all).toHaveLength(2);
    expect(all.every((q) => q.scoring !== null)).toBe(true);
    // an analyst prepares but does not approve
    const sz = caller(() => t.base, () => users.suzhou!);
    const approve = await sz('POST', `/api/rounds/${ctx.round}/status`, { version: 1, to: 'approved', scenarioId: ctx.scenario });
    expect(approve.status).toBe(403);
  });

  it('refuses a change without the CSRF token or from another site, and changes nothing', async () => {
    const before = await fingerprint();
    const c = CASES.find((x) => x.path === '/api/rounds/{id}' && x.method === 'PATCH')!;
    const s0 = users.suzhou!;
    const noToken = await apiFetch(t.base, c.url(ctx), { method: 'PATCH', headers: { 'content-type': 'application/json', cookie: s0.cookie }, body: JSON.stringify(c.body!(ctx)) }, null);
    expect(noToken.status).toBe(403);
    expect((await json(noToken)).code).toBe('AUTH.CSRF');
    const wrong = await apiFetch(t.base, c.url(ctx), { method: 'PATCH', headers: { 'content-type': 'application/json', cookie: s0.cookie, 'x-csrf-token': 'x'.repeat(32) }, body: JSON.stringify(c.body!(ctx)) }, null);
    expect(wrong.status).toBe(403);
    const foreign = await apiFetch(t.base, c.url(ctx), { method: 'PATCH', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify(c.body!(ctx)) }, s0);
    expect(foreign.status).toBe(403);
    expect((await json(foreign)).code).toBe('AUTH.CROSS_ORIGIN');
    // the plain-text import a web page could send: no cookie reaches it cross-site (SameSite), and without the token it is refused
    const text = await apiFetch(t.base, `/api/scenarios/${ctx.scenario}/import?version=2`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie: s0.cookie }, body: `项目编码,三级\n${ctx.item.code},1\n` }, null);
    expect(text.status).toBe(403);
    expect(await fingerprint()).toBe(before);
  });

  it('signs in and out, limits failed sign-ins, ends the sessions of a disabled user, and sets the security headers', async () => {
    const login = await apiFetch(t.base, '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'suzhou-analyst', password: 'test-user-2026' }) }, null);
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(login.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(login.headers.get('x-content-type-options')).toBe('nosniff');
    expect(login.headers.get('access-control-allow-origin')).toBeNull();
    const me = (await json(login)) as { user: { username: string; role: string; regionCode: string }; csrfToken: string };
    expect(me.user).toMatchObject({ username: 'suzhou-analyst', role: 'analyst', regionCode: SUZHOU });
    const session: Session = { cookie: cookie.split(';')[0], csrfToken: me.csrfToken, username: 'suzhou-analyst' };
    expect((await apiFetch(t.base, '/api/auth/me', {}, session)).status).toBe(200);
    expect((await apiFetch(t.base, '/api/auth/logout', { method: 'POST' }, session)).status).toBe(204);
    expect((await apiFetch(t.base, '/api/auth/me', {}, session)).status).toBe(401);

    // a wrong password: 401 with one message whether or not the user exists; then 429 once the limit is reached
    const bad = (username: string) =>
      apiFetch(t.base, '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.9' }, body: JSON.stringify({ username, password: 'not-the-password' }) }, null);
    const a = await bad('suzhou-analyst');
    const b = await bad('nobody-here');
    expect([a.status, b.status]).toEqual([401, 401]);
    expect((await json(a)).message).toBe((await json(b)).message);
    let limited = 0;
    for (let i = 0; i < 12; i++) if ((await bad('suzhou-analyst')).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);

    // a disabled user's session ends at once
    const viewer = users.suzhouViewer!;
    const vid = (await admin('GET', '/api/users')).body.find((u: { username: string }) => u.username === 'suzhou-viewer').id;
    expect((await admin('PATCH', `/api/users/${vid}`, { disabled: true })).status).toBe(200);
    expect((await apiFetch(t.base, `/api/rounds/${ctx.round}`, {}, viewer)).status).toBe(401);
  });
});
