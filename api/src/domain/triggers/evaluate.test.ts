import { describe, expect, it } from 'vitest';
import { combineStart, dataRequirements, evaluateRuleSet, inEffect, regionCovers, type TriggerResult } from './evaluate';
import { cleanRegion, REGION, val, withValue } from './fixtures.test-support';
import { HUNAN_2021 } from './presets';
import { type Expression, type IndicatorValue, parseRuleSet, type RuleSet, type RuleSetInput } from './schema';

function ruleSet(rules: RuleSetInput['rules'], extra: Partial<RuleSetInput> = {}): RuleSet {
  const r = parseRuleSet({ name: '测试规则集', regionCode: REGION, version: 1, validFrom: '2021-01-01', startCombine: 'any', rules, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

function evaluate(rs: RuleSet, values: IndicatorValue[], opts: { year?: number; kind?: 'regular' | 'special'; regionCode?: string } = {}): TriggerResult {
  return evaluateRuleSet(rs, { regionCode: opts.regionCode ?? REGION, year: opts.year ?? 2025, kind: opts.kind ?? 'regular', values });
}

/** A start rule that holds when the flag salary_policy_change of last year is 1. */
const START_FLAG = { id: 's', role: 'start', label: '政策调整', expression: { type: 'flag', indicator: 'salary_policy_change' }, comparison: '=', threshold: 1 } as const;

function single(expression: Expression, comparison: '<' | '<=' | '>' | '>=' | '=' | '!=', threshold: number, role: 'start' | 'constraint' | 'reminder' = 'constraint') {
  const rules: RuleSetInput['rules'] = role === 'start' ? [] : [START_FLAG];
  rules.push({ id: 'x', role, label: '被测规则', expression, comparison, threshold });
  return ruleSet(rules);
}

const ruleX = (r: TriggerResult) => r.rules.find((e) => e.ruleId === 'x')!;

describe('reserve months (累计结余可支付月数)', () => {
  const rs = single({ type: 'reserveMonths' }, '<', 3);

  it('is accumulated balance ÷ (spending ÷ 12): 30亿 ÷ (120亿 ÷ 12) = 3.0 months, and 3 is not < 3', () => {
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_accumulated_balance', 2024, 30), val('fund_expenditure', 2024, 120)]);
    const e = ruleX(r);
    expect(e.value).toBe(3);
    expect(e.unit).toBe('月');
    expect(e.outcome).toBe('not_met');
    expect(e.inputs.map((i) => [i.indicator, i.value])).toEqual([
      ['fund_accumulated_balance', 30],
      ['fund_expenditure', 120],
    ]);
    expect(e.sentenceZh).toBe(
      '2024年医保基金累计结余可支付月数为3.0个月，不低于约束阈值3个月，不构成约束（来源：演示数据生成器，公报；由累计结余30.00亿元与基金支出120.00亿元计算）。',
    );
    expect(r.status).toBe('triggered');
  });

  it('29.99亿 gives 2.999 months < 3: blocked', () => {
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_accumulated_balance', 2024, 29.99), val('fund_expenditure', 2024, 120)]);
    expect(ruleX(r).value).toBe(2.999);
    expect(r.status).toBe('blocked');
  });

  it('converts 万元 into the catalogue unit 亿元 before dividing', () => {
    const r = evaluate(rs, [
      val('salary_policy_change', 2024, 1),
      val('fund_accumulated_balance', 2024, 300_000, { unit: '万元' }),
      val('fund_expenditure', 2024, 120),
    ]);
    expect(ruleX(r).value).toBe(3);
    expect(ruleX(r).inputs[0]).toMatchObject({ value: 30, unit: '亿元' });
  });

  it('names both components when they are missing, and falls back to a published months figure', () => {
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_expenditure', 2024, 120)]);
    expect(r.status).toBe('insufficient_data');
    expect(ruleX(r).missing).toEqual([{ indicator: 'fund_accumulated_balance', period: '2024' }]);
    const pub = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_reserve_months', 2024, 2.5)]);
    expect(ruleX(pub).value).toBe(2.5);
    expect(ruleX(pub).outcome).toBe('met');
    expect(ruleX(pub).notes.join()).toContain('采用公布的累计结余可支付月数');
  });

  it('zero spending is not a number of months: insufficient data', () => {
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_accumulated_balance', 2024, 30), val('fund_expenditure', 2024, 0)]);
    expect(ruleX(r).outcome).toBe('insufficient_data');
    expect(r.status).toBe('insufficient_data');
  });
});

describe('growth', () => {
  const runOfFalls: Expression = { type: 'run', of: { type: 'growth', indicator: 'outpatient_cost_per_visit' }, comparison: '<', threshold: 0, years: 2 };

  it('is computed from the level series when no published growth exists, and the evidence says so', () => {
    // 300 → 294 → 291.06: −2.0% then −1.0%
    const values = [
      val('outpatient_cost_per_visit', 2022, 300),
      val('outpatient_cost_per_visit', 2023, 294),
      val('outpatient_cost_per_visit', 2024, 291.06),
    ];
    const one = evaluate(single({ type: 'growth', indicator: 'outpatient_cost_per_visit' }, '<', 0, 'start'), values);
    const e = one.rules[0]!;
    expect(e.value).toBe(-1);
    expect(e.expressionText).toBe('2024年 门诊次均费用增长率');
    expect(e.inputs.map((i) => [i.indicator, i.period, i.value])).toEqual([
      ['outpatient_cost_per_visit', '2023', 294],
      ['outpatient_cost_per_visit', '2024', 291.06],
    ]);
    expect(e.notes).toContain('未见公布的门诊次均费用增长率，增长率由2023年、2024年门诊次均费用计算');
    expect(e.sentenceZh).toBe('2024年门诊次均费用增长率为-1.0%，低于启动阈值0，满足启动条件（来源：演示数据生成器，公报；由2023年、2024年门诊次均费用计算）。');

    const run = evaluate(single(runOfFalls, '=', 1, 'start'), values).rules[0]!;
    expect(run.outcome).toBe('met');
    expect(run.inputs).toHaveLength(3);
    expect(run.sentenceZh).toBe(
      '门诊次均费用增长率2023年为-2.0%、2024年为-1.0%，连续2年低于0，满足启动条件（来源：演示数据生成器，公报；由2022年、2023年门诊次均费用计算；由2023年、2024年门诊次均费用计算）。',
    );
  });

  it('prefers the published rate to the levels', () => {
    const values = [val('outpatient_cost_per_visit', 2023, 294), val('outpatient_cost_per_visit', 2024, 291.06), val('outpatient_cost_growth', 2024, 0.4)];
    const e = evaluate(single({ type: 'growth', indicator: 'outpatient_cost_per_visit' }, '<', 0, 'start'), values).rules[0]!;
    expect(e.value).toBe(0.4);
    expect(e.inputs.map((i) => i.indicator)).toEqual(['outpatient_cost_growth']);
    expect(e.notes).toEqual([]);
  });

  it('names the published rate (and the level alternative) when neither is there', () => {
    const e = evaluate(single({ type: 'growth', indicator: 'outpatient_cost_per_visit' }, '<', 0, 'start'), [val('outpatient_cost_per_visit', 2024, 291)]).rules[0]!;
    expect(e.outcome).toBe('insufficient_data');
    expect(e.missing).toEqual([{ indicator: 'outpatient_cost_growth', period: '2024' }]);
    expect(e.sentenceZh).toBe('缺少2024年门诊次均费用增长率（或2023年、2024年门诊次均费用）数据，无法判断启动条件“被测规则”。');
    expect(e.inputs.map((i) => i.period)).toEqual(['2024']);
  });

  it('of a level without a published rate (fund spending) is always computed: 100 → 111 = 11.0%', () => {
    const rs = single({ type: 'growth', indicator: 'fund_expenditure' }, '>', 10);
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_expenditure', 2023, 100), val('fund_expenditure', 2024, 111)]);
    expect(ruleX(r).value).toBe(11);
    expect(ruleX(r).expressionText).toBe('2024年 医保基金支出增长率');
    expect(r.status).toBe('blocked');
    const gap = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_expenditure', 2024, 111)]);
    expect(gap.missing).toEqual([{ indicator: 'fund_expenditure', period: '2023' }]);
  });

  it('over several years compounds published rates, or compares levels n years apart', () => {
    const rates = [val('outpatient_cost_growth', 2023, 10), val('outpatient_cost_growth', 2024, 10)];
    const g = { type: 'growth', indicator: 'outpatient_cost_growth', years: 2 } as const;
    expect(evaluate(single(g, '>', 0, 'start'), rates).rules[0]!.value).toBe(21);
    const levels = [val('outpatient_cost_per_visit', 2022, 200), val('outpatient_cost_per_visit', 2024, 242)];
    const e = evaluate(single(g, '>', 0, 'start'), levels).rules[0]!;
    expect(e.value).toBe(21);
    expect(e.notes).toContain('未见公布的门诊次均费用增长率，增长率由2022年、2024年门诊次均费用计算');
  });
});

describe('release preference (快报 vs 公报)', () => {
  // National fund income 2022 (亿元): 快报 30,697.72, 公报 30,922.17.
  const values = [
    val('fund_income', 2022, 30697.72, { releaseType: 'express', source: '国家医保局', regionCode: '000000', isGenerated: false }),
    val('fund_income', 2022, 30922.17, { releaseType: 'final', source: '国家医保局', regionCode: '000000', isGenerated: false }),
  ];
  const rules: RuleSetInput['rules'] = [{ id: 'x', role: 'start', label: '基金收入为正', expression: { type: 'value', indicator: 'fund_income' }, comparison: '>', threshold: 0 }];

  it('uses 公报 (final) by default, and the evidence names it and the other release', () => {
    const r = evaluate(ruleSet(rules), values, { year: 2023, regionCode: '000000' });
    const e = ruleX(r);
    expect(e.value).toBe(30922.17);
    expect(e.inputs[0]).toMatchObject({ releaseType: 'final', source: '国家医保局', isGenerated: false, otherReleases: [{ releaseType: 'express', value: 30697.72, source: '国家医保局' }] });
    expect(e.sentenceZh).toBe('2022年医保基金收入为30922.17亿元，高于启动阈值0，满足启动条件（来源：国家医保局，公报）。');
    expect(e.notes).toEqual(['2022期医保基金收入有多个数据：采用公报30922.17亿元（另有快报30697.72亿元）']);
  });

  it('follows the rule set when it prefers 快报, whatever the input order', () => {
    const rs = ruleSet(rules, { releasePreference: ['express', 'final'] });
    for (const vs of [values, [...values].reverse()]) {
      const e = ruleX(evaluate(rs, vs, { year: 2023, regionCode: '000000' }));
      expect(e.value).toBe(30697.72);
      expect(e.sentenceZh).toContain('（来源：国家医保局，快报）');
    }
  });

  it('uses an unlisted release only after the listed ones', () => {
    const rs = ruleSet(rules, { releasePreference: ['yearbook'] });
    const e = ruleX(evaluate(rs, [...values, val('fund_income', 2022, 1, { releaseType: 'other', regionCode: '000000' })], { year: 2023, regionCode: '000000' }));
    expect(e.inputs[0]?.releaseType).toBe('express');
  });
});

describe('runs (连续n年)', () => {
  const rs = single({ type: 'run', of: { type: 'value', indicator: 'outpatient_cost_growth' }, comparison: '<', threshold: 0, years: 2 }, '=', 1, 'start');
  const growth = (a: number | null, b: number | null) =>
    [a === null ? null : val('outpatient_cost_growth', 2023, a), b === null ? null : val('outpatient_cost_growth', 2024, b)].filter((v): v is IndicatorValue => v !== null);

  it('holds when the value fell in each of 2 consecutive years', () => {
    const e = evaluate(rs, growth(-1.8, -0.9)).rules[0]!;
    expect(e.value).toBe(1);
    expect(e.outcome).toBe('met');
    expect(e.expressionText).toBe('2023—2024年 门诊次均费用增长率连续2年低于0');
  });

  it('does not hold when one year did not fall; a zero is not a fall', () => {
    expect(evaluate(rs, growth(-1.8, 0.3)).rules[0]!.outcome).toBe('not_met');
    expect(evaluate(rs, growth(0, -0.9)).rules[0]!.outcome).toBe('not_met');
  });

  it('is decided without a missing year when another year already broke the run', () => {
    const e = evaluate(rs, growth(null, 0.3)).rules[0]!;
    expect(e.outcome).toBe('not_met');
    expect(e.missing).toEqual([]);
    expect(e.sentenceZh).toBe('门诊次均费用增长率2023年无数据、2024年为0.3%，未连续2年低于0，不满足启动条件（来源：演示数据生成器，公报）。');
  });

  it('is insufficient data when the known years fell and one is missing', () => {
    const r = evaluate(rs, growth(null, -0.9));
    expect(r.rules[0]!.outcome).toBe('insufficient_data');
    expect(r.missing).toEqual([{ indicator: 'outpatient_cost_growth', period: '2023' }]);
    expect(r.status).toBe('insufficient_data');
  });

  it('ends at its offset: offset 2 in 2025 covers 2022–2023', () => {
    const rs2 = single({ type: 'run', of: { type: 'value', indicator: 'outpatient_cost_growth' }, comparison: '<', threshold: 0, years: 2, offset: 2 }, '=', 1, 'start');
    const e = evaluate(rs2, [val('outpatient_cost_growth', 2022, -1), val('outpatient_cost_growth', 2023, -2)]).rules[0]!;
    expect(e.outcome).toBe('met');
    expect(e.expressionText).toBe('2022—2023年 门诊次均费用增长率连续2年低于0');
  });
});

describe('periods', () => {
  const rs = single({ type: 'value', indicator: 'medical_total_cost_growth' }, '>', 10);

  it('reads last year by default, and the rule or the expression can shift it', () => {
    const values = [val('salary_policy_change', 2024, 1), val('medical_total_cost_growth', 2024, 11), val('medical_total_cost_growth', 2023, 6)];
    expect(ruleX(evaluate(rs, values)).inputs[0]?.period).toBe('2024');
    const shifted = ruleSet([START_FLAG, { id: 'x', role: 'constraint', label: '前年', expression: { type: 'value', indicator: 'medical_total_cost_growth' }, comparison: '>', threshold: 10, periodOffset: 2 }]);
    expect(ruleX(evaluate(shifted, values)).inputs[0]?.period).toBe('2023');
    const own = single({ type: 'value', indicator: 'medical_total_cost_growth', offset: 2 }, '>', 10);
    expect(ruleX(evaluate(own, values)).value).toBe(6);
  });

  it('does not use a monthly or quarterly value for a year by default, and says it exists', () => {
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('medical_total_cost_growth', '2024-10', 12), val('medical_total_cost_growth', '2024Q3', 12)]);
    expect(ruleX(r).outcome).toBe('insufficient_data');
    expect(ruleX(r).notes).toEqual(['2024年医药总费用增长率无年度数据；另有2024-10、2024Q3期的月度或季度数据，不作为年度值使用']);
    expect(r.status).toBe('insufficient_data');
  });

  it("with periodPolicy 'annualOrYearEnd' uses December (then Q4) when no annual value exists", () => {
    const ye = ruleSet([START_FLAG, { id: 'x', role: 'constraint', label: '费用', expression: { type: 'value', indicator: 'medical_total_cost_growth' }, comparison: '>', threshold: 10 }], {
      periodPolicy: 'annualOrYearEnd',
    });
    const r = evaluate(ye, [val('salary_policy_change', 2024, 1), val('medical_total_cost_growth', '2024-10', 9), val('medical_total_cost_growth', '2024-12', 12)]);
    expect(ruleX(r).value).toBe(12);
    expect(ruleX(r).inputs[0]?.period).toBe('2024-12');
    expect(ruleX(r).sentenceZh).toContain('2024年医药总费用增长率采用2024-12期数据');
    const annual = evaluate(ye, [val('salary_policy_change', 2024, 1), val('medical_total_cost_growth', 2024, 8), val('medical_total_cost_growth', '2024-12', 12)]);
    expect(ruleX(annual).value).toBe(8);
  });

  it('ignores values of other regions and values whose unit cannot be converted', () => {
    const r = evaluate(rs, [
      val('salary_policy_change', 2024, 1),
      val('medical_total_cost_growth', 2024, 11, { regionCode: '320500' }),
      val('medical_total_cost_growth', 2024, 11, { unit: '元' }),
    ]);
    expect(ruleX(r).outcome).toBe('insufficient_data');
    expect(ruleX(r).notes).toEqual(['2024年医药总费用增长率有1条数据的单位（元）无法换算为%，未采用']);
  });
});

describe('expressions', () => {
  it('share = numerator ÷ denominator × 100', () => {
    const rs = single({ type: 'share', numerator: 'fund_expenditure', denominator: 'fund_income' }, '>', 95);
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('fund_expenditure', 2024, 97), val('fund_income', 2024, 100)]);
    expect(ruleX(r).value).toBe(97);
    expect(ruleX(r).expressionText).toBe('2024年 医保基金支出占医保基金收入的比例');
    expect(ruleX(r).sentenceZh).toBe('2024年医保基金支出占医保基金收入的比例为97.0%，高于约束阈值95%，限制价格上调（来源：演示数据生成器，公报）。');
  });

  it('difference with a non-zero threshold speaks in percentage points', () => {
    const rs = single({ type: 'difference', left: { type: 'value', indicator: 'medical_revenue_growth' }, right: { type: 'value', indicator: 'gdp_growth' } }, '>', 2);
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1), val('medical_revenue_growth', 2024, 8.2), val('gdp_growth', 2024, 5.6)]);
    expect(ruleX(r).value).toBe(2.6);
    expect(ruleX(r).sentenceZh).toBe(
      '2024年医疗收入增长率 − 2024年GDP增长率为2.6个百分点，高于约束阈值2个百分点，限制价格上调（来源：演示数据生成器，公报）。',
    );
  });
});

