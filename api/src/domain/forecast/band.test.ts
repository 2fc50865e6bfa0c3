/**
 * The forecast under volume response: hand-computed rows, and property tests of the identities the band must keep
 * (fast-check on random scenarios and random assumption ranges).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impactItemArb } from '../pricing/arbitraries.test-support';
import { analyzeImpact } from '../pricing/impact';
import { FORECAST_DEFAULTS, recognitionWeight, resolveAssumptions, type ForecastAssumptions, type Range } from './assumptions';
import { forecastImpact, recognitionMarker, type Band, type ForecastInput, type ForecastResult, type ForecastRow } from './band';
import { SeededRandom } from './random';
import { volumeTrend } from './trend';

const point = (x: number): Range => ({ lo: x, hi: x });
const NONE: Partial<ForecastAssumptions> = { elasticity: point(0), recognition: point(0), trend: 'none', draws: 200 };

function run(rows: ForecastRow[], a: Partial<ForecastAssumptions>, extra: Partial<ForecastInput> = {}): ForecastResult {
  const assumptions = resolveAssumptions(a);
  return forecastImpact(
    { rows, assumptions, baseYear: 2023, year: assumptions.year ?? 2024, trendGrowth: new Map(), limits: { totalFen: null, fundCapFen: null }, ...extra },
    recognitionMarker(assumptions),
  );
}

const flat = (b: Band) => [b.minFen, b.p10Fen, b.p50Fen, b.p90Fen, b.maxFen];

describe('forecast: hand-computed rows', () => {
  // 护理 item 100 → 120 fen, 1,000 a year, the fund pays half
  const raise: ForecastRow = { itemCode: 'N1', categoryCode: 'nursing', level: 3, oldPriceFen: 100, newPriceFen: 120, quantity: 1000, fundShare: 0.5 };
  // CT 20,000 → 16,000 fen, 500 a year, fund 52%
  const cut: ForecastRow = { itemCode: 'C1', categoryCode: 'imaging', level: 3, oldPriceFen: 20_000, newPriceFen: 16_000, quantity: 500, fundShare: 0.52 };

  it('a point elasticity of −0.2: net = ΔP·Q + ε·(ΔP/P⁰)·P¹·Q, the fund half of it', () => {
    // 20·1000 + (−0.2)(0.2)(120)(1000) = 20,000 − 4,800 = 15,200 fen; fund 10,000 − 2,400 = 7,600
    const r = run([raise], { ...NONE, elasticity: point(-0.2) });
    expect(flat(r.total.net)).toEqual([15_200, 15_200, 15_200, 15_200, 15_200]);
    expect(flat(r.total.fund)).toEqual([7_600, 7_600, 7_600, 7_600, 7_600]);
    expect(flat(r.total.outOfPocket)).toEqual([7_600, 7_600, 7_600, 7_600, 7_600]);
    expect(r.total.static).toEqual({ netFen: 20_000, fundFen: 10_000, outOfPocketFen: 10_000 });
  });

  it('a cut raises the volume: −4,000·500 + (−0.2)(−0.2)(16,000)(500) = −2,000,000 + 320,000', () => {
    const r = run([cut], { ...NONE, elasticity: point(-0.2), recognitionCategories: [] });
    expect(r.total.net.p50Fen).toBe(-1_680_000);
    // fund: round(−2,000,000 × 0.52) + 0.52 × 320,000 = −1,040,000 + 166,400
    expect(r.total.fund.p50Fen).toBe(-873_600);
  });

  it('recognition of 5% at full weight takes 5% off the marked row, and frees 5% of its spending at the new price', () => {
    // imaging is marked by default; 2027 has weight 1: −2,000,000 × 0.95 = −1,900,000; freed 0.05 × 16,000 × 500
    const r = run([cut], { ...NONE, recognition: point(0.05), year: 2027 });
    expect(r.recognitionWeight).toBe(1);
    expect(r.total.net.p50Fen).toBe(-1_900_000);
    expect(r.recognitionSavings.net.p50Fen).toBe(400_000);
    expect(r.recognitionSavings.fund.p50Fen).toBe(208_000);
    // 2025: the city milestone, ⅔ of it: −2,000,000 × (1 − 0.05 × ⅔)
    const city = run([cut], { ...NONE, recognition: point(0.05), year: 2025 });
    expect(city.total.net.p50Fen).toBe(-1_933_333);
    // before the milestones nothing
    expect(run([cut], { ...NONE, recognition: point(0.05), year: 2024 }).total.net.p50Fen).toBe(-2_000_000);
    // a row that is not marked is not reduced
    expect(run([raise], { ...NONE, recognition: point(0.05), year: 2027 }).total.net.p50Fen).toBe(20_000);
  });

  it('trend growth of 10% a year compounds over the horizon', () => {
    const growth = new Map([['nursing', 0.1]]);
    const r = run([raise], { ...NONE, trend: 'history', year: 2025 }, { trendGrowth: growth });
    // 20,000 × 1.1² = 24,200
    expect(r.horizon).toBe(2);
    expect(r.total.noResponse.netFen).toBe(24_200);
    expect(flat(r.total.net)).toEqual([24_200, 24_200, 24_200, 24_200, 24_200]);
    expect(r.byYear.map((y) => y.net.p50Fen)).toEqual([24_200, 26_620, 29_282, 32_210, 35_431]);
  });

  it('a range gives the exact interval at its ends and the percentiles between them', () => {
    // net(ε) = 20,000 + ε × 24,000, ε in [−0.3, −0.1]: [12,800, 17,600], the middle −0.2 gives 15,200
    const r = run([raise], { ...NONE, elasticity: { lo: -0.3, hi: -0.1 }, draws: 2000 });
    expect(r.total.net.minFen).toBe(12_800);
    expect(r.total.net.maxFen).toBe(17_600);
    expect(r.total.net.p50Fen).toBe(15_200);
    // uniform ε: P10 and P90 near the 10% and 90% points of the interval, 13,280 and 17,120
    expect(Math.abs(r.total.net.p10Fen - 13_280)).toBeLessThan(150);
    expect(Math.abs(r.total.net.p90Fen - 17_120)).toBeLessThan(150);
    // antithetic draws: P10 and P90 symmetric about the middle (to the fen, after rounding)
    expect(Math.abs(r.total.net.p10Fen + r.total.net.p90Fen - 2 * 15_200)).toBeLessThanOrEqual(1);
  });

  it('checks the band against the total and the fund cap', () => {
    const r = run([raise], { ...NONE, elasticity: { lo: -0.3, hi: -0.1 }, draws: 2000 }, { limits: { totalFen: 15_200, fundCapFen: 100_000 } });
    const budget = r.checks.find((c) => c.code === 'FORECAST.OVER_BUDGET')!;
    // net ≤ 15,200 exactly when ε ≤ −0.2: half the draws
    expect(budget.shareWithin).toBeCloseTo(0.5, 2);
    expect(budget.staticWithin).toBe(false);
    expect(budget.worstWithin).toBe(false);
    expect(budget.sentenceZh).toBe('50%的抽样中净调价金额不超过调价总量。');
    const fund = r.checks.find((c) => c.code === 'FORECAST.FUND_CAP')!;
    expect(fund).toMatchObject({ shareWithin: 1, staticWithin: true, worstWithin: true });
    expect(fund.sentenceZh).toBe('100%的抽样中基金增支不超过基金承受能力上限，假设区间内最不利情形也不超过。');
  });

  it('rejects assumptions out of range with the field and a Chinese message', () => {
    expect(() => resolveAssumptions({ elasticity: { lo: -0.1, hi: -0.3 } })).toThrow('elasticity: 价格弹性区间下限不能大于上限');
    expect(() => resolveAssumptions({ recognition: { lo: 0, hi: 0.9 } })).toThrow('recognition: 互认减少比例应在 0 至 0.5 之间');
    expect(() => resolveAssumptions({ draws: 1001 })).toThrow('draws: 抽样次数应为偶数');
    expect(() => resolveAssumptions({ elasticityByCategory: { nosuch: point(0) } })).toThrow('elasticityByCategory.nosuch: 类别代码不存在');
  });

  it('the milestone weights of 检查检验结果互认', () => {
    expect([2024, 2025, 2026, 2027, 2030].map((y) => recognitionWeight(FORECAST_DEFAULTS.recognitionYears, y))).toEqual([0, 2 / 3, 2 / 3, 1, 1]);
  });
});

describe('forecast: trend from the loaded history', () => {
  it('is the Laspeyres growth of the category at the current prices, per year', () => {
    const rows = [
      { itemCode: 'A', categoryCode: 'nursing', level: 3 as const, priceFen: 100 },
      { itemCode: 'B', categoryCode: 'nursing', level: 2 as const, priceFen: 300 },
      { itemCode: 'C', categoryCode: 'lab', level: 3 as const, priceFen: 50 },
    ];
    const vols = [
      { itemCode: 'A', level: 3, year: 2021, quantity: 1000 },
      { itemCode: 'B', level: 2, year: 2021, quantity: 100 },
      { itemCode: 'A', level: 3, year: 2023, quantity: 1210 },
      { itemCode: 'B', level: 2, year: 2023, quantity: 121 },
      { itemCode: 'C', level: 3, year: 2023, quantity: 10 },
    ];
    const t = volumeTrend(rows, vols, 2023);
    // (1210·100 + 121·300) ÷ (1000·100 + 100·300) = 1.21 over two years: 10% a year
    expect(t[0]).toMatchObject({ categoryCode: 'nursing', fromYear: 2021, toYear: 2023, fromValueFen: 130_000, toValueFen: 157_300, rowCount: 2 });
    expect(t[0].growth).toBeCloseTo(0.1, 12);
    expect(t[1]).toMatchObject({ categoryCode: 'lab', growth: 0, noteZh: '2021 年与 2023 年没有共同的项目服务量，不计趋势增长' });
    expect(volumeTrend(rows, vols.filter((v) => v.year === 2023), 2023)[0].noteZh).toBe('只有基期 2023 年一年的服务量，不计趋势增长');
  });
});

describe('forecast: seeded random numbers', () => {
  it('are the same for the same seed and in [0, 1)', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a.uniform());
    expect(Array.from({ length: 1000 }, () => b.uniform())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new SeededRandom(43).uniform()).not.toBe(xs[0]);
    // the mean of 1,000 uniforms is near ½
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});

// ---- properties

const rowArb: fc.Arbitrary<ForecastRow> = impactItemArb.map((x) => ({
  itemCode: x.itemCode,
  categoryCode: x.categoryCode,
  level: x.level,
  oldPriceFen: x.oldPriceFen,
  newPriceFen: x.newPriceFen,
  quantity: x.quantity,
  fundShare: x.fundShare,
}));
// distinct (item, level) rows, as a scenario's rows are
const rowsArb = fc.uniqueArray(rowArb, { maxLength: 40, selector: (r) => `${r.itemCode}|${r.level}` });

/** A range of at most 4 decimals within [min, max], optionally forced to contain 0. */
const rangeArb = (min: number, max: number, withZero: boolean): fc.Arbitrary<Range> =>
  fc.tuple(fc.integer({ min: min * 10_000, max: max * 10_000 }), fc.integer({ min: min * 10_000, max: max * 10_000 })).map(([x, y]) => {
    let lo = Math.min(x, y) / 10_000;
    let hi = Math.max(x, y) / 10_000;
    if (withZero) {
      lo = Math.min(lo, 0);
      hi = Math.max(hi, 0);
    }
    return { lo: lo + 0, hi: hi + 0 };
  });

