import { describe, expect, it } from 'vitest';
import { coverageScore, median, medianScore, scoreQuotes, selectQuotes, structureScore, type QuoteInput } from './scoring';

const q = (over: Partial<QuoteInput> & Pick<QuoteInput, 'id' | 'proposedPriceFen'>): QuoteInput => ({
  institutionCode: `H${over.id}`,
  itemCode: 'S1',
  level: 3,
  unitCostFen: 10000,
  labourFen: 4000,
  currentPriceFen: 8000,
  quantity: 10,
  ...over,
});

describe('quote score parts', () => {
  it('coverage: 1 at cost, linear to 0 at ±50%', () => {
    expect(coverageScore(10000, 10000)).toBe(1);
    expect(coverageScore(12000, 10000)).toBeCloseTo(0.6, 12); // r 1.2 → 1 − 0.2/0.5
    expect(coverageScore(9000, 10000)).toBeCloseTo(0.8, 12);
    expect(coverageScore(16000, 10000)).toBe(0);
    expect(coverageScore(5000, null)).toBe(0);
  });
  it('structure: 1 inside [25%, 65%], linear outside', () => {
    expect(structureScore(4000, 10000)).toBe(1);
    expect(structureScore(1000, 10000)).toBeCloseTo(0.4, 12); // 0.1 / 0.25
    expect(structureScore(8600, 10000)).toBeCloseTo(0.4, 12); // (1 − 0.86) / 0.35
    expect(structureScore(null, 10000)).toBe(0);
  });
  it('median: 1 at the median, 0 at ±50%', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianScore(11000, 10000)).toBeCloseTo(0.8, 12);
    expect(medianScore(20000, 10000)).toBe(0);
  });
});

describe('scoreQuotes', () => {
  it('weights 0.5 / 0.2 / 0.3, median per item and level', () => {
    // prices 10000, 11000, 12000 of S1 level 3: median 11000
    const s = scoreQuotes([q({ id: 1, proposedPriceFen: 10000 }), q({ id: 2, proposedPriceFen: 11000 }), q({ id: 3, proposedPriceFen: 12000, labourFen: 1000 })]);
    // 1: coverage 1, structure 1, median 1 − (1/11)/0.5 = 0.818181… → 100(0.5 + 0.2 + 0.3·0.818181…) = 94.545… → 94.55
    expect(s[0].medianPriceFen).toBe(11000);
    expect(s[0].score).toBe(94.55);
    // 2: coverage 1 − 0.1/0.5 = 0.8, structure 1, median 1 → 40 + 20 + 30 = 90
    expect(s[1].score).toBe(90);
    // 3: coverage 0.6, structure 0.4, median 1 − (1/11)/0.5 = 0.818181… → 30 + 8 + 24.545… = 62.55
    expect(s[2].score).toBe(62.55);
    // a lone quote of another level is its own median
    expect(scoreQuotes([q({ id: 9, level: 2, proposedPriceFen: 10000 })])[0]).toMatchObject({ median: 1, score: 100 });
  });
});

describe('selectQuotes', () => {
  it('takes quotes by score within the budget, one per item and level, exact in fen', () => {
    const quotes = [
      q({ id: 1, proposedPriceFen: 10000 }), // S1: 94.55, cost (10000 − 8000) × 10 = 20000
      q({ id: 2, proposedPriceFen: 11000 }), // S1: 90, duplicate of 1
      q({ id: 3, proposedPriceFen: 12000, labourFen: 1000 }), // S1: 62.55, duplicate
      q({ id: 4, itemCode: 'S2', proposedPriceFen: 10000, currentPriceFen: 9000, quantity: 7 }), // 100, cost 7000
      q({ id: 5, itemCode: 'S3', proposedPriceFen: 10000, currentPriceFen: 9500, quantity: 3 }), // 100, cost 1500
      q({ id: 6, itemCode: 'S4', proposedPriceFen: 10000, currentPriceFen: null }), // 100, no price
    ];
    const sel = selectQuotes(quotes, 25000);
    const byId = new Map(sel.decisions.map((d) => [d.id, d]));
    // order: 5 (100, cost 1500), 4 (100, 7000), 6 (100, no price), 1 (94.55), 2, 3
    expect(sel.decisions.map((d) => d.id)).toEqual([5, 4, 6, 1, 2, 3]);
    expect(byId.get(5)).toMatchObject({ selected: true, costFen: 1500, remainingFen: 23500 });
    expect(byId.get(4)).toMatchObject({ selected: true, costFen: 7000, remainingFen: 16500 });
    expect(byId.get(6)).toMatchObject({ selected: false, reason: 'no_price' });
    expect(byId.get(1)).toMatchObject({ selected: false, reason: 'over_budget', costFen: 20000 });
    expect(byId.get(1)!.reasonZh).toContain('需 200.00元，剩余 165.00元');
    expect(byId.get(5)!.reasonZh).toBe('入选：评分 100，调价金额 15.00元');
    // 1 rejected, so 2 (cost 30000) is the best of S1 left and is over budget too; 3 (cost 40000) as well
    expect(byId.get(2)).toMatchObject({ selected: false, reason: 'over_budget' });
    expect(sel).toMatchObject({ netFen: 8500, remainingFen: 16500, selectedCount: 2, rejectedCount: 4 });

    const wide = selectQuotes(quotes, 28500);
    expect(wide.decisions.filter((d) => d.selected).map((d) => d.id)).toEqual([5, 4, 1]);
    expect(wide.decisions.find((d) => d.id === 2)).toMatchObject({ reason: 'duplicate' });
    expect(wide).toMatchObject({ netFen: 28500, remainingFen: 0 });
  });

  it('lets a cut free budget and applies a minimum score', () => {
    const quotes = [
      q({ id: 1, itemCode: 'A', proposedPriceFen: 10000, currentPriceFen: 11000, quantity: 5 }), // 100, cost −5000
      q({ id: 2, itemCode: 'B', proposedPriceFen: 10000, currentPriceFen: 9000, quantity: 5 }), // 100, cost 5000
      q({ id: 3, itemCode: 'C', proposedPriceFen: 14000, currentPriceFen: 13000, quantity: 1 }), // coverage 0.2 → 10 + 20 + 30 = 60
    ];
    const sel = selectQuotes(quotes, 0, { minScore: 80 });
    expect(sel.decisions.map((d) => [d.id, d.selected, d.reason])).toEqual([
      [1, true, null],
      [2, true, null],
      [3, false, 'low_score'],
    ]);
    expect(sel.netFen).toBe(0);
    expect(() => selectQuotes(quotes, 0.5)).toThrow(RangeError);
  });
});
