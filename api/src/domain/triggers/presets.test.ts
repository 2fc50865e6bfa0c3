import { describe, expect, it } from 'vitest';
import { evaluateRuleSet, type TriggerResult } from './evaluate';
import { cleanRegion, REGION, val, withValue } from './fixtures.test-support';
import { GENERAL_ITEM_INDEXATION, HUNAN_2021, PRESETS, ZHEJIANG_DRAFT } from './presets';
import { type IndicatorValue, parseRuleSet, type RuleSet } from './schema';

function run(ruleSet: RuleSet, values: IndicatorValue[], extra: { kind?: 'regular' | 'special'; year?: number; lastEvaluationYear?: number } = {}): TriggerResult {
  return evaluateRuleSet(ruleSet, { regionCode: REGION, year: extra.year ?? 2025, kind: extra.kind ?? 'regular', values, lastEvaluationYear: extra.lastEvaluationYear });
}

const rule = (r: TriggerResult, id: string) => {
  const e = r.rules.find((x) => x.ruleId === id);
  if (!e) throw new Error(`no rule ${id}`);
  return e;
};

describe('presets', () => {
  it('are valid rule sets of region 000000, version 1, named after their origin', () => {
    for (const p of Object.values(PRESETS)) {
      expect(parseRuleSet(p).ok).toBe(true);
      expect(p.regionCode).toBe('000000');
      expect(p.version).toBe(1);
      expect(p.rules.every((r) => r.id)).toBe(true);
    }
    expect(HUNAN_2021.name).toContain('湖南');
    expect(ZHEJIANG_DRAFT.name).toContain('浙江');
    expect(ZHEJIANG_DRAFT.name).toContain('征求意见稿');
    expect(GENERAL_ITEM_INDEXATION.name).toContain('通用型');
  });

  it('are frozen, so no caller can change them for the others', () => {
    expect(Object.isFrozen(HUNAN_2021)).toBe(true);
    expect(Object.isFrozen(HUNAN_2021.rules[0]?.expression)).toBe(true);
    const copy = structuredClone(HUNAN_2021);
    copy.rules[4]!.threshold = 12;
    expect(HUNAN_2021.rules[4]?.threshold).toBe(10);
  });

  it('湖南 2021 has 4 start rules (ANY) and 7 constraints', () => {
    expect(HUNAN_2021.startCombine).toBe('any');
    expect(HUNAN_2021.rules.filter((r) => r.role === 'start')).toHaveLength(4);
    expect(HUNAN_2021.rules.filter((r) => r.role === 'constraint')).toHaveLength(7);
  });
});

