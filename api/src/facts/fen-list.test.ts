import { describe, expect, it } from 'vitest';
import { fenList } from './pricing-data.repository';

describe('fenList: the other regions’ prices as string_agg gives them', () => {
  it('reads each price in order, exactly', () => {
    expect(Array.from(fenList('120,130,4500'))).toEqual([120, 130, 4500]);
    expect(Array.from(fenList('0'))).toEqual([0]);
    expect(Array.from(fenList('9007199254740991'))).toEqual([Number.MAX_SAFE_INTEGER]);
  });

  it('fails loudly on a price beyond the exact integer range instead of rounding it', () => {
    expect(() => fenList('100,9007199254740993')).toThrow(RangeError);
  });
});
