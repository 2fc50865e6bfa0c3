import { describe, expect, it } from 'vitest';
import { annualPoints, buildIndicatorTrendOption, niceBound, type IndicatorTrendInput, type TrendPoint, type TrendRow } from './buildOption';
import { indicatorValueText, thresholdText } from './valueText';

const LABELS: IndicatorTrendInput['labels'] = {
  year: (y) => `${y}年`,
  release: { express: '快报', final: '公报', yearbook: '统计年鉴', estimate: '测算', other: '其他' },
  threshold: '阈值 10%',
  highlight: '2025年评估所用数据',
  noData: '无数据',
};

const row = (indicator: string, period: string, value: number, releaseType: TrendRow['releaseType'] = 'yearbook', unit = '%'): TrendRow => ({
  indicator,
  period,
  value,
  unit,
  releaseType,
  source: releaseType === 'yearbook' ? '演示数据生成器' : `来源（${releaseType}）`,
});

/** 乐山's 医药总费用增长率 of the demo dataset, plus a 公报 beside a 快报 and a monthly value. */
const ROWS: TrendRow[] = [
  row('medical_total_cost_growth', '2021', 12),
  row('medical_total_cost_growth', '2022', 5.6),
  row('medical_total_cost_growth', '2023', 9.4),
  row('medical_total_cost_growth', '2024', 11),
  row('medical_total_cost_growth', '2025', 6.2, 'express'),
  row('medical_total_cost_growth', '2025', 6.4, 'final'),
  row('medical_total_cost_growth', '2024-06', 99),
];

function input(over: Partial<IndicatorTrendInput> = {}): IndicatorTrendInput {
  return {
    series: [{ indicator: 'medical_total_cost_growth', name: '医药总费用增长率' }],
    rows: ROWS,
    fromYear: 2019,
    toYear: 2025,
    threshold: 10,
    highlightYear: 2024,
    labels: LABELS,
    format: (v, u) => indicatorValueText(v, u),
    ...over,
  };
}

type LineSeries = { id: string; name: string; data: TrendPoint[]; markLine?: { data: Record<string, unknown>[] } };

describe('annualPoints', () => {
  it('keeps annual periods only and the preferred release of a year (公报 before 快报 before 统计年鉴)', () => {
    const p = annualPoints(ROWS);
    expect(p.get('medical_total_cost_growth|2025')).toMatchObject({ value: 6.4, releaseType: 'final' });
    expect(p.get('medical_total_cost_growth|2024')).toMatchObject({ value: 11, releaseType: 'yearbook' });
    expect([...p.keys()].some((k) => k.includes('2024-06'))).toBe(false);
    expect(annualPoints(ROWS, ['express', 'final']).get('medical_total_cost_growth|2025')).toMatchObject({ value: 6.2 });
  });
});

describe('buildIndicatorTrendOption', () => {
  it('draws one point per year of the range, null where there is no value, with release and source', () => {
    const option = buildIndicatorTrendOption(input());
    expect((option.xAxis as { data: string[] }).data).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025']);
    const [s] = option.series as LineSeries[];
    expect(s!.id).toBe('medical_total_cost_growth');
    expect(s!.data.map((d) => d.value)).toEqual([null, null, 12, 5.6, 9.4, 11, 6.4]);
    expect(s!.data[5]).toEqual({ value: 11, unit: '%', releaseType: 'yearbook', source: '演示数据生成器' });
    expect((option.yAxis as { name: string }).name).toBe('%');
  });

  it('marks the threshold and the data year of the evaluation on the first series', () => {
    const option = buildIndicatorTrendOption(input());
    const [s] = option.series as LineSeries[];
    expect(s!.markLine!.data).toEqual([
      expect.objectContaining({ yAxis: 10, name: '阈值 10%' }),
      expect.objectContaining({ xAxis: '2024', name: '2025年评估所用数据' }),
    ]);
    const y = option.yAxis as { min: (e: { min: number }) => number; max: (e: { max: number }) => number };
    expect(y.min({ min: 12 })).toBeLessThan(10);
    expect(y.max({ max: 6 })).toBeGreaterThan(10);
    const none = buildIndicatorTrendOption(input({ threshold: null, highlightYear: 2030 }));
    expect((none.series as LineSeries[])[0]!.markLine).toBeUndefined();
  });

  it('draws several series (a difference rule: the rate and its target) and says which release each value is', () => {
    const rows = [...ROWS, row('cost_growth_target', '2024', 5.5), row('cost_growth_target', '2023', 5.5)];
    const option = buildIndicatorTrendOption(
      input({ rows, threshold: null, series: [{ indicator: 'medical_total_cost_growth', name: '医药总费用增长率' }, { indicator: 'cost_growth_target', name: '次均费用增长控制目标' }] }),
    );
    const series = option.series as LineSeries[];
    expect(series.map((s) => s.id)).toEqual(['medical_total_cost_growth', 'cost_growth_target']);
    expect(series[1]!.data.map((d) => d.value)).toEqual([null, null, null, null, 5.5, 5.5, null]);
    const formatter = (option.tooltip as { formatter: (ps: unknown[]) => string }).formatter;
    const html = formatter(series.map((s, i) => ({ dataIndex: 5, seriesIndex: i, seriesName: s.name, color: '#000', data: s.data[5] })));
    expect(html).toContain('2024年');
    expect(html).toContain('医药总费用增长率：11.0%（统计年鉴）');
    expect(html).toContain('次均费用增长控制目标：5.5%（统计年鉴）');
    const empty = formatter([{ dataIndex: 0, seriesIndex: 0, seriesName: '医药总费用增长率', color: '#000', data: series[0]!.data[0] }]);
    expect(empty).toContain('医药总费用增长率：无数据');
  });

  it('leaves the axis without a unit when the series have different units', () => {
    const rows = [row('fund_reserve_months', '2024', 12.97, 'final', '月'), row('fund_expenditure', '2024', 123.24, 'final', '亿元')];
    const option = buildIndicatorTrendOption(
      input({ rows, threshold: null, series: [{ indicator: 'fund_reserve_months', name: '累计结余可支付月数' }, { indicator: 'fund_expenditure', name: '医保基金支出' }] }),
    );
    expect((option.yAxis as { name: string }).name).toBe('');
  });
});

describe('niceBound, indicatorValueText and thresholdText', () => {
  it('rounds axis bounds outwards', () => {
    expect(niceBound(12, 'up')).toBe(13);
    expect(niceBound(5.6, 'down')).toBe(4);
    expect(niceBound(0.3, 'up')).toBe(0.4);
  });

  it('writes values as the evidence does in Chinese and spells units out in English', () => {
    expect(indicatorValueText(11, '%')).toBe('11.0%');
    expect(indicatorValueText(12.9678, '月')).toBe('13.0个月');
    expect(indicatorValueText(12.9678, '月', 'en')).toBe('13.0 months');
    expect(indicatorValueText(-1.4, 'pp', 'en')).toBe('-1.4 pp');
    expect(indicatorValueText(133.18, '亿元', 'en')).toBe(indicatorValueText(133.18, '亿元'));
    expect(thresholdText(10, '%')).toBe('10%');
    expect(thresholdText(3, '月')).toBe('3个月');
    expect(thresholdText(3, '月', 'en')).toBe('3 months');
    expect(thresholdText(0, 'pp', 'en')).toBe('0');
    expect(thresholdText(1, '是/否', 'en')).toBe('yes');
  });
});