describe('湖南 2021 preset', () => {
  it('BLOCKS a region whose 医药总费用 grew 11% and names that rule (acceptance test)', () => {
    const r = run(HUNAN_2021, withValue(cleanRegion(), 'medical_total_cost_growth', 2024, 11.0));
    expect(r.status).toBe('blocked');
    expect(r.startMet).toBe(true);
    expect(r.blockedBy).toEqual(['hn-limit-total-cost']);
    const e = rule(r, 'hn-limit-total-cost');
    expect(e.outcome).toBe('met');
    expect(e.value).toBe(11);
    expect(e.threshold).toBe(10);
    expect(e.expressionText).toBe('2024年 医药总费用增长率');
    expect(e.inputs).toEqual([
      {
        indicator: 'medical_total_cost_growth',
        nameZh: '医药总费用增长率',
        period: '2024',
        value: 11,
        unit: '%',
        source: '演示数据生成器',
        releaseType: 'final',
        isGenerated: true,
        otherReleases: [],
      },
    ]);
    expect(e.sentenceZh).toBe('2024年医药总费用增长率为11.0%，高于约束阈值10%，限制价格上调（来源：演示数据生成器，公报）。');
    expect(r.summaryZh).toContain('“上年医药总费用增长率超过10%”');
    expect(r.summaryZh).toBe(
      '2025年评估：启动条件已满足（“门诊次均费用连续2年同比下降”、“医疗收入增长率低于GDP增长率”），但约束条件“上年医药总费用增长率超过10%”已满足，本年度不得上调医疗服务价格（约束条件只限制上调）。',
    );
  });

  it('10.0% is not above 10%: not blocked', () => {
    const r = run(HUNAN_2021, withValue(cleanRegion(), 'medical_total_cost_growth', 2024, 10.0));
    expect(rule(r, 'hn-limit-total-cost').outcome).toBe('not_met');
    expect(r.status).toBe('triggered');
  });

  it('triggers a clean region, with the start rules that held', () => {
    const r = run(HUNAN_2021, cleanRegion());
    expect(r.status).toBe('triggered');
    expect(r.startMet).toBe(true);
    expect(r.blockedBy).toEqual([]);
    expect(r.missing).toEqual([]);
    expect(r.rules.map((e) => [e.ruleId, e.outcome])).toEqual([
      ['hn-start-outpatient-fall', 'met'],
      ['hn-start-inpatient-fall', 'not_met'],
      ['hn-start-revenue-below-gdp', 'met'],
      ['hn-start-salary-policy', 'not_met'],
      ['hn-limit-total-cost', 'not_met'],
      ['hn-limit-outpatient-target', 'not_met'],
      ['hn-limit-inpatient-target', 'not_met'],
      ['hn-limit-cpi', 'not_met'],
      ['hn-limit-fund-deficit', 'not_met'],
      ['hn-limit-reserve-months', 'not_met'],
      ['hn-limit-public-event', 'not_met'],
    ]);
    // 4.1 − 5.8 = −1.7 percentage points
    const rev = rule(r, 'hn-start-revenue-below-gdp');
    expect(rev.value).toBe(-1.7);
    expect(rev.unit).toBe('pp');
    expect(rev.expressionText).toBe('2024年 医疗收入增长率 − 2024年 GDP增长率');
    expect(rev.sentenceZh).toBe('2024年医疗收入增长率（4.1%）低于2024年GDP增长率（5.8%），满足启动条件（来源：演示数据生成器，公报）。');
    // 150 ÷ (400 ÷ 12) = 4.5 months
    expect(rule(r, 'hn-limit-reserve-months').value).toBe(4.5);
    expect(r.summaryZh).toBe(
      '2025年评估：启动条件已满足（“门诊次均费用连续2年同比下降”、“医疗收入增长率低于GDP增长率”），约束条件均未满足，触发调价。',
    );
    expect(r.warnings).toEqual([]);
  });

  it('is insufficient_data when GDP growth is missing and no other start rule holds, naming gdp_growth and 2024', () => {
    let values = withValue(cleanRegion(), 'gdp_growth', 2024, null);
    values = withValue(values, 'outpatient_cost_growth', 2024, 0.5); // no longer two falls
    const r = run(HUNAN_2021, values);
    expect(r.status).toBe('insufficient_data');
    expect(r.startMet).toBeNull();
    expect(r.missing).toEqual([{ indicator: 'gdp_growth', period: '2024' }]);
    const e = rule(r, 'hn-start-revenue-below-gdp');
    expect(e.outcome).toBe('insufficient_data');
    expect(e.value).toBeNull();
    expect(e.missing).toEqual([{ indicator: 'gdp_growth', period: '2024' }]);
    expect(e.sentenceZh).toBe('缺少2024年GDP增长率数据，无法判断启动条件“医疗收入增长率低于GDP增长率”。');
    expect(r.summaryZh).toContain('缺少2024年GDP增长率');
    // the value that was there is still shown
    expect(e.inputs.map((i) => i.indicator)).toEqual(['medical_revenue_growth']);
  });

  it("'any': one start rule met is enough although another lacks data → triggered", () => {
    const r = run(HUNAN_2021, withValue(cleanRegion(), 'gdp_growth', 2024, null));
    expect(rule(r, 'hn-start-outpatient-fall').outcome).toBe('met');
    expect(rule(r, 'hn-start-revenue-below-gdp').outcome).toBe('insufficient_data');
    expect(r.status).toBe('triggered');
    expect(r.startMet).toBe(true);
    // the gap is still listed
    expect(r.missing).toEqual([{ indicator: 'gdp_growth', period: '2024' }]);
  });

  it('a special adjustment (专项调整) is not blocked by a met constraint, and the sentence says so', () => {
    const r = run(HUNAN_2021, withValue(cleanRegion(), 'medical_total_cost_growth', 2024, 11.0), { kind: 'special' });
    expect(r.status).toBe('triggered');
    expect(r.blockedBy).toEqual([]);
    expect(r.constraintsMet).toEqual(['hn-limit-total-cost']);
    const e = rule(r, 'hn-limit-total-cost');
    expect(e.outcome).toBe('met');
    expect(e.sentenceZh).toBe(
      '2024年医药总费用增长率为11.0%，高于约束阈值10%，但本次为专项调整，不受该约束条件限制（来源：演示数据生成器，公报）。',
    );
    expect(r.summaryZh).toContain('专项调整不受约束条件限制');
  });

  it('a special adjustment ignores missing constraint data', () => {
    const r = run(HUNAN_2021, withValue(cleanRegion(), 'cpi_growth', 2024, null), { kind: 'special' });
    expect(rule(r, 'hn-limit-cpi').outcome).toBe('insufficient_data');
    expect(r.status).toBe('triggered');
    expect(run(HUNAN_2021, withValue(cleanRegion(), 'cpi_growth', 2024, null)).status).toBe('insufficient_data');
  });

  it('blocks on a fund deficit, on reserves below 3 months and on a major public event', () => {
    expect(run(HUNAN_2021, withValue(cleanRegion(), 'fund_current_balance', 2024, -3.2)).blockedBy).toEqual(['hn-limit-fund-deficit']);
    // 99.99 ÷ (400 ÷ 12) = 2.9997 months < 3
    expect(run(HUNAN_2021, withValue(cleanRegion(), 'fund_accumulated_balance', 2024, 99.99)).blockedBy).toEqual(['hn-limit-reserve-months']);
    const ev = run(HUNAN_2021, withValue(cleanRegion(), 'major_public_event', 2024, 1));
    expect(ev.blockedBy).toEqual(['hn-limit-public-event']);
    expect(rule(ev, 'hn-limit-public-event').sentenceZh).toBe('2024年重大突发公共事件为“是”，限制价格上调（来源：演示数据生成器，公报）。');
  });

  it('blocks when 次均费用 growth is above its target and when CPI is above its target', () => {
    // outpatient 2024: 5.6 − 5.0 = 0.6 pp > 0 (and the run of falls breaks, but 医疗收入 < GDP still starts)
    const op = run(HUNAN_2021, withValue(cleanRegion(), 'outpatient_cost_growth', 2024, 5.6));
    expect(op.status).toBe('blocked');
    expect(op.blockedBy).toEqual(['hn-limit-outpatient-target']);
    expect(rule(op, 'hn-limit-outpatient-target').value).toBe(0.6);
    expect(rule(op, 'hn-limit-outpatient-target').sentenceZh).toBe(
      '2024年门诊次均费用增长率（5.6%）高于2024年次均费用增长控制目标（5.0%），限制价格上调（来源：演示数据生成器，公报）。',
    );
    const cpi = run(HUNAN_2021, withValue(cleanRegion(), 'cpi_growth', 2024, 3.1));
    expect(cpi.blockedBy).toEqual(['hn-limit-cpi']);
  });

  it('starts on a salary policy change alone', () => {
    let values = withValue(cleanRegion(), 'outpatient_cost_growth', 2024, 0.5);
    values = withValue(values, 'medical_revenue_growth', 2024, 7.4);
    expect(run(HUNAN_2021, values).status).toBe('not_started');
    const r = run(HUNAN_2021, withValue(values, 'salary_policy_change', 2024, 1));
    expect(r.status).toBe('triggered');
    expect(rule(r, 'hn-start-salary-policy').sentenceZh).toBe('2024年薪酬社保政策调整为“是”，满足启动条件（来源：演示数据生成器，公报）。');
  });

  it('is not_started when no start rule holds (唐山-like: revenue grows faster than GDP, costs per case rising)', () => {
    let values = withValue(cleanRegion(), 'outpatient_cost_growth', 2023, 2.6);
    values = withValue(values, 'outpatient_cost_growth', 2024, 2.3);
    values = withValue(values, 'medical_revenue_growth', 2024, 7.4);
    values = withValue(values, 'gdp_growth', 2024, 5.5);
    const r = run(HUNAN_2021, values);
    expect(r.status).toBe('not_started');
    expect(r.startMet).toBe(false);
    expect(r.summaryZh).toBe('2025年评估：各项启动条件均未满足，不启动调价。');
    expect(rule(r, 'hn-start-outpatient-fall').sentenceZh).toBe(
      '门诊次均费用增长率2023年为2.6%、2024年为2.3%，未连续2年低于0，不满足启动条件（来源：演示数据生成器，公报）。',
    );
  });
});

