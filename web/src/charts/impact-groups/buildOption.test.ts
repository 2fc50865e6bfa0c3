import { describe, expect, it } from 'vitest';
import { buildImpactGroupsOption } from './buildOption';

describe('impact groups chart', () => {
  const labels = { up: '上调', down: '下调', net: '净额', unit: '万元' };

  it('draws raises up, cuts down and the net in 万元, one category per group', () => {
    const o = buildImpactGroupsOption(
      [
        { labelZh: '护理', grossUpFen: 1_900_000, grossDownFen: 0, netFen: 1_900_000 },
        { labelZh: '影像', grossUpFen: 0, grossDownFen: 9_014_505, netFen: -9_014_505 },
      ],
      labels,
    );
    expect(o.xAxis.data).toEqual(['护理', '影像']);
    expect(o.series.map((s) => s.name)).toEqual(['上调', '下调', '净额']);
    // 1,900,000 fen = 1.9 万元; 9,014,505 fen = 9.01 万元 (rounded to 0.01 万元 for the axis)
    expect(o.series[0].data).toEqual([1.9, 0]);
    expect(o.series[1].data).toEqual([-0, -9.01]);
    expect(o.series[2].data).toEqual([1.9, -9.01]);
    expect(o.aria.label.description).toBe('护理 净额 1.90万元；影像 净额 -9.01万元');
  });

  it('draws nothing for no groups', () => {
    const o = buildImpactGroupsOption([], labels);
    expect(o.series.every((s) => s.data.length === 0)).toBe(true);
  });
});
