/**
 * Published trigger rule sets shipped as presets (DOMAIN.md §3). Region 000000 (全国) means "not tied to a region":
 * a user copies a preset into a rule set of their own region and adjusts thresholds there. Version 1 each.
 *
 * Growth of 门诊/住院次均费用 is written as `growth` of the level indicator: the published 门诊/住院次均费用增长率 is
 * read when present, else the rate is computed from the level series (and the evidence says which).
 */
import { formatIssues, parseRuleSet, type RuleSet, type RuleSetInput } from './schema';

const PRESET_REGION = '000000';

/**
 * 湖南 (2021). Start if ANY of: 门诊 or 住院次均费用 fell year-on-year for consecutive years (read as 2 years, the
 * shortest run that is "consecutive"); 医疗收入 growth below GDP growth; a salary or social-insurance policy change
 * with a large cost effect. Constraints (ANY blocks upward adjustment): last year's 医药总费用 growth > 10%;
 * 门诊 or 住院次均费用 growth above the control target; CPI growth above the control target; the fund ran a deficit
 * last year; 累计结余可支付月数 < 3; a major disaster or public-health event.
 * validFrom: only the year 2021 is known here, so the preset starts on 2021-01-01.
 */
export const HUNAN_2021_INPUT: RuleSetInput = {
  name: '湖南省医疗服务价格动态调整触发机制（2021年）',
  regionCode: PRESET_REGION,
  version: 1,
  validFrom: '2021-01-01',
  startCombine: 'any',
  rules: [
    {
      id: 'hn-start-outpatient-fall',
      role: 'start',
      label: '门诊次均费用连续2年同比下降',
      expression: { type: 'run', of: { type: 'growth', indicator: 'outpatient_cost_per_visit' }, comparison: '<', threshold: 0, years: 2 },
      comparison: '=',
      threshold: 1,
    },
    {
      id: 'hn-start-inpatient-fall',
      role: 'start',
      label: '住院次均费用连续2年同比下降',
      expression: { type: 'run', of: { type: 'growth', indicator: 'inpatient_cost_per_stay' }, comparison: '<', threshold: 0, years: 2 },
      comparison: '=',
      threshold: 1,
    },
    {
      id: 'hn-start-revenue-below-gdp',
      role: 'start',
      label: '医疗收入增长率低于GDP增长率',
      expression: {
        type: 'difference',
        left: { type: 'value', indicator: 'medical_revenue_growth' },
        right: { type: 'value', indicator: 'gdp_growth' },
      },
      comparison: '<',
      threshold: 0,
    },
    {
      id: 'hn-start-salary-policy',
      role: 'start',
      label: '薪酬或社保政策调整对医疗成本影响较大',
      expression: { type: 'flag', indicator: 'salary_policy_change' },
      comparison: '=',
      threshold: 1,
    },
    {
      id: 'hn-limit-total-cost',
      role: 'constraint',
      label: '上年医药总费用增长率超过10%',
      expression: { type: 'value', indicator: 'medical_total_cost_growth' },
      comparison: '>',
      threshold: 10,
    },
    {
      id: 'hn-limit-outpatient-target',
      role: 'constraint',
      label: '门诊次均费用增长率超过控制目标',
      expression: {
        type: 'difference',
        left: { type: 'growth', indicator: 'outpatient_cost_per_visit' },
        right: { type: 'value', indicator: 'cost_growth_target' },
      },
      comparison: '>',
      threshold: 0,
    },
    {
      id: 'hn-limit-inpatient-target',
      role: 'constraint',
      label: '住院次均费用增长率超过控制目标',
      expression: {
        type: 'difference',
        left: { type: 'growth', indicator: 'inpatient_cost_per_stay' },
        right: { type: 'value', indicator: 'cost_growth_target' },
      },
      comparison: '>',
      threshold: 0,
    },
    {
      id: 'hn-limit-cpi',
      role: 'constraint',
      label: 'CPI涨幅超过调控目标',
      expression: {
        type: 'difference',
        left: { type: 'value', indicator: 'cpi_growth' },
        right: { type: 'value', indicator: 'cpi_target' },
      },
      comparison: '>',
      threshold: 0,
    },
    {
      id: 'hn-limit-fund-deficit',
      role: 'constraint',
      label: '上年医保基金出现当期赤字',
      expression: { type: 'value', indicator: 'fund_current_balance' },
      comparison: '<',
      threshold: 0,
    },
    {
      id: 'hn-limit-reserve-months',
      role: 'constraint',
      label: '医保基金累计结余可支付月数不足3个月',
      expression: { type: 'reserveMonths' },
      comparison: '<',
      threshold: 3,
    },
    {
      id: 'hn-limit-public-event',
      role: 'constraint',
      label: '发生重大突发公共事件',
      expression: { type: 'flag', indicator: 'major_public_event' },
      comparison: '=',
      threshold: 1,
    },
  ],
};

