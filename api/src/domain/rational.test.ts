import { describe, expect, it } from 'vitest';
import * as R from './rational';

describe('rational: decimals read exactly', () => {
  it.each([
    [0.05, 1n, 20n],
    [0.52, 13n, 25n],
    [0.6, 3n, 5n],
    [1e-7, 1n, 10_000_000n],
    [-0.125, -1n, 8n],
    [3, 3n, 1n],
    [1e21, 10n ** 21n, 1n],
  ])('%d → %d/%d', (x, n, d) => {
    expect(R.fromDecimal(x)).toEqual({ n, d });
  });

  it('rejects non-finite numbers', () => {
    expect(() => R.fromDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => R.fromDecimal(Infinity)).toThrow(RangeError);
  });

  it('45 fen × 0.7 = 31.5 → 32 fen (the float product is 31.499999999999996 and would round to 31)', () => {
    expect(45 * 0.7).toBe(31.499999999999996); // the trap
    expect(R.mulFen(45, 0.7)).toBe(32);
    expect(R.mulFen(-45, 0.7)).toBe(-32); // half away from zero
  });

  it('0.3 − 0.1 is exactly 0.2', () => {
    expect(R.cmp(R.sub(R.fromDecimal(0.3), R.fromDecimal(0.1)), R.fromDecimal(0.2))).toBe(0);
  });

  it('floor, ceil and rounding of negative fractions', () => {
    const x = R.ratio(-7n, 2n); // −3.5
    expect(R.floor(x)).toBe(-4n);
    expect(R.ceil(x)).toBe(-3n);
    expect(R.roundHalfAway(x)).toBe(-4n);
    expect(R.roundHalfAway(R.ratio(7n, 2n))).toBe(4n);
    expect(R.floor(R.ratio(7n, 2n))).toBe(3n);
    expect(R.ceil(R.ratio(6n, 2n))).toBe(3n);
  });

  it('percent text', () => {
    expect(R.percentText(0.05)).toBe('5%');
    expect(R.percentText(0.125)).toBe('12.5%');
    expect(R.percentText(R.ratio(1n, 3n))).toBe('33.33%');
    expect(R.percentText(R.ratio(2n, 3n))).toBe('66.67%');
    expect(R.percentText(-0.005, 1)).toBe('-0.5%');
  });

  it('refuses results outside the safe integer range', () => {
    expect(() => R.toSafeInt(2n ** 60n)).toThrow(RangeError);
    expect(() => R.mulFen(0.5, 1)).toThrow(RangeError);
  });
});