describe('浙江 draft preset', () => {
  function zhejiang(): IndicatorValue[] {
    return [
      val('procurement_savings', 2024, 0),
      // 2024: 27.1 + 11.9 + 10.6 + 9.2 = 58.8; 2023: 28.0 + 12.3 + 10.8 + 9.4 = 60.5 → −1.7 pp
      val('drug_revenue_share', 2024, 27.1),
      val('consumable_revenue_share', 2024, 11.9),
      val('exam_revenue_share', 2024, 10.6),
      val('lab_revenue_share', 2024, 9.2),
      val('drug_revenue_share', 2023, 28.0),
      val('consumable_revenue_share', 2023, 12.3),
      val('exam_revenue_share', 2023, 10.8),
      val('lab_revenue_share', 2023, 9.4),
      val('outpatient_cost_growth', 2024, 4.9),
      val('inpatient_cost_growth', 2024, 5.0),
    ];
  }

  it('starts when the combined drug/consumable/exam/lab share fell, and 5.0% growth does not block', () => {
    const r = run(ZHEJIANG_DRAFT, zhejiang());
    expect(r.status).toBe('triggered');
    const e = rule(r, 'zj-start-structure-fall');
    expect(e.value).toBe(-1.7);
    expect(e.inputs).toHaveLength(8);
    expect(e.expressionText).toBe(
      '2024年 药品收入占比、耗材收入占比、检查收入占比、化验收入占比合计 − 2023年 药品收入占比、耗材收入占比、检查收入占比、化验收入占比合计',
    );
    expect(e.sentenceZh).toContain('（58.8%）低于2023年');
    expect(e.sentenceZh).toContain('（60.5%）');
    expect(rule(r, 'zj-start-procurement-room').outcome).toBe('not_met');
  });

  it('blocks when 住院次均费用 grows more than 5%', () => {
    const r = run(ZHEJIANG_DRAFT, withValue(zhejiang(), 'inpatient_cost_growth', 2024, 5.1));
    expect(r.status).toBe('blocked');
    expect(r.blockedBy).toEqual(['zj-limit-inpatient']);
  });

  it('starts on procurement savings alone', () => {
    let values = withValue(zhejiang(), 'procurement_savings', 2024, 8.35);
    values = withValue(values, 'drug_revenue_share', 2024, 30);
    const r = run(ZHEJIANG_DRAFT, values);
    expect(rule(r, 'zj-start-structure-fall').outcome).toBe('not_met');
    expect(r.status).toBe('triggered');
    expect(rule(r, 'zj-start-procurement-room').sentenceZh).toBe('2024年集采节约金额为8.35亿元，高于启动阈值0，满足启动条件（来源：演示数据生成器，公报）。');
  });
});