/**
 * 浙江 (draft, 征求意见稿). Start if ANY of:
 * - last year's 集采 freed room (腾出空间): 集采节约金额 > 0. (NHSA later decoupled price rises from 集采 savings; the
 *   rule is kept as the draft wrote it.)
 * - the combined share of 药品、耗材、检查、化验 revenue fell: the sum of the four shares last year minus the same sum
 *   the year before < 0. The draft says "significantly" without a number; the preset uses 0 percentage points and a
 *   region sets its own margin (e.g. < −1) in its copy. A difference of the summed shares is used rather than the
 *   growth of each share: one comparison, in percentage points, and a fall in one share offset by a rise in another
 *   does not count as a fall.
 * - DRG charges systematically too high or too low because of service prices: there is no indicator for it in the
 *   catalogue, so the rule is left out (the bureau assesses it by hand).
 * Constraint: 门诊 or 住院次均费用 growth > 5% (one rule each; either blocks).
 * validFrom 2024-03-01: 浙江 became a pilot province in 2024-03 (NHSA 2025); the draft's own date is not known here.
 */
export const ZHEJIANG_DRAFT_INPUT: RuleSetInput = {
  name: '浙江省医疗服务价格动态调整触发条件（征求意见稿）',
  regionCode: PRESET_REGION,
  version: 1,
  validFrom: '2024-03-01',
  startCombine: 'any',
  rules: [
    {
      id: 'zj-start-procurement-room',
      role: 'start',
      label: '上年集中带量采购腾出费用空间',
      expression: { type: 'value', indicator: 'procurement_savings' },
      comparison: '>',
      threshold: 0,
    },
    {
      id: 'zj-start-structure-fall',
      role: 'start',
      label: '药品、耗材、检查、化验收入合计占比下降',
      expression: {
        type: 'difference',
        left: {
          type: 'sum',
          offset: 1,
          terms: [
            { type: 'value', indicator: 'drug_revenue_share' },
            { type: 'value', indicator: 'consumable_revenue_share' },
            { type: 'value', indicator: 'exam_revenue_share' },
            { type: 'value', indicator: 'lab_revenue_share' },
          ],
        },
        right: {
          type: 'sum',
          offset: 2,
          terms: [
            { type: 'value', indicator: 'drug_revenue_share' },
            { type: 'value', indicator: 'consumable_revenue_share' },
            { type: 'value', indicator: 'exam_revenue_share' },
            { type: 'value', indicator: 'lab_revenue_share' },
          ],
        },
      },
      comparison: '<',
      threshold: 0,
    },
    {
      id: 'zj-limit-outpatient',
      role: 'constraint',
      label: '门诊次均费用增长率超过5%',
      expression: { type: 'growth', indicator: 'outpatient_cost_per_visit' },
      comparison: '>',
      threshold: 5,
    },
    {
      id: 'zj-limit-inpatient',
      role: 'constraint',
      label: '住院次均费用增长率超过5%',
      expression: { type: 'growth', indicator: 'inpatient_cost_per_stay' },
      comparison: '>',
      threshold: 5,
    },
  ],
};

/**
 * 通用型 indexation of a pilot province: evaluated every 2 years; 通用型 prices (诊查, 护理, 床位 …) move when the
 * cumulative growth of 城镇单位就业人员平均工资 over the 2 years reaches the trigger and CPI stays under the ceiling.
 * The province does not publish its numbers; the preset uses trigger ≥ 10% and ceiling 3% (CPI growth > 3% blocks),
 * to be set per region. The 2-year growth compounds the published yearly wage growth rates.
 */
export const GENERAL_ITEM_INDEXATION_INPUT: RuleSetInput = {
  name: '通用型医疗服务价格指数化调整（试点省份）',
  regionCode: PRESET_REGION,
  version: 1,
  validFrom: '2024-03-01',
  startCombine: 'all',
  evaluationIntervalYears: 2,
  rules: [
    {
      id: 'gi-start-wage-growth',
      role: 'start',
      label: '城镇单位就业人员平均工资2年累计增长达到10%',
      expression: { type: 'growth', indicator: 'avg_wage_growth', years: 2 },
      comparison: '>=',
      threshold: 10,
    },
    {
      id: 'gi-limit-cpi',
      role: 'constraint',
      label: 'CPI涨幅超过3%',
      expression: { type: 'value', indicator: 'cpi_growth' },
      comparison: '>',
      threshold: 3,
    },
  ],
};

function preset(input: RuleSetInput): RuleSet {
  const r = parseRuleSet(input);
  if (!r.ok) throw new Error(`invalid preset ${input.name}: ${formatIssues(r.issues)}`);
  return deepFreeze(r.value);
}

/** Presets are shared by every caller: frozen, so an edit goes into a copy (structuredClone) of the user's own. */
function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

export const HUNAN_2021: RuleSet = preset(HUNAN_2021_INPUT);
export const ZHEJIANG_DRAFT: RuleSet = preset(ZHEJIANG_DRAFT_INPUT);
export const GENERAL_ITEM_INDEXATION: RuleSet = preset(GENERAL_ITEM_INDEXATION_INPUT);

/** The presets by a stable key, in display order. */
export const PRESETS: Readonly<Record<'hunan-2021' | 'zhejiang-draft' | 'general-item-indexation', RuleSet>> = {
  'hunan-2021': HUNAN_2021,
  'zhejiang-draft': ZHEJIANG_DRAFT,
  'general-item-indexation': GENERAL_ITEM_INDEXATION,
};
