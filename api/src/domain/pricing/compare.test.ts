import { describe, expect, it } from 'vitest';
import { differingPrices } from './compare';

describe('differingPrices', () => {
  // prices in force: A3 1000, A2 800, B3 500; C1 is not priced (only a change of scenario 2 prices it)
  const inForce = new Map([['A|3', 1000], ['A|2', 800], ['B|3', 500]]);
  const s1 = [
    { itemCode: 'A', level: 3, oldPriceFen: 1000, newPriceFen: 1200 },
    { itemCode: 'B', level: 3, oldPriceFen: 500, newPriceFen: 450 },
  ];
  const s2 = [
    { itemCode: 'A', level: 3, oldPriceFen: 1000, newPriceFen: 1200 }, // the same as s1: not listed
    { itemCode: 'A', level: 2, oldPriceFen: 800, newPriceFen: 900 }, // only s2: listed, s1 at 800
    { itemCode: 'C', level: 1, oldPriceFen: 300, newPriceFen: 330 },
  ];

  it('lists the rows whose new prices differ, in item and level order, unchanged rows at their price in force', () => {
    expect(differingPrices([s1, s2], (k) => inForce.get(k))).toEqual([
      { itemCode: 'A', level: 2, oldPriceFen: 800, newPricesFen: [800, 900], spreadFen: 100 },
      { itemCode: 'B', level: 3, oldPriceFen: 500, newPricesFen: [450, 500], spreadFen: 50 },
      { itemCode: 'C', level: 1, oldPriceFen: 300, newPricesFen: [300, 330], spreadFen: 30 },
    ]);
  });

  it('lists nothing for identical scenarios, and keeps the scenario order in three-way comparisons', () => {
    expect(differingPrices([s1, s1], (k) => inForce.get(k))).toEqual([]);
    const s3 = [{ itemCode: 'A', level: 3, oldPriceFen: 1000, newPriceFen: 900 }];
    const rows = differingPrices([s1, s2, s3], (k) => inForce.get(k));
    expect(rows.find((r) => r.itemCode === 'A' && r.level === 3)).toEqual({ itemCode: 'A', level: 3, oldPriceFen: 1000, newPricesFen: [1200, 1200, 900], spreadFen: 300 });
  });
});
