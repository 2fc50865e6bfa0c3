import { describe, expect, it } from 'vitest';
import { buildMonitoringOption, flagged, scaled } from './buildOption';

const labels = { forecast: '预测', actual: '实际', flagged: '偏差超过阈值', gap: '偏差', unit: '万元', month: (m: number) => `${m}月` };

describe('monitoring by month', () => {
  it('bars of the actual in 万元, flagged beyond the threshold, the forecast as a line, unreported months empty', () => {
    const o = buildMonitoringOption(
      [
        { month: 1, forecast: 10_000_000, actual: 11_500_000, gapRate: 0.15 },
        { month: 2, forecast: 10_000_000, actual: 9_500_000, gapRate: -0.05 },
        { month: 3, forecast: 10_000_000, actual: null, gapRate: null },
      ],
      0.1,
      1_000_000,
      labels,
    );
    expect(o.xAxis.data).toEqual(['1月', '2月', '3月']);
    expect(o.series[0].data).toEqual([
      { value: 11.5, month: 1, flagged: true, itemStyle: { color: '#c0392b' } },
      { value: 9.5, month: 2, flagged: false, itemStyle: { color: '#1f4e79' } },
      { value: null, month: 3 },
    ]);
    expect(o.series[1].data).toEqual([10, 10, 10]);
    const label = (o.series[0] as { label: { formatter: (x: { dataIndex: number }) => string } }).label;
    expect(label.formatter({ dataIndex: 0 })).toBe('+15.0%');
    expect(label.formatter({ dataIndex: 1 })).toBe('');
    // the legend names both bar colours: the actual (within the threshold) and the flagged one, which has no bars of its own
    expect(o.legend.data).toEqual(['实际', '偏差超过阈值', '预测']);
    expect(o.series[2]).toMatchObject({ name: '偏差超过阈值', type: 'bar', data: [], itemStyle: { color: '#c0392b' }, barGap: '-100%' });
    expect(o.series[0].itemStyle.color).toBe('#1f4e79');
  });

  it('flags either way beyond the threshold only; scales to two decimals', () => {
    expect(flagged({ gapRate: -0.11 }, 0.1)).toBe(true);
    expect(flagged({ gapRate: 0.1 }, 0.1)).toBe(false);
    expect(flagged({ gapRate: null }, 0)).toBe(false);
    expect(scaled(123_456, 10_000)).toBe(12.35);
    expect(scaled(-5_000, 1_000_000)).toBe(-0.01);
  });
});
