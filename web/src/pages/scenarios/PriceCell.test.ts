import { describe, expect, it } from 'vitest';
import { yuanTextToFen } from './PriceCell';

describe('yuanTextToFen', () => {
  it('reads 元 with up to two decimals exactly, rounding a third half away from zero', () => {
    expect(yuanTextToFen('12.5')).toBe(1250);
    expect(yuanTextToFen('0.07')).toBe(7);
    expect(yuanTextToFen('1,234.56元')).toBe(123456);
    expect(yuanTextToFen('2.345')).toBe(235);
    expect(yuanTextToFen('2.344')).toBe(234);
    expect(yuanTextToFen('26')).toBe(2600);
  });
  it('refuses what is not a non-negative amount', () => {
    expect(yuanTextToFen('-1')).toBeNull();
    expect(yuanTextToFen('abc')).toBeNull();
    expect(yuanTextToFen('')).toBeNull();
  });
});
