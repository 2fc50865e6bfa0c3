import { describe, expect, it } from 'vitest';
import { medianOfSorted, percentileRank, pricePosition } from './position';

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
});
