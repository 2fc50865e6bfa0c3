/**
 * Which indicator series show a rule's evidence over the years, and whether the rule's threshold can be drawn on them:
 * a rule comparing one series (a value, a one-year growth rate as published, 累计结余可支付月数, a flag, the years of a
 * 连续n年 run) gets its threshold line; a difference or a sum is drawn as its parts without one.
 * (Domain imported by relative path: the unit tests run without the web app's alias.)
 */
import { growthSource } from '../../../../api/src/domain/triggers/catalogue';
import type { Expression, Rule } from '../../../../api/src/domain/triggers/schema';

export interface TrendSpec {
  indicators: string[];
  threshold: number | null;
}

/** The stored series an expression is read from (reserve months: the series the regions endpoint derives). */
export function seriesOf(e: Expression): string[] {
  switch (e.type) {
    case 'value':
    case 'flag':
      return [e.indicator];
    case 'growth': {
      const s = growthSource(e.indicator);
      return [s?.published ?? s?.level ?? e.indicator];
    }
    case 'reserveMonths':
      return ['fund_reserve_months'];
    case 'share':
      return [e.numerator, e.denominator];
    case 'sum':
      return unique(e.terms.flatMap(seriesOf));
    case 'difference':
      return unique([...seriesOf(e.left), ...seriesOf(e.right)]);
    case 'run':
      return seriesOf(e.of);
  }
}

/** True when the expression's value is the value of its one series in a year (so a threshold applies to the line). */
function isSingleSeries(e: Expression): boolean {
  switch (e.type) {
    case 'value':
    case 'flag':
    case 'reserveMonths':
      return true;
    case 'growth':
      return (e.years ?? 1) === 1 && Boolean(growthSource(e.indicator)?.published);
    default:
      return false;
  }
}

export function trendSpecOf(rule: Pick<Rule, 'expression' | 'threshold'>): TrendSpec {
  const e = rule.expression;
  if (e.type === 'run') return { indicators: seriesOf(e.of), threshold: isSingleSeries(e.of) ? e.threshold : null };
  return { indicators: seriesOf(e), threshold: isSingleSeries(e) ? rule.threshold : null };
}

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}
