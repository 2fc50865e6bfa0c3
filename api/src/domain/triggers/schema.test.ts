import { describe, expect, it } from 'vitest';
import { HUNAN_2021_INPUT } from './presets';
import { DEFAULT_RELEASE_PREFERENCE, evaluationInputSchema, formatIssues, type FieldIssue, parseRuleSet, type RuleSetInput } from './schema';

const base = (): RuleSetInput => ({
  name: '测试',
  regionCode: '430000',
  version: 1,
  validFrom: '2021-01-01',
  startCombine: 'any',
  rules: [{ role: 'start', label: '启动', expression: { type: 'value', indicator: 'gdp_growth' }, comparison: '>', threshold: 5 }],
});

function issues(json: unknown): FieldIssue[] {
  const r = parseRuleSet(json);
  if (r.ok) throw new Error('expected a validation error');
  return r.issues;
}

const paths = (json: unknown) => issues(json).map((i) => i.path);

describe('rule set schema', () => {
  it('applies defaults: release preference 公报 first, annual periods, yearly evaluation', () => {
    const r = parseRuleSet(base());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.releasePreference).toEqual(['final', 'express', 'yearbook', 'estimate']);
    expect(r.value.releasePreference).toEqual(DEFAULT_RELEASE_PREFERENCE);
    expect(r.value.periodPolicy).toBe('annual');
    expect(r.value.evaluationIntervalYears).toBe(1);
  });

  it('accepts the presets as JSON round trips', () => {
    expect(parseRuleSet(JSON.parse(JSON.stringify(HUNAN_2021_INPUT))).ok).toBe(true);
  });

  it('names the field path of a bad indicator deep in an expression', () => {
    const rs = base();
    rs.rules[0]!.expression = {
      type: 'difference',
      left: { type: 'value', indicator: 'medical_revenue_growth' },
      right: { type: 'run', of: { type: 'value', indicator: 'gdp_growht' }, comparison: '<', threshold: 0, years: 2 },
    };
    expect(issues(rs)).toEqual([{ path: 'rules.0.expression.right.of.indicator', message: '未知指标代码 (unknown indicator code): gdp_growht' }]);
  });

  it('names the path of each field error at once', () => {
    const rs = {
      ...base(),
      regionCode: '43',
      version: 0,
      validFrom: '2021-13-01',
      startCombine: 'some',
      rules: [
        { role: 'boss', label: '', expression: { type: 'value', indicator: 'gdp_growth', offset: -1 }, comparison: '>>', threshold: '5' },
        { role: 'start', label: 'x', expression: { type: 'ratio' }, comparison: '<', threshold: Number.NaN },
      ],
    };
    expect(paths(rs)).toEqual([
      'regionCode',
      'version',
      'validFrom',
      'startCombine',
      'rules.0.role',
      'rules.0.label',
      'rules.0.expression.offset',
      'rules.0.comparison',
      'rules.0.threshold',
      'rules.1.expression.type',
      'rules.1.threshold',
    ]);
  });

  it('rejects unknown fields, so a typo does not silently drop a value', () => {
    const rs = { ...base(), rules: [{ ...base().rules[0], treshold: 5, threshold: undefined }] };
    expect(issues(rs)).toEqual([
      { path: 'rules.0.threshold', message: '须为有限数值 (must be a finite number)' },
      { path: 'rules.0', message: '未知字段 (unknown field): treshold' },
    ]);
  });

  it('rejects growth of a flag or a target, and a flag expression on a non-flag indicator', () => {
    const rs = base();
    rs.rules.push(
      { role: 'constraint', label: 'a', expression: { type: 'growth', indicator: 'major_public_event' }, comparison: '>', threshold: 0 },
      { role: 'constraint', label: 'b', expression: { type: 'growth', indicator: 'cpi_target' }, comparison: '>', threshold: 0 },
      { role: 'constraint', label: 'c', expression: { type: 'flag', indicator: 'gdp_growth' }, comparison: '=', threshold: 1 },
    );
    expect(issues(rs)).toEqual([
      { path: 'rules.1.expression.indicator', message: '该指标不能计算增长率 (growth is not defined for this indicator): major_public_event' },
      { path: 'rules.2.expression.indicator', message: '该指标不能计算增长率 (growth is not defined for this indicator): cpi_target' },
      { path: 'rules.3.expression.indicator', message: '须为是/否类指标 (must be a flag indicator): gdp_growth' },
    ]);
  });

  it('needs a start rule, unique rule ids, validTo after validFrom, unique release types', () => {
    const rs = {
      ...base(),
      validTo: '2020-12-31',
      releasePreference: ['final', 'final'],
      rules: [
        { id: 'a', role: 'constraint', label: 'x', expression: { type: 'reserveMonths' }, comparison: '<', threshold: 3 },
        { id: 'a', role: 'reminder', label: 'y', expression: { type: 'reserveMonths' }, comparison: '<', threshold: 6 },
      ],
    };
    expect(issues(rs)).toEqual([
      { path: 'validTo', message: '须晚于 validFrom (must be after validFrom)' },
      { path: 'rules', message: '至少需要一条启动条件 (at least one start rule)' },
      { path: 'rules.1.id', message: '规则编号重复 (duplicate rule id "a", also rules.0)' },
      { path: 'releasePreference', message: '发布类型重复 (duplicate release type final)' },
    ]);
  });

  it('a rule id that collides with the position-based default id is a duplicate', () => {
    const rs = base();
    rs.rules.push({ id: '#1', role: 'start', label: 'b', expression: { type: 'reserveMonths' }, comparison: '<', threshold: 3 });
    expect(paths(rs)).toEqual(['rules.1.id']);
  });

  it('bounds run lengths, growth years, offsets and nesting depth', () => {
    const rs = base();
    rs.rules[0]!.expression = { type: 'run', of: { type: 'growth', indicator: 'gdp_growth', years: 0 }, comparison: '<', threshold: 0, years: 11, offset: 11 };
    expect(paths(rs)).toEqual(['rules.0.expression.of.years', 'rules.0.expression.years', 'rules.0.expression.offset']);
    let deep: RuleSetInput['rules'][number]['expression'] = { type: 'value', indicator: 'gdp_growth' };
    for (let i = 0; i < 6; i++) deep = { type: 'sum', terms: [deep] };
    const tooDeep = { ...base(), rules: [{ ...base().rules[0]!, expression: deep }] };
    expect(issues(tooDeep)).toEqual([{ path: 'rules.0.expression', message: '表达式嵌套过深 (nesting depth 7 > 6)' }]);
  });

  it('formatIssues joins path and message', () => {
    expect(formatIssues([{ path: 'rules.0.threshold', message: 'm' }, { path: 'name', message: 'n' }])).toBe('rules.0.threshold: m; name: n');
  });
});

describe('evaluation input schema', () => {
  it('accepts indicator values with annual, monthly and quarterly periods', () => {
    const v = { regionCode: '511100', indicator: 'gdp_growth', value: 5.6, unit: '%', source: '统计公报', releaseType: 'final', isGenerated: false };
    const r = evaluationInputSchema.safeParse({
      regionCode: '511100',
      year: 2025,
      kind: 'regular',
      values: [{ ...v, period: '2024' }, { ...v, period: '2024-03' }, { ...v, period: '2024Q1' }],
    });
    expect(r.success).toBe(true);
  });

  it('rejects bad periods, release types and kinds with their paths', () => {
    const r = evaluationInputSchema.safeParse({
      regionCode: '511100',
      year: 2025,
      kind: 'urgent',
      values: [{ regionCode: '511100', indicator: 'gdp_growth', period: '2024-13', value: 5.6, unit: '%', source: 's', releaseType: '快报', isGenerated: false }],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['kind', 'values.0.period', 'values.0.releaseType']);
  });
});