describe('decision table', () => {
  // start A: flag salary_policy_change = 1; start B: medical_revenue_growth < 5; constraint C: medical_total_cost_growth > 10
  const rules = (startCombine: 'any' | 'all', extra: RuleSetInput['rules'] = []) =>
    ruleSet(
      [
        { id: 'A', role: 'start', label: 'A', expression: { type: 'flag', indicator: 'salary_policy_change' }, comparison: '=', threshold: 1 },
        { id: 'B', role: 'start', label: 'B', expression: { type: 'value', indicator: 'medical_revenue_growth' }, comparison: '<', threshold: 5 },
        { id: 'C', role: 'constraint', label: 'C', expression: { type: 'value', indicator: 'medical_total_cost_growth' }, comparison: '>', threshold: 10 },
        ...extra,
      ],
      { startCombine },
    );
  const data = (a: number | null, b: number | null, c: number | null) =>
    [
      a === null ? null : val('salary_policy_change', 2024, a),
      b === null ? null : val('medical_revenue_growth', 2024, b),
      c === null ? null : val('medical_total_cost_growth', 2024, c),
    ].filter((v): v is IndicatorValue => v !== null);

  it.each([
    // any
    ['any', 1, 9, 6, 'triggered', true],
    ['any', 1, null, 6, 'triggered', true],
    ['any', 0, 9, 6, 'not_started', false],
    ['any', 0, null, 6, 'insufficient_data', null],
    ['any', 1, 9, 11, 'blocked', true],
    ['any', 1, 9, null, 'insufficient_data', true],
    ['any', 0, 9, null, 'not_started', false],
    ['any', 0, 9, 11, 'blocked', false],
    ['any', 0, null, 11, 'blocked', null],
    ['any', null, null, null, 'insufficient_data', null],
    // all
    ['all', 1, 4, 6, 'triggered', true],
    ['all', 1, 9, 6, 'not_started', false],
    ['all', 0, null, 6, 'not_started', false],
    ['all', 1, null, 6, 'insufficient_data', null],
    ['all', 1, null, null, 'insufficient_data', null],
    ['all', 0, null, null, 'not_started', false],
    ['all', 1, 4, 11, 'blocked', true],
  ] as const)('%s: A=%s B=%s C=%s → %s (startMet %s)', (combine, a, b, c, status, startMet) => {
    const r = evaluate(rules(combine), data(a, b, c));
    expect(r.status).toBe(status);
    expect(r.startMet).toBe(startMet);
    expect(r.blockedBy).toEqual(status === 'blocked' ? ['C'] : []);
  });

  it('special: constraints never block and their gaps do not matter; start decides', () => {
    expect(evaluate(rules('any'), data(1, 9, 11), { kind: 'special' }).status).toBe('triggered');
    expect(evaluate(rules('any'), data(1, 9, null), { kind: 'special' }).status).toBe('triggered');
    expect(evaluate(rules('any'), data(0, 9, 11), { kind: 'special' }).status).toBe('not_started');
    expect(evaluate(rules('any'), data(0, null, 11), { kind: 'special' }).status).toBe('insufficient_data');
  });

  it('the summary of an open constraint names its gap', () => {
    const r = evaluate(rules('any'), data(1, 9, null));
    expect(r.summaryZh).toBe('2025年评估：启动条件已满足（“A”），但缺少2024年医药总费用增长率，无法判断约束条件“C”，暂不能确定是否触发调价。');
    expect(r.missing).toEqual([{ indicator: 'medical_total_cost_growth', period: '2024' }]);
  });

  it('reminders never change the status, met or missing', () => {
    const reminder = (threshold: number) =>
      [{ id: 'R', role: 'reminder', label: '提醒', expression: { type: 'value', indicator: 'cpi_growth' }, comparison: '>', threshold }] as RuleSetInput['rules'];
    for (const values of [data(1, 9, 6), data(0, 9, 6), data(1, 9, 11)]) {
      const base = evaluate(rules('any'), values).status;
      const met = evaluate(rules('any', reminder(0)), [...values, val('cpi_growth', 2024, 2)]);
      expect(met.rules.find((e) => e.ruleId === 'R')?.outcome).toBe('met');
      expect(met.rules.find((e) => e.ruleId === 'R')?.sentenceZh).toBe('2024年CPI涨幅为2.0%，高于提醒阈值0，触发提醒（来源：演示数据生成器，公报）。');
      expect(met.status).toBe(base);
      expect(evaluate(rules('any', reminder(0)), values).status).toBe(base);
    }
  });

  it('combineStart', () => {
    expect(combineStart(['met', 'insufficient_data'], 'any')).toBe('met');
    expect(combineStart(['not_met', 'insufficient_data'], 'any')).toBe('unknown');
    expect(combineStart(['not_met', 'not_met'], 'any')).toBe('not_met');
    expect(combineStart(['not_met', 'insufficient_data'], 'all')).toBe('not_met');
    expect(combineStart(['met', 'insufficient_data'], 'all')).toBe('unknown');
    expect(combineStart(['met', 'met'], 'all')).toBe('met');
  });
});

