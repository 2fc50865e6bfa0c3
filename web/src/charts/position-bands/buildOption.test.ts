import { describe, expect, it } from 'vitest';
import { buildPositionBandsOption } from './buildOption';

describe('position bands', () => {
  it('the counts of rows per band, before and after', () => {
    const o = buildPositionBandsOption(
      [
        { labelZh: '低于所有地区', before: 3, after: 1 },
        { labelZh: '0–25%', before: 2, after: 2 },
        { labelZh: '高于所有地区', before: 0, after: 2 },
      ],
      { before: '调价前', after: '调价后', rows: '项' },
    );
    expect(o.xAxis.data).toEqual(['低于所有地区', '0–25%', '高于所有地区']);
    expect(o.series.map((s) => s.data)).toEqual([[3, 2, 0], [1, 2, 2]]);
    expect(o.legend.data).toEqual(['调价前', '调价后']);
  });
});
