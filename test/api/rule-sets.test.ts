import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERAL_ITEM_INDEXATION, HUNAN_2021, ZHEJIANG_DRAFT } from '../../api/src/domain/triggers';
import { loadFile } from '../../etl/src/run';
import { startTestApp } from '../support/app';
import { useTestDatabase } from '../support/db';
import { etlOptions } from '../support/etl';
import { json, apiFetch } from '../support/http';

const INDICATORS = path.resolve(__dirname, '../../data/demo/indicators');

/** A small rule set of 苏州 (start: 医疗收入增长率 below GDP growth; constraint: 医药总费用增长率 above 10%). */
function suzhouRuleSet(threshold: unknown = 10) {
  return {
    name: '苏州市医疗服务价格动态调整触发条件',
    regionCode: '320500',
    version: 1,
    validFrom: '2023-01-01',
    startCombine: 'any',
    rules: [
      {
        id: 'sz-limit-total-cost',
        role: 'constraint',
        label: '上年医药总费用增长率超过10%',
        expression: { type: 'value', indicator: 'medical_total_cost_growth' },
        comparison: '>',
        threshold,
      },
      {
        id: 'sz-start-revenue-below-gdp',
        role: 'start',
        label: '医疗收入增长率低于GDP增长率',
        expression: { type: 'difference', left: { type: 'value', indicator: 'medical_revenue_growth' }, right: { type: 'value', indicator: 'gdp_growth' } },
        comparison: '<',
        threshold: 0,
      },
    ],
  };
}