describe('context checks', () => {
  it('warns when the year is outside the validity period or the region is not covered, without changing the status', () => {
    const rs = ruleSet([START_FLAG], { regionCode: '430000', validFrom: '2021-06-01', validTo: '2023-12-31' });
    const r = evaluate(rs, [val('salary_policy_change', 2024, 1)]);
    expect(r.status).toBe('triggered');
    expect(r.warnings).toEqual(['规则集有效期为2021-06-01至2023-12-31，2025年不在有效期内', '规则集适用地区为430000，评估地区为511100']);
  });

  it('regionCovers and inEffect', () => {
    expect(regionCovers('000000', '511100')).toBe(true);
    expect(regionCovers('510000', '511100')).toBe(true);
    expect(regionCovers('511100', '511102')).toBe(true);
    expect(regionCovers('430000', '511100')).toBe(false);
    expect(regionCovers('511102', '511100')).toBe(false);
    expect(inEffect({ validFrom: '2021-06-01' }, 2021)).toBe(true);
    expect(inEffect({ validFrom: '2021-06-01' }, 2020)).toBe(false);
    expect(inEffect({ validFrom: '2021-06-01', validTo: '2023-01-01' }, 2023)).toBe(true);
    expect(inEffect({ validFrom: '2021-06-01', validTo: '2023-01-01' }, 2024)).toBe(false);
  });

  it('dataRequirements lists every indicator the 湖南 preset may read, fall-backs included', () => {
    expect(dataRequirements(HUNAN_2021, 2025)).toEqual({
      indicators: [
        'cost_growth_target',
        'cpi_growth',
        'cpi_target',
        'fund_accumulated_balance',
        'fund_current_balance',
        'fund_expenditure',
        'fund_reserve_months',
        'gdp_growth',
        'inpatient_cost_growth',
        'inpatient_cost_per_stay',
        'major_public_event',
        'medical_revenue_growth',
        'medical_total_cost_growth',
        'outpatient_cost_growth',
        'outpatient_cost_per_visit',
        'salary_policy_change',
      ],
      fromYear: 2022,
      toYear: 2024,
    });
  });

  it('does not change its input', () => {
    const values = cleanRegion();
    const before = structuredClone(values);
    evaluateRuleSet(HUNAN_2021, { regionCode: REGION, year: 2025, kind: 'regular', values });
    expect(values).toEqual(before);
  });

  it('evaluates an ad-hoc rule set given as JSON against values given in the request', () => {
    const json = JSON.parse(JSON.stringify({ ...HUNAN_2021, name: '自定义', regionCode: REGION, rules: HUNAN_2021.rules.map((r) => (r.id === 'hn-limit-total-cost' ? { ...r, threshold: 12 } : r)) }));
    const parsed = parseRuleSet(json);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const values = withValue(cleanRegion(), 'medical_total_cost_growth', 2024, 11);
    expect(evaluate(parsed.value, values).status).toBe('triggered');
    expect(evaluate(HUNAN_2021, values).status).toBe('blocked');
  });
});
