import { describe, expect, it } from 'vitest';
import { buildRecoveryRankingOption, pctText, rankRecovery } from './buildOption';

const rows = [
  { itemCode: 'C', name: '丙', recovery: 0.5 },
  { itemCode: 'A', name: '甲', recovery: 1.25 },
  { itemCode: 'B', name: '乙', recovery: 0.5 },
  { itemCode: 'D', name: '丁', recovery: null },
  { itemCode: 'E', name: '戊', recovery: 0.8 },
];
const labels = { recovery: '成本回收率', parity: '价格 = 成本' };

describe('recovery ranking', () => {
  it('ranks the lowest and the highest recovery, ties by code, rows without a cost left out', () => {
    expect(rankRecovery(rows, 'lowest', 3).map((r) => r.itemCode)).toEqual(['B', 'C', 'E']);
    expect(rankRecovery(rows, 'highest', 2).map((r) => r.itemCode)).toEqual(['A', 'E']);
    expect(rankRecovery(rows, 'lowest', 10)).toHaveLength(4);
  });

  it('bars in percent, the first of the ranking at the top, the 100% line', () => {
    const o = buildRecoveryRankingOption(rows, 'lowest', 3, labels);
    expect(o.yAxis.data).toEqual(['E 戊', 'C 丙', 'B 乙']);
    expect(o.series[0].data).toEqual([{ value: 80, itemCode: 'E' }, { value: 50, itemCode: 'C' }, { value: 50, itemCode: 'B' }]);
    expect(o.series[0].markLine.data).toEqual([{ xAxis: 100 }]);
    expect(buildRecoveryRankingOption(rows, 'highest', 1, labels).series[0].data).toEqual([{ value: 125, itemCode: 'A' }]);
  });

  it('reaches the 100% line when every bar is below it, and labels every bar with one decimal', () => {
    // the lowest three (80%, 50%, 50%) end below cost: the axis runs to 100 so the line is drawn
    expect(buildRecoveryRankingOption(rows, 'lowest', 3, labels).xAxis.max).toBe(100);
    // a ranking reaching 125%: ECharts' own bound above it
    expect(buildRecoveryRankingOption(rows, 'highest', 2, labels).xAxis.max).toBeUndefined();
    const o = buildRecoveryRankingOption(rows, 'lowest', 3, labels);
    const label = o.series[0].label.formatter;
    expect(o.series[0].data.map((d) => label({ value: d.value }))).toEqual(['80.0%', '50.0%', '50.0%']);
    expect(pctText(48.1)).toBe('48.1%');
    expect(o.tooltip.valueFormatter(152.5)).toBe('152.5%');
  });
});
