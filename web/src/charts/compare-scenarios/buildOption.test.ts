import { describe, expect, it } from 'vitest';
import { buildCompareGroupsOption, buildCompareTotalsOption } from './buildOption';

const labels = { up: '上调', down: '下调', net: '净额', fund: '基金', outOfPocket: '个人', unit: '万元' };

describe('compare charts', () => {
  it('totals: one bar per scenario for each figure, in 万元', () => {
    const o = buildCompareTotalsOption(
      [
        { name: '甲', grossUpFen: 11_714_105, grossDownFen: 9_014_505, netFen: 2_699_600, fundFen: 2_581_484, outOfPocketFen: 118_116 },
        { name: '乙', grossUpFen: 5_000_000, grossDownFen: 0, netFen: 5_000_000, fundFen: 2_600_000, outOfPocketFen: 2_400_000 },
      ],
      labels,
    );
    expect(o.xAxis.data).toEqual(['上调', '下调', '净额', '基金', '个人']);
    expect(o.legend.data).toEqual(['甲', '乙']);
    expect(o.series[0].data).toEqual([11.71, 9.01, 2.7, 2.58, 0.12]);
    expect(o.series[1].data).toEqual([5, 0, 5, 2.6, 2.4]);
  });

  it('groups: the union of the changed groups in first-seen order, 0 where a scenario has none, unchanged groups left out', () => {
    const o = buildCompareGroupsOption(
      [
        { name: '甲', groups: [{ key: 'nursing', labelZh: '护理', netFen: 1_000_000, changedCount: 2 }, { key: 'imaging', labelZh: '影像', netFen: -2_000_000, changedCount: 1 }, { key: 'lab', labelZh: '检验', netFen: 0, changedCount: 0 }] },
        { name: '乙', groups: [{ key: 'surgery', labelZh: '手术', netFen: 3_000_000, changedCount: 1 }, { key: 'nursing', labelZh: '护理', netFen: 500_000, changedCount: 1 }, { key: 'lab', labelZh: '检验', netFen: 0, changedCount: 0 }] },
      ],
      '万元',
    );
    expect(o.xAxis.data).toEqual(['护理', '影像', '手术']);
    expect(o.series.map((s) => s.data)).toEqual([[1, -2, 0], [0.5, 0, 3]]);
  });
});
