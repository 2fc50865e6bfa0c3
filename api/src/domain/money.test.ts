import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, fenToYuanString, formatFen, formatFenAuto, parseYuanToFen } from './money';

describe('parseYuanToFen', () => {
  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['0.01', 1],
    ['1,234.56', 123456],
    ['￥70.00', 7000],
    ['330', 33000],
    ['12.500', 1250],
  ])('%s → %d fen', (t, f) => expect(parseYuanToFen(t)).toBe(f));

  it.each(['', 'abc', '12.345', '-5', '1e3', 'NaN', '12..5', '十二'])('rejects %j', (t) => expect(parseYuanToFen(t)).toBeNull());

  it('accepts negatives only when asked', () => expect(parseYuanToFen('-5.5', { allowNegative: true })).toBe(-550));

  it('round-trips with fenToYuanString', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), (f) => parseYuanToFen(fenToYuanString(f)) === f));
  });
});

describe('formatting', () => {
  it('shows the published totals in 亿元', () => {
    expect(formatFen(35_200_000_000, '亿元')).toBe('3.52亿元');
    expect(formatFen(63_100_000_000, '亿元')).toBe('6.31亿元');
    expect(formatFen(123456789, '万元')).toBe('123.46万元');
    expect(formatFen(123456789, '元')).toBe('1,234,567.89元');
    expect(formatFenAuto(-150_000)).toBe('-1,500.00元');
    expect(formatFenAuto(35_249_999_999)).toBe('3.52亿元');
    expect(formatFenAuto(35_250_000_000)).toBe('3.53亿元');
  });

  it('divRound rounds half away from zero', () => {
    expect(divRound(5, 2)).toBe(3);
    expect(divRound(-5, 2)).toBe(-3);
    expect(divRound(4, 3)).toBe(1);
    expect(divRound(7, -2)).toBe(-4);
  });
});
