import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clean, compare, formatThreshold, formatValue, roundHalfAway } from './format';

describe('formatValue', () => {
  it.each([
    [11, '%', '11.0%'],
    [10.04, '%', '10.0%'],
    [1.05, '%', '1.1%'],
    [-1.05, '%', '-1.1%'],
    [-0.04, '%', '0.0%'],
    [-1.7, 'pp', '-1.7个百分点'],
    [30922.17, '亿元', '30922.17亿元'],
    [12.5, '亿元', '12.50亿元'],
    [-3.2, '亿元', '-3.20亿元'],
    [12765, '元', '12,765.00元'],
    [3, '月', '3.0个月'],
    [2.999, '月', '3.0个月'],
    [1, '是/否', '是'],
    [0, '是/否', '否'],
    [1425.5, '万人', '1425.50万人'],
  ])('%s %s → %s', (x, unit, text) => expect(formatValue(x, unit)).toBe(text));
});

describe('formatThreshold', () => {
  it.each([
    [10, '%', '10%'],
    [2.5, '%', '2.5%'],
    [0, '%', '0'],
    [3, '月', '3个月'],
    [2, 'pp', '2个百分点'],
    [1, '是/否', '是'],
  ])('%s %s → %s', (x, unit, text) => expect(formatThreshold(x, unit)).toBe(text));
});

describe('numbers', () => {
  it('clean removes floating-point noise before comparing', () => {
    expect(4.2 - 5.6).not.toBe(-1.4);
    expect(clean(4.2 - 5.6)).toBe(-1.4);
    expect(clean(0.1 + 0.2)).toBe(0.3);
    expect(compare(0.1 + 0.2, '=', 0.3)).toBe(true);
    expect(compare(30 / (120 / 12), '<', 3)).toBe(false);
  });

  it('roundHalfAway rounds halves away from zero and is odd-symmetric', () => {
    expect(roundHalfAway(0.25, 1)).toBe(0.3);
    expect(roundHalfAway(-0.25, 1)).toBe(-0.3);
    expect(roundHalfAway(1.005, 2)).toBe(1.01);
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => roundHalfAway(-x, 1) === -roundHalfAway(x, 1) || roundHalfAway(x, 1) === 0));
  });

  it('each comparison and its negation are exclusive and exhaustive', () => {
    const pairs = [['<', '>='], ['<=', '>'], ['=', '!=']] as const;
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.integer({ min: -100, max: 100 }), (v, t) =>
        pairs.every(([a, b]) => compare(v, a, t) !== compare(v, b, t)),
      ),
    );
  });
});
