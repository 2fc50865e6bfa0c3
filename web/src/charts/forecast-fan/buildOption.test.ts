import { describe, expect, it } from 'vitest';
import { buildForecastFanOption, wan } from './buildOption';

const labels = { year: (y: number) => `${y}年`, range: '假设区间内范围', band: 'P10–P90', median: '中位数', static: '静态测算', unit: '万元' };
const band = (min: number, p10: number, p50: number, p90: number, max: number) => ({ minFen: min, p10Fen: p10, p50Fen: p50, p90Fen: p90, maxFen: max });

describe('forecast fan chart', () => {
  const rows = [
    { year: 2024, band: band(8_231_500_000, 8_973_830_000, 11_900_000_000, 15_700_000_000, 22_900_000_000), staticFen: 19_500_000_000 },
    { year: 2025, band: band(-1_234_567, 0, 5_000_000, 10_000_000, 12_345_678), staticFen: 10_000_000 },
  ];

  it('stacks each band as its lower edge and its width, in 万元, the median and the static figure as lines', () => {
    const o = buildForecastFanOption(rows, labels);
    expect(o.xAxis.data).toEqual(['2024年', '2025年']);
    expect(o.series.map((s) => s.name)).toEqual(['假设区间内范围-lower', '假设区间内范围', 'P10–P90-lower', 'P10–P90', '中位数', '静态测算']);
    // lower edges and widths: 8,231,500,000 fen = 8,231.5 万元 … the 2025 range from −1.23 万元 (−1,234,567 fen) to 12.35 万元
    expect(o.series[0].data).toEqual([8231.5, -1.23]);
    expect(o.series[1].data).toEqual([22900 - 8231.5, 13.58]);
    expect(o.series[2].data).toEqual([8973.83, 0]);
    expect(o.series[3].data).toEqual([15700 - 8973.83, 10]);
    expect(o.series[4].data).toEqual([11900, 5]);
    expect(o.series[5].data).toEqual([19500, 10]);
    // lower edge + width is the upper edge again
    expect(o.series[0].data[1] + o.series[1].data[1]).toBeCloseTo(wan(12_345_678), 10);
    // negative bands stack: every stacked series stacks in any sign
    expect(o.series.filter((s) => 'stack' in s).every((s) => (s as { stackStrategy?: string }).stackStrategy === 'all')).toBe(true);
    expect(o.aria.label.description).toBe('2024年 P10–P90 8973.83万元～1.57亿元，静态测算 1.95亿元；2025年 P10–P90 0.00元～10.00万元，静态测算 10.00万元');
  });

  it('says every figure of a year in the tooltip', () => {
    const o = buildForecastFanOption(rows, labels);
    const text = o.tooltip.formatter([{ dataIndex: 1 }]);
    expect(text).toBe('<b>2025年</b><br/>静态测算：10.00万元<br/>中位数：5.00万元<br/>P10–P90：0.00元 ～ 10.00万元<br/>假设区间内范围：-1.23万元 ～ 12.35万元');
  });

  it('draws nothing for no years', () => {
    expect(buildForecastFanOption([], labels).series.every((s) => s.data.length === 0)).toBe(true);
  });
});
