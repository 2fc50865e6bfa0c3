import { describe, expect, it } from 'vitest';
import { buildTotalWaterfallOption, waterfallBars } from './buildOption';

const steps = [
  { key: 'base', kind: 'base' as const, labelZh: '历史基数', amountFen: 1_000_000_000_00, enabled: true },
  { key: 'growth', kind: 'component' as const, labelZh: '合理增长', amountFen: 30_000_000_00, enabled: true },
  { key: 'costControl', kind: 'component' as const, labelZh: '控费奖励', amountFen: -5_000_000_00, enabled: true },
  { key: 'procurement', kind: 'component' as const, labelZh: '集采腾空间', amountFen: 10_000_000_00, enabled: true },
  { key: 'selfFinancing', kind: 'component' as const, labelZh: '自我消化', amountFen: 0, enabled: false },
  { key: 'subtotal', kind: 'subtotal' as const, labelZh: '小计', amountFen: 35_000_000_00, enabled: true },
  { key: 'fundCap', kind: 'cap' as const, labelZh: '基金承受能力上限', amountFen: -3_000_000_00, enabled: true },
  { key: 'total', kind: 'total' as const, labelZh: '调价总量', amountFen: 32_000_000_00, enabled: true },
];

describe('total waterfall', () => {
  it('floats each component from the running sum, stands sums on zero, and leaves the base and disabled steps out', () => {
    // in 万元: growth 0 → 3000, cost control 3000 → 2500, procurement 2500 → 3500, subtotal 3500, cap 3500 → 3200, total 3200
    expect(waterfallBars(steps).map((b) => [b.key, b.low, b.high, b.value, b.kind])).toEqual([
      ['growth', 0, 3000, 3000, 'up'],
      ['costControl', 2500, 3000, -500, 'down'],
      ['procurement', 2500, 3500, 1000, 'up'],
      ['subtotal', 0, 3500, 3500, 'sum'],
      ['fundCap', 3200, 3500, -300, 'down'],
      ['total', 0, 3200, 3200, 'sum'],
    ]);
  });

  it('the components add up to the subtotal, and the subtotal and cap to the total', () => {
    const bars = waterfallBars(steps);
    const value = (k: string) => bars.find((b) => b.key === k)!.value;
    expect(value('growth') + value('costControl') + value('procurement')).toBe(value('subtotal'));
    expect(value('subtotal') + value('fundCap')).toBe(value('total'));
    const o = buildTotalWaterfallOption(steps, '万元');
    expect(o.xAxis.data).toEqual(['合理增长', '控费奖励', '集采腾空间', '小计', '基金承受能力上限', '调价总量']);
    expect(o.series[0].data.at(-1)).toEqual([5, 0, 3200, 3200]);
  });
});
