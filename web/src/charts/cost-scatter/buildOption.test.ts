import { describe, expect, it } from 'vitest';
import { bubbleSize, buildCostScatterOption, CATEGORY_COLORS, categoryColor, needsLog } from './buildOption';

const labels = { cost: '单位成本', price: '价格', parity: '价格 = 成本', volume: '服务量', recovery: '成本回收率', unit: '元' };
const cats = [{ code: 'nursing', name: '护理' }, { code: 'lab', name: '检验' }, { code: 'surgery', name: '手术治疗' }];

describe('cost scatter', () => {
  it('one series per category present, points [cost 元, price 元, volume, code, name, recovery], and the parity line', () => {
    const o = buildCostScatterOption(
      [
        { itemCode: 'A1', name: '护理甲', categoryCode: 'nursing', priceFen: 1500, unitCostFen: 3000, quantity: 400 },
        { itemCode: 'B1', name: '检验乙', categoryCode: 'lab', priceFen: 2000, unitCostFen: 1000, quantity: 100 },
        { itemCode: 'A2', name: '护理丙', categoryCode: 'nursing', priceFen: 900, unitCostFen: 0, quantity: 0 },
      ],
      cats,
      labels,
    );
    expect(o.legend.data).toEqual(['护理', '检验', '价格 = 成本']);
    expect(o.xAxis.type).toBe('value');
    expect(o.series[0].data).toEqual([[30, 15, 400, 'A1', '护理甲', 0.5], [0, 9, 0, 'A2', '护理丙', null]]);
    expect(o.series[1].data).toEqual([[10, 20, 100, 'B1', '检验乙', 2]]);
    // parity from the smallest to the largest value of either axis
    expect(o.series[2].data).toEqual([[0, 0], [30, 30]]);
    // area ∝ volume: the largest 30px, a quarter of the volume half the extra size
    const size = (k: number) => (o.series[k] as { symbolSize: (d: [number, number, number]) => number }).symbolSize;
    expect(size(0)([30, 15, 400])).toBe(30);
    expect(size(1)([10, 20, 100])).toBe(17);
    expect(size(0)([0, 9, 0])).toBe(4);
  });

  it('log axes when values spread over more than 100×; rows with a zero cannot be drawn there', () => {
    expect(needsLog([100, 10_000])).toBe(false);
    expect(needsLog([100, 10_001])).toBe(true);
    expect(needsLog([0, 5])).toBe(false);
    const o = buildCostScatterOption(
      [
        { itemCode: 'A1', name: '甲', categoryCode: 'nursing', priceFen: 100, unitCostFen: 200, quantity: 1 },
        { itemCode: 'S1', name: '乙', categoryCode: 'surgery', priceFen: 500_000, unitCostFen: 400_000, quantity: 1 },
        { itemCode: 'A2', name: '丙', categoryCode: 'nursing', priceFen: 300, unitCostFen: 0, quantity: 1 },
      ],
      cats,
      labels,
    );
    expect(o.xAxis.type).toBe('log');
    expect(o.yAxis.type).toBe('log');
    expect(o.series.map((s) => s.data.length)).toEqual([1, 1, 2]);
    expect(o.series[2].data).toEqual([[1, 1], [5000, 5000]]);
    expect(buildCostScatterOption([], cats, labels, { log: true }).xAxis.type).toBe('log');
    expect(bubbleSize(5, 0)).toBe(4);
  });

  it('a category keeps its colour whichever categories are shown; 14 categories, 14 different colours', () => {
    const rows = [
      { itemCode: 'A1', name: '护理甲', categoryCode: 'nursing', priceFen: 1500, unitCostFen: 3000, quantity: 400 },
      { itemCode: 'S1', name: '手术乙', categoryCode: 'surgery', priceFen: 2000, unitCostFen: 1000, quantity: 100 },
    ];
    const colours = (o: ReturnType<typeof buildCostScatterOption>) => o.series.map((s) => [s.name, (s.itemStyle as { color: string }).color]);
    // nursing is the first category, surgery the third: their colours with every category shown …
    expect(colours(buildCostScatterOption(rows, cats, labels))).toEqual([['护理', '#1f77b4'], ['手术治疗', '#2ca02c'], ['价格 = 成本', '#909399']]);
    // … and with the surgery rows alone (the filter of one category): still the third colour, not the first
    expect(colours(buildCostScatterOption(rows.slice(1), cats, labels))).toEqual([['手术治疗', '#2ca02c'], ['价格 = 成本', '#909399']]);
    expect(new Set(CATEGORY_COLORS).size).toBe(14);
    expect(categoryColor(14)).toBe(categoryColor(0));
  });
});