describe('通用型 indexation preset', () => {
  // (1 + 5.0%) × (1 + 4.8%) − 1 = 10.04% ≥ 10%
  const wages = [val('avg_wage_growth', 2023, 5.0), val('avg_wage_growth', 2024, 4.8), val('cpi_growth', 2024, 0.3)];

  it('starts when the 2-year cumulative wage growth reaches 10%', () => {
    const r = run(GENERAL_ITEM_INDEXATION, wages, { lastEvaluationYear: 2023 });
    expect(r.status).toBe('triggered');
    const e = rule(r, 'gi-start-wage-growth');
    expect(e.value).toBe(10.04);
    expect(e.expressionText).toBe('2023—2024年 城镇单位就业人员平均工资增长率（2年累计）');
    expect(e.sentenceZh).toBe(
      '2023—2024年城镇单位就业人员平均工资增长率（2年累计）为10.0%，不低于启动阈值10%，满足启动条件（来源：演示数据生成器，公报；按2023—2024年各年城镇单位就业人员平均工资增长率复合计算）。',
    );
    expect(r.warnings).toEqual([]);
  });

  it('does not start below the trigger: 5.0% and 4.7% compound to 9.935%', () => {
    const r = run(GENERAL_ITEM_INDEXATION, withValue(wages, 'avg_wage_growth', 2024, 4.7), { lastEvaluationYear: 2023 });
    expect(rule(r, 'gi-start-wage-growth').value).toBe(9.935);
    expect(r.status).toBe('not_started');
  });

  it('is blocked when CPI is above the 3% ceiling', () => {
    const r = run(GENERAL_ITEM_INDEXATION, withValue(wages, 'cpi_growth', 2024, 3.2), { lastEvaluationYear: 2023 });
    expect(r.status).toBe('blocked');
    expect(r.blockedBy).toEqual(['gi-limit-cpi']);
  });

  it('is evaluated every 2 years: one year after the last evaluation it is not due', () => {
    const r = run(GENERAL_ITEM_INDEXATION, wages, { lastEvaluationYear: 2024 });
    expect(r.due).toBe(false);
    expect(r.status).toBe('not_started');
    expect(r.startMet).toBe(true);
    expect(r.summaryZh).toContain('2025年不是评估年度（下次为2026年）');
    const unchecked = run(GENERAL_ITEM_INDEXATION, wages);
    expect(unchecked.status).toBe('triggered');
    expect(unchecked.warnings).toEqual(['该规则集每2年评估一次；未提供上次评估年度，未核对评估周期']);
  });
});
