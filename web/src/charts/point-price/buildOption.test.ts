import { describe, expect, it } from 'vitest';
import { buildPointPriceOption } from './buildOption';

const labels = { before: '调价前', after: '调价后', overall: '全部项目', unit: '元/点' };

describe('price per relative-value point by category', () => {
  it('before and after in 元 per point, categories without points left out, the overall line', () => {
    const o = buildPointPriceOption(
      [
        { name: '护理', beforeFen: 123.456, afterFen: 150, pointedCount: 4 },
        { name: '检验', beforeFen: null, afterFen: null, pointedCount: 0 },
        { name: '手术治疗', beforeFen: 2000, afterFen: 2000, pointedCount: 1 },
      ],
      410,
      labels,
    );
    expect(o.xAxis.data).toEqual(['护理', '手术治疗']);
    expect(o.series[0].data).toEqual([1.23, 20]);
    expect(o.series[1].data).toEqual([1.5, 20]);
    expect(o.series[1].markLine!.data).toEqual([{ yAxis: 4.1 }]);
    expect(buildPointPriceOption([], null, labels).series[1].markLine).toBeUndefined();
  });
});
