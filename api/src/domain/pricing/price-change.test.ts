import { describe, expect, it } from 'vitest';
import { priceAfterPercent } from './price-change';

describe('priceAfterPercent', () => {
  it('rounds half away from zero to the fen, exactly', () => {
    // 1000 × 1.125 = 1125 exactly; 333 × 1.1 = 366.3 → 366; 335 × 1.1 = 368.5 → 369 (a double gives 368.49999…)
    expect(priceAfterPercent(1000, 12.5)).toBe(1125);
    expect(priceAfterPercent(333, 10)).toBe(366);
    expect(priceAfterPercent(335, 10)).toBe(369);
    // cuts: 2050 × 0.75 = 1537.5 → 1538; 1 × 0.5 = 0.5 → 1
    expect(priceAfterPercent(2050, -25)).toBe(1538);
    expect(priceAfterPercent(1, -50)).toBe(1);
    expect(priceAfterPercent(999, -100)).toBe(0);
    expect(priceAfterPercent(999, 0)).toBe(999);
  });

  it('rejects a fractional old price or a cut of more than 100%', () => {
    expect(() => priceAfterPercent(10.5, 10)).toThrow(/oldPriceFen/);
    expect(() => priceAfterPercent(100, -101)).toThrow(/pctChange/);
  });
});
