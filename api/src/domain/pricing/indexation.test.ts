import { describe, expect, it } from 'vitest';
import { cumulativeGrowth, indexGeneralPrices, indexPrice } from './indexation';
import { decimalText } from '../rational';

describe('通用型 indexation', () => {
  it('new = round(old × (1 + g)) half away from zero', () => {
    expect(indexPrice(2600, 0.05)).toBe(2730); // 26元 × 1.05 = 27.30元
    expect(indexPrice(1050, 0.05)).toBe(1103); // 1102.5 → 1103
    expect(indexPrice(1050, 0.05, 10)).toBe(1100); // 110.25 角 → 110 角
    expect(indexPrice(1050, 0.05, 100)).toBe(1100); // 11.025元 → 11元
    // 45 × (1 − 0.3) = 31.5 → 32; a float product would give 31
    expect(indexPrice(45, -0.3)).toBe(32);
  });

  it('compounds yearly rates exactly: 5% twice is 10.25%', () => {
    expect(decimalText(cumulativeGrowth([0.05, 0.05]), 12)).toBe('0.1025');
    const r = indexGeneralPrices(
      [
        { itemCode: '110200001', kind: 'general' as const, oldPriceFen: 1000, quantity: 100 },
        { itemCode: '330000000', kind: 'complex' as const, oldPriceFen: 50000, quantity: 10 },
      ],
      { growth: [0.05, 0.05] },
    );
    // 1000 × 1.1025 = 1102.5 → 1103; complex unchanged; net 103 × 100
    expect(r.items.map((i) => [i.newPriceFen, i.deltaFen, i.indexed])).toEqual([
      [1103, 103, true],
      [50000, 0, false],
    ]);
    expect(r.growthText).toBe('0.1025');
    expect(r.indexedCount).toBe(1);
    expect(r.netFen).toBe(10_300);
    expect(r.noteZh).toContain('10.25%');
  });

  it('indexes complex items when asked and keeps fields', () => {
    const r = indexGeneralPrices([{ itemCode: 'X', kind: 'complex' as const, oldPriceFen: 200, extra: 'kept' }], { growth: 0.1, kinds: ['general', 'complex'] });
    expect(r.items[0]).toMatchObject({ newPriceFen: 220, extra: 'kept' });
  });

  it('rejects bad input', () => {
    expect(() => indexPrice(1.5, 0.1)).toThrow(RangeError);
    expect(() => indexPrice(100, 0.1, 0)).toThrow(RangeError);
    expect(() => indexGeneralPrices([], { growth: Number.NaN })).toThrow(RangeError);
  });
});
