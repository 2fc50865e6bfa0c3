import { describe, expect, it } from 'vitest';
import { buildPriceBoxOption } from './buildOption';

const labels = { others: '其他地区', current: '现行价格', proposed: '方案新价格', unit: '元', count: '个地区' };

describe('price box per level', () => {
  it('a box of the other regions in 元 per level, the current price everywhere, the new price where changed', () => {
    const o = buildPriceBoxOption(
      [
        { label: '三级', box: { count: 5, minFen: 1000, q1Fen: 1250, medianFen: 1500, q3Fen: 1750.5, maxFen: 3000 }, oldPriceFen: 1200, newPriceFen: 1400, changed: true },
        { label: '二级', box: null, oldPriceFen: 900, newPriceFen: 900, changed: false },
      ],
      labels,
    );
    expect(o.xAxis.data).toEqual(['三级', '二级']);
    expect(o.series[0].data).toEqual([[10, 12.5, 15, 17.51, 30], []]);
    expect(o.series[1].data).toEqual([['三级', 12], ['二级', 9]]);
    expect(o.series[2].data).toEqual([['三级', 14]]);
    expect(o.legend.data).toEqual(['其他地区', '现行价格', '方案新价格']);
  });
});
