import { describe, expect, it } from 'vitest';
import { HUNAN_2021 } from '../../../../api/src/domain/triggers/presets';
import { parseRuleSet } from '../../../../api/src/domain/triggers/schema';
import { bodyOf, changesOf, draftFrom, fieldErrors, hasErrors } from './ruleCopy';
import { seriesOf, trendSpecOf } from './ruleIndicators';

const draft = () => draftFrom(HUNAN_2021, { name: '乐山市调价触发条件', regionCode: '511100', validFrom: '2025-01-01' });

describe('a copy of a rule set', () => {
  it('starts as the rule set itself, for the region and from the date given', () => {
    const d = draft();
    const { body, ruleKeys } = bodyOf(d);
    expect(body).not.toHaveProperty('version');
    expect(body).toMatchObject({ name: '乐山市调价触发条件', regionCode: '511100', validFrom: '2025-01-01', startCombine: 'any' });
    expect(body.rules).toHaveLength(HUNAN_2021.rules.length);
    expect(ruleKeys).toEqual(HUNAN_2021.rules.map((r) => r.id));
    const parsed = parseRuleSet({ ...body, version: 1 });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.rules).toEqual(HUNAN_2021.rules);
    expect(changesOf(d)).toEqual({ off: 0, changed: 0 });
  });

  it('leaves rules switched off out and carries changed thresholds, without touching the rule set copied', () => {
    const d = draft();
    const limit = d.rules.find((r) => r.key === 'hn-limit-total-cost')!;
    limit.threshold = 12;
    d.rules.find((r) => r.key === 'hn-start-salary-policy')!.enabled = false;
    const { body, ruleKeys } = bodyOf(d);
    expect(body.rules).toHaveLength(HUNAN_2021.rules.length - 1);
    expect(ruleKeys).not.toContain('hn-start-salary-policy');
    expect(body.rules.find((r) => r.id === 'hn-limit-total-cost')).toMatchObject({ threshold: 12, comparison: '>', expression: { type: 'value', indicator: 'medical_total_cost_growth' } });
    expect(HUNAN_2021.rules.find((r) => r.id === 'hn-limit-total-cost')!.threshold).toBe(10);
    expect(changesOf(d)).toEqual({ off: 1, changed: 1 });
  });

  it('maps the API error paths back to the rules, also when rules before them are switched off', () => {
    const d = draft();
    d.rules[0]!.enabled = false;
    const { ruleKeys } = bodyOf(d);
    // rules.3 of the body sent is the 5th rule of the rule set (the 1st is off)
    const e = fieldErrors(
      [
        { path: 'body.ruleSet.rules.3.threshold', message: '须为有限数值 (must be a finite number)' },
        { path: 'body.ruleSet.rules.0.label', message: '不能为空 (label must not be empty)' },
        { path: 'body.ruleSet.rules.0.expression.indicator', message: '未知指标代码' },
        { path: 'body.ruleSet.rules', message: '至少需要一条启动条件 (at least one start rule)' },
        { path: 'body.ruleSet.name', message: '不能为空 (name must not be empty)' },
        { path: 'body.regionCodes.2', message: '地区代码不存在' },
      ],
      'body.ruleSet.',
      ruleKeys,
    );
    expect(e.rules['hn-limit-total-cost']).toEqual({ threshold: ['须为有限数值 (must be a finite number)'] });
    expect(e.rules['hn-start-inpatient-fall']).toEqual({ label: ['不能为空 (label must not be empty)'], other: ['expression.indicator: 未知指标代码'] });
    expect(e.form).toEqual({ rules: ['至少需要一条启动条件 (at least one start rule)'], name: ['不能为空 (name must not be empty)'] });
    expect(e.other).toEqual([{ path: 'body.regionCodes.2', message: '地区代码不存在' }]);
    expect(hasErrors(e)).toBe(true);
    const saved = fieldErrors([{ path: 'body.rules.3.threshold', message: 'x' }, { path: 'body.regionCode', message: 'y' }], 'body.', ruleKeys);
    expect(saved.rules['hn-limit-total-cost']).toEqual({ threshold: ['x'] });
    expect(saved.form).toEqual({ regionCode: ['y'] });
    expect(hasErrors(fieldErrors(undefined, 'body.', ruleKeys))).toBe(false);
  });
});

describe('the series of a rule over the years', () => {
  const rule = (id: string) => HUNAN_2021.rules.find((r) => r.id === id)!;

  it('draws a one-series rule with its threshold', () => {
    expect(trendSpecOf(rule('hn-limit-total-cost'))).toEqual({ indicators: ['medical_total_cost_growth'], threshold: 10 });
    expect(trendSpecOf(rule('hn-limit-reserve-months'))).toEqual({ indicators: ['fund_reserve_months'], threshold: 3 });
    expect(trendSpecOf(rule('hn-limit-public-event'))).toEqual({ indicators: ['major_public_event'], threshold: 1 });
  });

  it('draws a run of years as the inner series with the run threshold, a difference as its parts without one', () => {
    expect(trendSpecOf(rule('hn-start-outpatient-fall'))).toEqual({ indicators: ['outpatient_cost_growth'], threshold: 0 });
    expect(trendSpecOf(rule('hn-limit-cpi'))).toEqual({ indicators: ['cpi_growth', 'cpi_target'], threshold: null });
    expect(trendSpecOf(rule('hn-limit-outpatient-target'))).toEqual({ indicators: ['outpatient_cost_growth', 'cost_growth_target'], threshold: null });
    expect(seriesOf({ type: 'sum', terms: [{ type: 'value', indicator: 'drug_revenue_share' }, { type: 'value', indicator: 'drug_revenue_share' }] })).toEqual(['drug_revenue_share']);
    expect(trendSpecOf({ expression: { type: 'growth', indicator: 'avg_wage_growth', years: 2 }, threshold: 10 })).toEqual({ indicators: ['avg_wage_growth'], threshold: null });
  });
});