// recognition within [0.05, 0.15] unless forced to contain 0: doubled about its midpoint it stays within [0, 0.2]
const assumptionsArb = (withZero: boolean) =>
  fc.record({
    elasticity: rangeArb(-0.5, 0.5, withZero),
    nursing: rangeArb(-0.5, 0.5, withZero),
    recognition: withZero ? rangeArb(0, 0.2, true) : rangeArb(0.05, 0.15, false),
    elasticityDraw: fc.constantFrom<'common' | 'independent'>('common', 'independent'),
    year: fc.integer({ min: 2023, max: 2029 }),
    seed: fc.integer({ min: 0, max: 1000 }),
  }).map((x): Partial<ForecastAssumptions> => ({
    elasticity: x.elasticity,
    elasticityByCategory: { nursing: x.nursing },
    recognition: x.recognition,
    elasticityDraw: x.elasticityDraw,
    year: x.year,
    seed: x.seed,
    draws: 200,
    fanYears: 2,
  }));

const groupsOf = (r: ForecastResult) => [r.total, ...r.byCategory, ...r.byLevel];
const bandsOf = (r: ForecastResult) => groupsOf(r).flatMap((g) => [g.net, g.fund, g.outOfPocket]);

describe('forecast: properties', () => {
  it('zero elasticity and zero recognition without trend reproduce the static impact exactly, overall, by category and by level', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 2023, max: 2030 }), fc.constantFrom<'common' | 'independent'>('common', 'independent'), (rows, year, draw) => {
        const r = run(rows, { ...NONE, year, elasticityDraw: draw });
        const s = analyzeImpact(rows.map((x) => ({ ...x, name: x.itemCode, family: 'mixed' as const })), null, { changeCap: null, itemShareFloor: 0 });
        expect(r.total.static).toEqual({ netFen: s.netFen, fundFen: s.fundFen, outOfPocketFen: s.outOfPocketFen });
        for (const [g, b] of [[r.total.net, s.netFen], [r.total.fund, s.fundFen], [r.total.outOfPocket, s.outOfPocketFen]] as const) expect(flat(g)).toEqual([b, b, b, b, b]);
        for (const g of [...r.byCategory, ...r.byLevel]) {
          const ref = [...s.byCategory, ...s.byLevel].find((x) => x.key === g.key)!;
          expect(flat(g.net)).toEqual(Array(5).fill(ref.netFen));
          expect(flat(g.fund)).toEqual(Array(5).fill(ref.fundFen));
        }
        expect(r.draws.netFen.every((x) => x === s.netFen)).toBe(true);
        expect(r.draws.fundFen.every((x) => x === s.fundFen)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps fund + out-of-pocket = net in every draw, and min ≤ P10 ≤ P50 ≤ P90 ≤ max', () => {
    fc.assert(
      fc.property(rowsArb, assumptionsArb(false), (rows, a) => {
        const r = run(rows, a, { trendGrowth: new Map([['lab', 0.05], ['surgery', -0.02]]) });
        for (let i = 0; i < r.draws.count; i++) {
          expect(Number.isInteger(r.draws.netFen[i]) && Number.isInteger(r.draws.fundFen[i])).toBe(true);
          expect(r.draws.fundFen[i] + r.draws.outOfPocketFen[i]).toBe(r.draws.netFen[i]);
        }
        for (const b of bandsOf(r)) {
          expect(b.minFen).toBeLessThanOrEqual(b.p10Fen);
          expect(b.p10Fen).toBeLessThanOrEqual(b.p50Fen);
          expect(b.p50Fen).toBeLessThanOrEqual(b.p90Fen);
          expect(b.p90Fen).toBeLessThanOrEqual(b.maxFen);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('contains the static figure in its exact range when every range contains zero (no trend)', () => {
    fc.assert(
      fc.property(rowsArb, assumptionsArb(true), (rows, a) => {
        const r = run(rows, { ...a, trend: 'none' });
        for (const g of groupsOf(r)) {
          for (const [b, s] of [[g.net, g.static.netFen], [g.fund, g.static.fundFen], [g.outOfPocket, g.static.outOfPocketFen]] as const) {
            expect(b.minFen).toBeLessThanOrEqual(s);
            expect(b.maxFen).toBeGreaterThanOrEqual(s);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never narrows when every range is doubled about its midpoint: the wider band contains the narrower', () => {
    const widen = (r: Range): Range => ({ lo: (3 * r.lo - r.hi) / 2, hi: (3 * r.hi - r.lo) / 2 });
    fc.assert(
      fc.property(rowsArb, assumptionsArb(false), (rows, a) => {
        const narrow = run(rows, a, { trendGrowth: new Map([['nursing', 0.03]]) });
        const wide = run(
          rows,
          {
            ...a,
            elasticity: widen(a.elasticity!),
            elasticityByCategory: { nursing: widen(a.elasticityByCategory!.nursing) },
            recognition: widen(a.recognition!),
          },
          { trendGrowth: new Map([['nursing', 0.03]]) },
        );
        const n = bandsOf(narrow);
        bandsOf(wide).forEach((w, i) => {
          expect(w.p10Fen).toBeLessThanOrEqual(n[i].p10Fen);
          expect(w.p90Fen).toBeGreaterThanOrEqual(n[i].p90Fen);
          expect(w.minFen).toBeLessThanOrEqual(n[i].minFen);
          expect(w.maxFen).toBeGreaterThanOrEqual(n[i].maxFen);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same result for the same seed', () => {
    fc.assert(
      fc.property(rowsArb, assumptionsArb(false), (rows, a) => {
        const x = run(rows, a);
        const y = run(rows, a);
        expect(y).toEqual(x);
      }),
      { numRuns: 50 },
    );
  });
});
