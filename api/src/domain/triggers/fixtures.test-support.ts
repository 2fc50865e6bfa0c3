/** Hand-built indicator values for the trigger tests (not shipped: imported by *.test.ts only). */
import { indicatorUnit } from './catalogue';
import type { IndicatorValue, ReleaseType } from './schema';

export const REGION = '511100';
export const SOURCE = '演示数据生成器';

export function val(
  indicator: string,
  period: string | number,
  value: number,
  opts: { releaseType?: ReleaseType; source?: string; unit?: string; regionCode?: string; isGenerated?: boolean } = {},
): IndicatorValue {
  return {
    regionCode: opts.regionCode ?? REGION,
    indicator,
    period: String(period),
    value,
    unit: opts.unit ?? indicatorUnit(indicator),
    source: opts.source ?? SOURCE,
    releaseType: opts.releaseType ?? 'final',
    isGenerated: opts.isGenerated ?? true,
  };
}

/**
 * A region evaluated in 2025 (data of 2024, runs back to 2023) that meets the 湖南 start rules and none of its
 * constraints:
 * - start: 门诊次均费用增长率 2023 −1.8%, 2024 −0.9% (fell 2 years running); 医疗收入 4.1% < GDP 5.8%;
 *   住院次均费用 rose (1.0%, 0.8%); no salary policy change.
 * - constraints: 医药总费用 +6.8% ≤ 10%; 次均费用 growth −0.9% / 0.8% ≤ target 5.0%; CPI 0.4% ≤ 3%;
 *   current balance +12.50亿元; reserve months 150 ÷ (400 ÷ 12) = 4.5 ≥ 3; no major event.
 */
export function cleanRegion(): IndicatorValue[] {
  return [
    val('outpatient_cost_growth', 2023, -1.8),
    val('outpatient_cost_growth', 2024, -0.9),
    val('inpatient_cost_growth', 2023, 1.0),
    val('inpatient_cost_growth', 2024, 0.8),
    val('medical_revenue_growth', 2024, 4.1),
    val('gdp_growth', 2024, 5.8),
    val('salary_policy_change', 2024, 0),
    val('medical_total_cost_growth', 2024, 6.8),
    val('cost_growth_target', 2024, 5.0),
    val('cpi_growth', 2024, 0.4),
    val('cpi_target', 2024, 3),
    val('fund_current_balance', 2024, 12.5),
    val('fund_accumulated_balance', 2024, 150),
    val('fund_expenditure', 2024, 400),
    val('major_public_event', 2024, 0),
  ];
}

/** Replaces (or removes, with value null) the values of one indicator and period. */
export function withValue(values: IndicatorValue[], indicator: string, period: number | string, value: number | null): IndicatorValue[] {
  const rest = values.filter((v) => !(v.indicator === indicator && v.period === String(period)));
  return value === null ? rest : [...rest, val(indicator, period, value)];
}
