import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costValueByGroup, costValueFigures } from './cost-value';

describe('成本比价 figures', () => {
  it('recovery and price per point are volume-weighted ratios of sums (hand-computed)', () => {
    // A: P 100, C 200, RV 10, Q 3; B: P 300, C 150, RV 20, Q 1
    // recovery = (100·3 + 300·1) ÷ (200·3 + 150·1) = 600 ÷ 750 = 0.8
    // per point = (100·3 + 300·1) ÷ (10·3 + 20·1) = 600 ÷ 50 = 12 分
    const f = costValueFigures([
      { priceFen: 100, unitCostFen: 200, relativeValue: 10, quantity: 3 },
      { priceFen: 300, unitCostFen: 150, relativeValue: 20, quantity: 1 },
    ]);
    expect(f).toEqual({ rowCount: 2, costedCount: 2, pointedCount: 2, recovery: 0.8, pricePerPointFen: 12, recoveryWeighted: true, pointsWeighted: true });
  });

  it('rows without cost or points are left out of that figure only; a cost or points of 0 counts as none', () => {
    // recovery over A and C: (100·2 + 50·2) ÷ (400·2 + 100·2) = 300 ÷ 1000 = 0.3; points over A and B: (100·2 + 80·6) ÷ (5·2 + 4·6) = 680 ÷ 34 = 20
    const f = costValueFigures([
      { priceFen: 100, unitCostFen: 400, relativeValue: 5, quantity: 2 },
      { priceFen: 80, unitCostFen: null, relativeValue: 4, quantity: 6 },
      { priceFen: 50, unitCostFen: 100, relativeValue: 0, quantity: 2 },
      { priceFen: 70, unitCostFen: 0, relativeValue: null, quantity: 9 },
    ]);
    expect(f.costedCount).toBe(2);
    expect(f.pointedCount).toBe(2);
    expect(f.recovery).toBeCloseTo(0.3, 12);
    expect(f.pricePerPointFen).toBe(20);
  });

  it('without any volume each row counts once; without rows the figures are null', () => {
    // (100 + 300) ÷ (200 + 300) = 0.8
    const f = costValueFigures([
      { priceFen: 100, unitCostFen: 200, relativeValue: null, quantity: 0 },
      { priceFen: 300, unitCostFen: 300, relativeValue: null, quantity: 0 },
    ]);
    expect(f.recovery).toBe(0.8);
    expect(f.recoveryWeighted).toBe(false);
    expect(f.pricePerPointFen).toBeNull();
    expect(costValueFigures([]).recovery).toBeNull();
  });

  it('groups in first-seen order', () => {
    const g = costValueByGroup(
      [
        { k: 'b', priceFen: 100, unitCostFen: 50, relativeValue: null, quantity: 1 },
        { k: 'a', priceFen: 100, unitCostFen: 400, relativeValue: null, quantity: 1 },
        { k: 'b', priceFen: 200, unitCostFen: 50, relativeValue: null, quantity: 1 },
      ],
      (r) => r.k,
    );
    expect(g.map((x) => [x.key, x.figures.rowCount, x.figures.recovery])).toEqual([['b', 2, 3], ['a', 1, 0.25]]);
  });

  it('a group\'s recovery lies between its rows\' lowest and highest recovery', () => {
    const row = fc.record({
      priceFen: fc.integer({ min: 0, max: 10_000_000 }),
      unitCostFen: fc.integer({ min: 1, max: 10_000_000 }),
      relativeValue: fc.constant(null),
      quantity: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => {
        const r = costValueFigures(rows).recovery!;
        const each = rows.filter((x) => !rows.some((y) => y.quantity > 0) || x.quantity > 0).map((x) => x.priceFen / x.unitCostFen);
        expect(r).toBeGreaterThanOrEqual(Math.min(...each) - 1e-9);
        expect(r).toBeLessThanOrEqual(Math.max(...each) + 1e-9);
      }),
    );
  });
});
