import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapExceeds, monthlyMonitoring } from './monthly';

const months = (m: Record<number, number>) => new Map(Object.entries(m).map(([k, v]) => [Number(k), v]));

describe('monthly monitoring', () => {
  it('forecast = ΔP × Q_base ÷ 12 per month, actual = ΔP × Q_month (hand-computed)', () => {
    // A: ΔP +100, Q_base 1200 → 100×1200÷12 = 10,000 a month; January 90 → 9,000, February 130 → 13,000
    // B: ΔP −50, Q_base 600 → −2,500 a month; January 60 → −3,000, February 0 → 0
    const r = monthlyMonitoring(
      [
        { categoryCode: 'nursing', deltaFen: 100, baseQuantity: 1200, monthQuantity: months({ 1: 90, 2: 130 }) },
        { categoryCode: 'lab', deltaFen: -50, baseQuantity: 600, monthQuantity: months({ 1: 60 }) },
      ],
      [1, 2],
    );
    expect(r.total[0]).toMatchObject({ month: 1, reported: true, forecastFen: 7500, actualFen: 6000, gapFen: -1500, forecastQuantity: 150, actualQuantity: 150 });
    expect(r.total[0].gapRate).toBeCloseTo(-0.2, 12);
    expect(r.total[1]).toMatchObject({ month: 2, forecastFen: 7500, actualFen: 13000, gapFen: 5500, actualQuantity: 130 });
    expect(r.total[1].gapRate).toBeCloseTo(5500 / 7500, 12);
    // March is not reported: no actual, no gap
    expect(r.total[2]).toEqual({ month: 3, reported: false, forecastFen: 7500, actualFen: null, gapFen: null, gapRate: null, forecastQuantity: 150, actualQuantity: null });
    expect(r.byCategory.map((g) => [g.key, g.points[0].forecastFen, g.points[0].actualFen])).toEqual([['nursing', 10000, 9000], ['lab', -2500, -3000]]);
    expect(r.total).toHaveLength(12);
  });

  it('rounds the forecast once, half away from zero, after the exact sum', () => {
    // 7 × 1 ÷ 12 = 0.583… → 1 fen; −7 → −1; volumes 1 ÷ 12 = 0.0833… → 0.08
    const up = monthlyMonitoring([{ categoryCode: 'x', deltaFen: 7, baseQuantity: 1, monthQuantity: months({}) }], []);
    expect(up.total[0].forecastFen).toBe(1);
    expect(up.total[0].forecastQuantity).toBe(0.08);
    const down = monthlyMonitoring([{ categoryCode: 'x', deltaFen: -7, baseQuantity: 1, monthQuantity: months({}) }], []);
    expect(down.total[0].forecastFen).toBe(-1);
    // 6 × 1 ÷ 12 = 0.5 → 1
    expect(monthlyMonitoring([{ categoryCode: 'x', deltaFen: 6, baseQuantity: 1, monthQuantity: months({}) }], []).total[0].forecastFen).toBe(1);
  });

  it('the categories add up to the total in every reported month', () => {
    const change = fc.record({
      categoryCode: fc.constantFrom('a', 'b', 'c'),
      deltaFen: fc.integer({ min: -100_000, max: 100_000 }),
      baseQuantity: fc.integer({ min: 0, max: 1_000_000 }),
      monthQuantity: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 12, maxLength: 12 }).map((xs) => new Map(xs.map((q, i) => [i + 1, q]))),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 20 }), (cs) => {
        const r = monthlyMonitoring(cs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        for (let m = 0; m < 12; m++) {
          expect(r.byCategory.reduce((s, g) => s + g.points[m].actualFen!, 0)).toBe(r.total[m].actualFen);
        }
      }),
    );
  });

  it('flags a gap beyond the threshold either way, never an unreported month', () => {
    expect(gapExceeds({ gapRate: 0.15 }, 0.1)).toBe(true);
    expect(gapExceeds({ gapRate: -0.15 }, 0.1)).toBe(true);
    expect(gapExceeds({ gapRate: 0.1 }, 0.1)).toBe(false);
    expect(gapExceeds({ gapRate: null }, 0)).toBe(false);
  });
});
