import { describe, expect, it } from 'vitest';
import { buildQuoteScoresOption } from './buildOption';

describe('quote scores', () => {
  it('each quote\'s weighted criteria stacked, the highest score at the top, the score as the label', () => {
    const o = buildQuoteScoresOption(
      [
        { label: '甲医院 · A', coverage: 0.8, structure: 1, median: 0.5, score: 75 },
        { label: '乙医院 · A', coverage: 1, structure: 1, median: 1, score: 100 },
      ],
      { coverage: '成本覆盖', structure: '成本结构', median: '报价中位数' },
    );
    expect(o.yAxis.data).toEqual(['甲医院 · A', '乙医院 · A']);
    // 0.8 × 50 = 40, 1 × 20 = 20, 0.5 × 30 = 15 → 75
    expect(o.series.map((s) => s.data)).toEqual([[40, 50], [20, 20], [15, 30]]);
    expect((o.series[2] as { label: { formatter: (p: { dataIndex: number }) => string } }).label.formatter({ dataIndex: 1 })).toBe('100');
  });
});
