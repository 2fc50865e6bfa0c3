import { describe, expect, it } from 'vitest';
import { buildIndicatorsOption, buildNetByCategoryOption, buildTotalsOption, categoriesOf, indicatorNumber, inUnit, moneyUnitOf, niceCeil, REGION_COLORS, tableMoneyUnit, type CompareRegionRow } from './buildOption';

const columns = [
  { code: 'medical_total_cost_growth', name: '医药总费用增长率', unit: '%' },
  { code: 'fund_reserve_months', name: '累计结余可支付月数', unit: '月' },
];
const labels = { total: '调价总量', net: '净调价', up: '增', down: '减' };

const tangshan: CompareRegionRow = {
  code: '130200',
  name: '唐山市',
  values: [8.2, 12.97],
  totalFen: 130_000_000_00, // 1.30亿元
  totalReason: null,
  byCategory: [
    { key: 'general', labelZh: '综合医疗服务类', netFen: 2_500_000_00 },
    { key: 'imaging', labelZh: '医学影像', netFen: -1_234_567_89 },
  ],
  impactReason: null,
};
const suzhou: CompareRegionRow = {
  code: '320500',
  name: '苏州市',
  values: [9.5, null],
  totalFen: 95_000_000_00, // 0.95亿元
  totalReason: null,
  byCategory: [
    { key: 'imaging', labelZh: '医学影像', netFen: 50_000_00 },
    { key: 'surgery', labelZh: '手术治疗', netFen: 3_000_000_00 },
  ],
  impactReason: null,
};
const zhejiang: CompareRegionRow = { code: '330000', name: '浙江省', values: [null, 10], totalFen: null, totalReason: '无轮次', byCategory: null, impactReason: '无轮次' };

describe('区域对比 option builders', () => {
  it('indicators: one group per indicator with its unit, one series per region in the order given, null where not loaded', () => {
    const o = buildIndicatorsOption(columns, [tangshan, suzhou, zhejiang]);
    expect(o.xAxis.data).toEqual(['医药总费用增长率\n（%）', '累计结余可支付月数\n（月）']);
    expect(o.series.map((s) => [s.name, s.data, s.itemStyle.color])).toEqual([
      ['唐山市', [8.2, 12.97], REGION_COLORS[0]],
      ['苏州市', [9.5, null], REGION_COLORS[1]],
      ['浙江省', [null, 10], REGION_COLORS[2]],
    ]);
    // labels at the table's precision: a rate 1 decimal (8.2 → "8.2"), months 1 decimal (12.97 → "13.0")
    expect(o.series[0]!.data.map((v, k) => o.series[0]!.label.formatter({ value: v, dataIndex: k }))).toEqual(['8.2', '13.0']);
    expect(o.series[1]!.label.formatter({ value: null, dataIndex: 1 })).toBe('');
    expect(o.tooltip.valueFormatter(10, 1)).toBe('10.0');
    expect(o.tooltip.valueFormatter(null, 0)).toBe('—');
    // more than four regions: no bar labels (they would overlap)
    expect(buildIndicatorsOption(columns, [tangshan, suzhou, zhejiang, tangshan, suzhou]).series[0]!.label.show).toBe(false);
  });

  it('totals: in the unit of the largest amount, labelled exactly, a region without a round with its reason and no bar', () => {
    const o = buildTotalsOption([tangshan, suzhou, zhejiang], labels);
    expect(o.yAxis.name).toBe('调价总量（亿元）');
    expect(o.xAxis.data).toEqual(['唐山市', '苏州市', '浙江省\n（无轮次）']);
    expect(o.series[0]!.data.map((d) => d.value)).toEqual([1.3, 0.95, null]);
    expect(o.series[0]!.data.map((d) => d.itemStyle.color)).toEqual([REGION_COLORS[0], REGION_COLORS[1], REGION_COLORS[2]]);
    const label = o.series[0]!.label.formatter;
    expect(o.series[0]!.data.map((d) => label({ data: d }))).toEqual(['1.30亿元', '0.95亿元', '']);
    // small totals read in 万元
    expect(buildTotalsOption([{ ...suzhou, totalFen: 123_456_00 }, zhejiang], labels).yAxis.name).toBe('调价总量（万元）');
  });

  it('net by category: the categories first seen first, 0 where a region changed none, no bars and the reason for a region without an impact', () => {
    expect(categoriesOf([tangshan, suzhou, zhejiang]).map((c) => c.key)).toEqual(['general', 'imaging', 'surgery']);
    const o = buildNetByCategoryOption([tangshan, suzhou, zhejiang], labels);
    expect(o.yAxis.data).toEqual(['综合医疗服务类', '医学影像', '手术治疗']);
    expect(o.yAxis.inverse).toBe(true);
    expect(o.xAxis.name).toBe('净调价（万元）');
    expect(o.series.map((s) => [s.name, s.data])).toEqual([
      ['唐山市', [250, -123.46, 0]],
      ['苏州市', [0, 5, 300]],
      ['浙江省（无轮次）', [null, null, null]],
    ]);
    // symmetric about 0 around the largest |net| (300万元 → ±300); the 增 half red, the 减 half blue, on the first series only
    expect([o.xAxis.min, o.xAxis.max]).toEqual([-300, 300]);
    const areas = (o.series[0] as { markArea?: { data: { name?: string; xAxis: number; itemStyle?: { color: string } }[][] } }).markArea!.data;
    expect(areas.map((a) => [a[0]!.name, a[0]!.itemStyle!.color, a[0]!.xAxis, a[1]!.xAxis])).toEqual([['增 →', '#c0392b', 0, 300], ['← 减', '#2e86c1', -300, 0]]);
    expect((o.series[1] as { markArea?: unknown }).markArea).toBeUndefined();
  });

  it('picks 元/万元/亿元 by the largest magnitude, negative amounts included', () => {
    expect(moneyUnitOf([null, 99_99])).toBe('元');
    expect(moneyUnitOf([-1_000_000, 5])).toBe('万元');
    expect(moneyUnitOf([-10_000_000_000])).toBe('亿元');
    expect(inUnit(-1_234_567_89, '万元')).toBe(-123.46);
    // a table column: 万元 even when the largest is above 1亿元, 元 below 1万元
    expect(tableMoneyUnit([130_000_000_00, -127_49_00, null])).toBe('万元');
    expect(tableMoneyUnit([99_99, null])).toBe('元');
    expect([indicatorNumber(13.39, '月'), indicatorNumber(0.05, '%'), indicatorNumber(1.005, '万人'), indicatorNumber(-0.05, 'pp')]).toEqual(['13.4', '0.1', '1.01', '-0.1']);
    expect([0, 0.7, 1, 1.2, 2.4, 2.64, 3, 7.5, 12, 301].map(niceCeil)).toEqual([1, 0.8, 1, 1.5, 2.5, 3, 3, 8, 15, 400]);
  });
});