describe('rule sets and trigger evaluation over HTTP', () => {
  const db = useTestDatabase();
  let app: INestApplication;
  let base: string;
  const presetIds: Record<string, number> = {};

  const get = async (url: string) => {
    const res = await apiFetch(base, url);
    return { status: res.status, body: await json(res) };
  };
  const post = async (url: string, body: unknown) => {
    const res = await apiFetch(base, url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await json(res) };
  };

  beforeAll(async () => {
    const real = await loadFile(db().pool, path.join(INDICATORS, 'indicators-national-bulletins.csv'), etlOptions({ origin: 'real' }));
    expect(real.status).toBe('loaded');
    const generated = await loadFile(db().pool, path.join(INDICATORS, 'indicators-generated.xlsx'), etlOptions({ origin: 'generated' }));
    expect(generated.status).toBe('loaded');

    ({ app, base } = await startTestApp(db().url));
    const presets = await db().pool.query(`select id::int as id, name from rule_set where is_preset`);
    for (const p of presets.rows) presetIds[p.name] = p.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists the three presets after migration, each with its rule rows', async () => {
    const { status, body } = await get('/api/rule-sets');
    expect(status).toBe(200);
    expect(body.map((r: { name: string }) => r.name)).toEqual([HUNAN_2021.name, ZHEJIANG_DRAFT.name, GENERAL_ITEM_INDEXATION.name]);
    for (const [r, preset] of [[body[0], HUNAN_2021], [body[1], ZHEJIANG_DRAFT], [body[2], GENERAL_ITEM_INDEXATION]] as const) {
      expect(r).toMatchObject({ id: presetIds[preset.name], regionCode: '000000', isPreset: true, version: 1, validFrom: preset.validFrom, validTo: null, ruleCount: preset.rules.length });
    }
    const rows = await db().pool.query(
      `select rs.name, count(r.*)::int as n, min(r.seq)::int as first, max(r.seq)::int as last
         from rule_set rs join rule r on r.rule_set_id = rs.id where rs.is_preset group by rs.name`,
    );
    expect(rows.rows).toHaveLength(3);
    for (const r of rows.rows) expect(r).toMatchObject({ first: 1, last: r.n });

    const one = await get(`/api/rule-sets/${presetIds[HUNAN_2021.name]}`);
    expect(one.status).toBe(200);
    expect(one.body.definition).toEqual(JSON.parse(JSON.stringify(HUNAN_2021)));
    expect((await get('/api/rule-sets?includePresets=false')).body).toEqual([]);
    expect((await get('/api/rule-sets/999999')).body.code).toBe('RULE_SET.NOT_FOUND');
  });

  it('blocks 乐山 under the 湖南 preset (2024 医药总费用增长率 11.0%, evaluated in 2025)', async () => {
    const { status, body } = await post('/api/rule-sets/evaluate', { ruleSetId: presetIds[HUNAN_2021.name], regionCode: '511100', year: 2025 });
    expect(status).toBe(200);
    expect(body.status).toBe('blocked');
    expect(body.blockedBy).toEqual(['hn-limit-total-cost']);
    expect(body.startMet).toBe(true);
    const rule = body.rules.find((r: { ruleId: string }) => r.ruleId === 'hn-limit-total-cost');
    expect(rule).toMatchObject({ outcome: 'met', value: 11, threshold: 10 });
    expect(rule.inputs).toEqual([
      expect.objectContaining({ indicator: 'medical_total_cost_growth', period: '2024', value: 11, releaseType: 'yearbook', isGenerated: true }),
    ]);
    expect(rule.sentenceZh).toContain('11.0%');
    expect(body.summaryZh).toContain('上年医药总费用增长率超过10%');
    expect(body.ruleSet).toEqual({ name: HUNAN_2021.name, regionCode: '000000', version: 1 });

    // the same through the region endpoint, the preset given as the fallback
    const region = await get(`/api/regions/511100/evaluation?year=2025&ruleSetId=${presetIds[HUNAN_2021.name]}`);
    expect(region.status).toBe(200);
    expect(region.body).toMatchObject({ status: 'blocked', blockedBy: ['hn-limit-total-cost'] });
    expect(region.body.warnings.join()).toContain('采用预设规则集');
  });

  it('evaluates on the values in the database now: a change of a value is seen by the next evaluation', async () => {
    const ask = () => post('/api/rule-sets/evaluate', { ruleSetId: presetIds[HUNAN_2021.name], regionCode: '511100', year: 2025 });
    const value = () => ask().then((r) => r.body.rules.find((x: { ruleId: string }) => x.ruleId === 'hn-limit-total-cost').value);
    expect(await value()).toBe(11);
    const where = `region_code = '511100' and indicator_code = 'medical_total_cost_growth' and period = '2024'`;
    await db().pool.query(`update indicator_value set value = 9.5 where ${where}`);
    try {
      const after = await ask();
      expect(after.body.rules.find((x: { ruleId: string }) => x.ruleId === 'hn-limit-total-cost').value).toBe(9.5);
      expect(after.body.blockedBy).toEqual([]);
    } finally {
      await db().pool.query(`update indicator_value set value = 11 where ${where}`);
    }
    expect(await value()).toBe(11);
  });

  it('triggers 苏州 under the 湖南 preset', async () => {
    const { body } = await post('/api/rule-sets/evaluate', { ruleSetId: presetIds[HUNAN_2021.name], regionCode: '320500', year: 2025 });
    expect(body.status).toBe('triggered');
    expect(body.blockedBy).toEqual([]);
    expect(body.missing).toEqual([]);
    // a special adjustment of 乐山 is not blocked by the constraint
    const special = await post('/api/rule-sets/evaluate', { ruleSetId: presetIds[HUNAN_2021.name], regionCode: '511100', year: 2025, kind: 'special' });
    expect(special.body).toMatchObject({ status: 'triggered', kind: 'special', blockedBy: [], constraintsMet: ['hn-limit-total-cost'] });
  });

  it('evaluates many regions in one request, each exactly as the single-region evaluation', async () => {
    const id = presetIds[HUNAN_2021.name];
    const many = await post('/api/rule-sets/evaluate-regions', { ruleSetId: id, regionCodes: ['511100', '320500'], year: 2025 });
    expect(many.status).toBe(200);
    expect(many.body.results.map((r: { regionCode: string; regionName: string }) => [r.regionCode, r.regionName])).toEqual([['511100', '乐山市'], ['320500', '苏州市']]);
    expect(many.body.counts).toEqual({ triggered: 1, blocked: 1, notStarted: 0, insufficientData: 0 });
    expect(many.body.ruleSet).toEqual({ id, name: HUNAN_2021.name, regionCode: '000000', version: 1 });
    for (const r of many.body.results) {
      const one = await post('/api/rule-sets/evaluate', { ruleSetId: id, regionCode: r.regionCode, year: 2025 });
      expect(r.result).toEqual(one.body);
    }
    expect(many.body.results[0].result.rules.find((x: { ruleId: string }) => x.ruleId === 'hn-limit-total-cost')).toMatchObject({ outcome: 'met', value: 11 });

    // without a list: every region with values of the indicators the rule set reads (never 000000 全国)
    const all = await post('/api/rule-sets/evaluate-regions', { ruleSetId: id, year: 2025 });
    expect(all.status).toBe(200);
    const codes = all.body.results.map((r: { regionCode: string }) => r.regionCode);
    expect(codes).toEqual(expect.arrayContaining(['511100', '320500', '130200', '350200', '360700']));
    expect(codes).not.toContain('000000');
    expect(codes).toEqual([...codes].sort());
    const c = all.body.counts;
    expect(c.triggered + c.blocked + c.notStarted + c.insufficientData).toBe(codes.length);

    const bad = await post('/api/rule-sets/evaluate-regions', { ruleSetId: id, regionCodes: ['511100', '999999', '511100'], year: 2025 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['body.regionCodes.2']);
    const unknown = await post('/api/rule-sets/evaluate-regions', { ruleSetId: id, regionCodes: ['511100', '999999'], year: 2025 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([{ path: 'body.regionCodes.1', message: '地区代码 999999 不存在 (unknown region code)' }]);
  });

  it('evaluates an ad-hoc rule set against the values of the request, reading nothing from the database', async () => {
    const value = (indicator: string, v: number) => ({
      regionCode: '440300', indicator, period: '2024', value: v, unit: '%', source: '测试', releaseType: 'final', isGenerated: false,
    });
    const adHoc = { ...suzhouRuleSet(), regionCode: '440300', version: undefined };
    const { status, body } = await post('/api/rule-sets/evaluate', {
      ruleSet: adHoc,
      regionCode: '440300',
      year: 2025,
      values: [value('medical_total_cost_growth', 6), value('medical_revenue_growth', 3), value('gdp_growth', 5)],
    });
    expect(status).toBe(200);
    expect(body.status).toBe('triggered');
    expect(body.ruleSet.version).toBe(1);
    expect(body.rules[1].inputs.map((i: { source: string }) => i.source)).toEqual(['测试', '测试']);

    // the values of the request replace the database: 乐山's own 11.0% is not read
    const leshan = await post('/api/rule-sets/evaluate', {
      ruleSet: suzhouRuleSet(),
      regionCode: '511100',
      year: 2025,
      values: [{ ...value('medical_total_cost_growth', 1), regionCode: '511100' }],
    });
    expect(leshan.body.status).toBe('insufficient_data');
    expect(leshan.body.rules[0]).toMatchObject({ outcome: 'not_met', value: 1 });
  });

  it('answers an invalid rule set with 400 and field paths', async () => {
    const bad = await post('/api/rule-sets', suzhouRuleSet('ten'));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'VALIDATION.FAILED' });
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual(['body.rules.0.threshold']);
    expect(bad.body.message).toContain('body.rules.0.threshold');

    const typo = { ...suzhouRuleSet(), rules: [{ ...(suzhouRuleSet().rules as object[])[1], treshold: 0 }] };
    const typoRes = await post('/api/rule-sets', typo);
    expect(typoRes.status).toBe(400);
    expect(typoRes.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.rules.0']));

    const adHoc = await post('/api/rule-sets/evaluate', { ruleSet: suzhouRuleSet(null), regionCode: '320500', year: 2025 });
    expect(adHoc.status).toBe(400);
    expect(adHoc.body.details.map((d: { path: string }) => d.path)).toEqual(['body.ruleSet.rules.0.threshold']);

    const neither = await post('/api/rule-sets/evaluate', { regionCode: '320500', year: 2025 });
    expect(neither.status).toBe(400);
    expect(neither.body.details.map((d: { path: string }) => d.path)).toEqual(['body.ruleSetId']);

    const query = await get('/api/regions/320500/evaluation?year=twenty');
    expect(query.status).toBe(400);
    expect(query.body.details.map((d: { path: string }) => d.path)).toEqual(['query.year']);
    expect((await post('/api/rule-sets', { ...suzhouRuleSet(), regionCode: '000000' })).body.code).toBe('RULE_SET.PRESET_REGION');
    expect((await post('/api/rule-sets', { ...suzhouRuleSet(), regionCode: '999999' })).body.code).toBe('RULE_SET.UNKNOWN_REGION');
  });

  it('stores a second POST of the same region and name as version 2, and keeps version 1 as it was', async () => {
    const first = await post('/api/rule-sets', suzhouRuleSet(10));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ regionCode: '320500', version: 1, isPreset: false, ruleCount: 2 });
    const second = await post('/api/rule-sets', suzhouRuleSet(6));
    expect(second.status).toBe(201);
    expect(second.body.version).toBe(2);
    expect(second.body.definition.version).toBe(2);
    expect(second.body.definition.rules[0].threshold).toBe(6);

    const v1 = await get(`/api/rule-sets/${first.body.id}`);
    expect(v1.body.definition.rules[0].threshold).toBe(10);
    const rules = await db().pool.query(`select seq, threshold from rule where rule_set_id = $1 order by seq`, [second.body.id]);
    expect(rules.rows).toEqual([{ seq: 1, threshold: '6' }, { seq: 2, threshold: '0' }]);

    const latest = await get('/api/rule-sets?region=320500&includePresets=false');
    expect(latest.body.map((r: { id: number; version: number }) => [r.id, r.version])).toEqual([[second.body.id, 2]]);
    const all = await get('/api/rule-sets?region=320500&allVersions=true');
    expect(all.body.filter((r: { isPreset: boolean }) => !r.isPreset).map((r: { version: number }) => r.version)).toEqual([2, 1]);
    expect(all.body.filter((r: { isPreset: boolean }) => r.isPreset)).toHaveLength(3);

    // the region endpoint now evaluates 苏州's own latest version (2024 医药总费用增长率 6.8% > 6 blocks)
    const own = await get(`/api/regions/320500/evaluation?year=2025&ruleSetId=${presetIds[HUNAN_2021.name]}`);
    expect(own.status).toBe(200);
    expect(own.body.ruleSet).toEqual({ name: '苏州市医疗服务价格动态调整触发条件', regionCode: '320500', version: 2 });
    expect(own.body).toMatchObject({ status: 'blocked', blockedBy: ['sz-limit-total-cost'] });
    // … but not in a year before it is valid
    const before = await get(`/api/regions/320500/evaluation?year=2022&ruleSetId=${presetIds[HUNAN_2021.name]}`);
    expect(before.body.ruleSet.name).toBe(HUNAN_2021.name);
  });

  it('numbers concurrent creations of one rule set without gaps or clashes', async () => {
    const body = { ...suzhouRuleSet(), regionCode: '350200', name: '厦门市触发条件（并发）' };
    const res = await Promise.all([1, 2, 3, 4].map(() => post('/api/rule-sets', body)));
    expect(res.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(res.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4]);
  });

  it('answers unknown regions, unknown rule sets and regions without a rule set with 404 codes', async () => {
    const unknown = await post('/api/rule-sets/evaluate', { ruleSetId: presetIds[HUNAN_2021.name], regionCode: '999999', year: 2025 });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'REGION.NOT_FOUND' });
    const region = await get('/api/regions/999999/evaluation?year=2025');
    expect(region.status).toBe(404);
    expect(region.body.code).toBe('REGION.NOT_FOUND');
    const noRuleSet = await get('/api/regions/511100/evaluation?year=2025');
    expect(noRuleSet.status).toBe(404);
    expect(noRuleSet.body.code).toBe('RULE_SET.NONE_FOR_REGION');
    expect(noRuleSet.body.details.presets).toHaveLength(3);
    const noSuchRuleSet = await post('/api/rule-sets/evaluate', { ruleSetId: 999999, regionCode: '511100', year: 2025 });
    expect(noSuchRuleSet.status).toBe(404);
    expect(noSuchRuleSet.body.code).toBe('RULE_SET.NOT_FOUND');
  });

  it('is insufficient_data for a region without data, naming what is missing (national values do not stand in)', async () => {
    // 深圳 440300 has no indicator values; 全国 000000 has GDP growth 2024, which must not be used
    const { status, body } = await post('/api/rule-sets/evaluate', { ruleSetId: presetIds[HUNAN_2021.name], regionCode: '440300', year: 2025 });
    expect(status).toBe(200);
    expect(body.status).toBe('insufficient_data');
    expect(body.startMet).toBeNull();
    expect(body.missing).toEqual(
      expect.arrayContaining([
        { indicator: 'gdp_growth', period: '2024' },
        { indicator: 'medical_revenue_growth', period: '2024' },
        { indicator: 'medical_total_cost_growth', period: '2024' },
      ]),
    );
    expect(body.rules.every((r: { outcome: string; inputs: unknown[] }) => r.outcome === 'insufficient_data' && r.inputs.length === 0)).toBe(true);
    expect(body.summaryZh).toContain('数据不足');
    expect(body.summaryZh).toContain('2024年GDP增长率');
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const { body } = await get('/api/docs/openapi.json');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/rule-sets', '/api/rule-sets/{id}', '/api/rule-sets/evaluate', '/api/regions/{code}/evaluation']),
    );
    expect(body.paths['/api/rule-sets/evaluate'].post.summary).toMatch(/^触发条件评估/);
    expect(JSON.stringify(body)).not.toContain('#/$defs/');
    const create = body.paths['/api/rule-sets'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(['name', 'regionCode', 'validFrom', 'startCombine', 'rules']);
    const evaluate = body.paths['/api/rule-sets/evaluate'].post.requestBody.content['application/json'].schema;
    expect(evaluate.properties.ruleSet.required).not.toContain('version');
  });
});
