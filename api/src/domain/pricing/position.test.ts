import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxOfSorted, medianOfSorted, percentileRank, quantileOfSorted, positionAt, positionColumns, pricePosition, summarizePositions, topByValue } from './position';

describe('cross-region price position', () => {
  it('ranks a price among the other regions: below count plus half the ties', () => {
    // others 100, 200, 200, 400: p = 200 → (1 + 2/2) / 4 = 50%; p = 500 → 100%; p = 50 → 0%
    const others = [100, 200, 200, 400];
    expect(percentileRank(others, 200)).toBe(50);
    expect(percentileRank(others, 500)).toBe(100);
    expect(percentileRank(others, 50)).toBe(0);
    expect(percentileRank([], 50)).toBeNull();
  });

  it('gives min, median and max, and the old and new percentiles', () => {
    expect(medianOfSorted([100, 200, 200, 400])).toBe(200);
    expect(medianOfSorted([100, 300, 400])).toBe(300);
    expect(pricePosition([100, 300, 400], 300, 450)).toEqual({
      regionCount: 3, minFen: 100, medianFen: 300, maxFen: 400, percentileOld: 50, percentileNew: 100,
    });
    expect(pricePosition([], 1, 2)).toEqual({ regionCount: 0, minFen: null, medianFen: null, maxFen: null, percentileOld: null, percentileNew: null });
  });

  it('finds ties and bounds by binary search on typed arrays too', () => {
    const others = Float64Array.from([100, 200, 200, 200, 400]);
    expect(percentileRank(others, 200)).toBe(50); // (1 + 3/2) / 5
    expect(percentileRank(others, 150)).toBe(20);
    expect(percentileRank(others, 400)).toBe(90);
    expect(medianOfSorted(others)).toBe(200);
  });

  it('summarises changed rows in percentile bands before and after', () => {
    const others = [100, 200, 300, 400];
    const rows = [
      { oldPriceFen: 50, newPriceFen: 150 }, // below every region → 25% (band 25–50)
      { oldPriceFen: 400, newPriceFen: 450 }, // 87.5% → above every region
      { oldPriceFen: 10, newPriceFen: 20, peers: [] }, // no peers
      { oldPriceFen: 300, newPriceFen: 200 }, // 62.5% → 37.5%
    ];
    const cols = positionColumns(rows.map((r) => r.peers ?? others), rows.map((r) => r.oldPriceFen), rows.map((r) => r.newPriceFen));
    rows.forEach((r, k) => expect(positionAt(cols, k)).toEqual(pricePosition(r.peers ?? others, r.oldPriceFen, r.newPriceFen)));
    const s = summarizePositions(rows, cols);
    expect(s).toMatchObject({ rowCount: 4, withPeersCount: 3, medianPercentileOld: 62.5, medianPercentileNew: 37.5, rankUpCount: 2, rankDownCount: 1 });
    expect(s.bands.map((b) => [b.labelZh, b.before, b.after])).toEqual([
      ['低于所有其他地区', 1, 0], ['0–25%', 0, 0], ['25%–50%', 0, 2], ['50%–75%', 1, 0], ['75%–100%', 1, 0], ['高于所有其他地区', 0, 1],
    ]);
  });
});

describe('topByValue', () => {
  it('picks the highest values, highest first, ties in index order, NaN left out', () => {
    expect(topByValue([0.5, NaN, 0.9, 0.5, 1, 0.9], 3)).toEqual([4, 2, 5]);
    expect(topByValue([0.5, NaN, 0.9, 0.5], 10)).toEqual([2, 0, 3]);
    expect(topByValue([1, 2], 0)).toEqual([]);
  });

  it('equals the first n of a stable descending sort', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(NaN))), fc.integer({ min: 0, max: 8 }), (v, n) => {
        const sorted = v.map((_, k) => k).filter((k) => !Number.isNaN(v[k])).sort((a, b) => v[b] - v[a] || a - b);
        expect(topByValue(v, n)).toEqual(sorted.slice(0, n));
      }),
      { numRuns: 500 },
    );
  });
});

describe('box of the other regions\' prices', () => {
  it('quartiles interpolate between ranks (hand-computed)', () => {
    // 5 prices: h = 4·¼ = 1 → 200; median 300; h = 3 → 400
    expect(boxOfSorted([100, 200, 300, 400, 1000])).toEqual({ count: 5, minFen: 100, q1Fen: 200, medianFen: 300, q3Fen: 400, maxFen: 1000 });
    // 4 prices: h = 3·¼ = 0.75 → 100 + 0.75·(200 − 100) = 175; median 250; h = 2.25 → 300 + 0.25·(500 − 300) = 350
    expect(boxOfSorted([100, 200, 300, 500])).toEqual({ count: 4, minFen: 100, q1Fen: 175, medianFen: 250, q3Fen: 350, maxFen: 500 });
    expect(boxOfSorted([700])).toEqual({ count: 1, minFen: 700, q1Fen: 700, medianFen: 700, q3Fen: 700, maxFen: 700 });
    expect(boxOfSorted([])).toBeNull();
  });

  it('the median of the box is medianOfSorted, and min ≤ q1 ≤ median ≤ q3 ≤ max', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const b = boxOfSorted(s)!;
        expect(quantileOfSorted(s, 0.5)).toBeCloseTo(medianOfSorted(s)!, 9);
        expect(b.minFen <= b.q1Fen && b.q1Fen <= b.medianFen && b.medianFen <= b.q3Fen && b.q3Fen <= b.maxFen).toBe(true);
      }),
    );
  });
});
