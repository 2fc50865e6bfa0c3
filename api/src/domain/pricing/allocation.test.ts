import { describe, expect, it } from 'vitest';
import {
  allocateToCategories,
  allocateToHospitals,
  changeWithinCap,
  largestRemainder,
  maxChangeFen,
  meetsItemShareFloor,
  minAdjustedItems,
  planRound,
  priceBand,
  validateRoundParameters,
  type RoundParameters,
} from './allocation';

describe('largest remainder', () => {
  it.each([
    // equal weights and equal remainders: the earlier row gets the extra fen
    [100, [1, 1, 1], [34, 33, 33]],
    // quotas 66.67 / 33.33 → floors 66 / 33, remainders 2/3 and 1/3 → [67, 33]
    [100, [2, 1], [67, 33]],
    [10, [0.5, 0.3, 0.2], [5, 3, 2]],
    [7, [3, 3, 1], [3, 3, 1]],
    // symmetric for a negative total
    [-100, [1, 1, 1], [-34, -33, -33]],
    [0, [0, 0], [0, 0]],
    // a zero weight gets nothing
    [5, [0, 1, 1], [0, 3, 2]],
  ])('%d over %j → %j', (t, w, parts) => {
    expect(largestRemainder(t, w)).toEqual(parts);
  });

  it('ties in remainder go to the larger weight', () => {
    // quotas: 3 × 3/6 = 1.5, 3 × 2/6 = 1, 3 × 1/6 = 0.5 → floors 1, 1, 0; extra 1: remainders 0.5 (w 3) and 0.5 (w 1) → w 3
    expect(largestRemainder(3, [3, 2, 1])).toEqual([2, 1, 0]);
  });

  it('refuses a non-zero total over zero weights and negative weights', () => {
    expect(() => largestRemainder(1, [0, 0])).toThrow(RangeError);
    expect(() => largestRemainder(1, [1, -1])).toThrow(RangeError);
    expect(() => largestRemainder(1.5, [1])).toThrow(RangeError);
  });
});

describe('allocation to hospitals', () => {
  const hospitals = [
    { hospitalId: 'H1', level: 3 as const, baseRevenueFen: 6_000_000, itemCount: 1000, weight: 1 },
    { hospitalId: 'H2', level: 2 as const, baseRevenueFen: 3_000_000, itemCount: 600, weight: 2 },
    { hospitalId: 'H3', level: 1 as const, baseRevenueFen: 1_000_000, itemCount: 200, weight: 1 },
  ];

  it('by base revenue: quotas 600,000.6 / 300,000.3 / 100,000.1 → the extra fen goes to H1', () => {
    const rows = allocateToHospitals(1_000_001, hospitals);
    expect(rows.map((r) => r.amountFen)).toEqual([600_001, 300_000, 100_000]);
    expect(rows[0].weightShare).toBeCloseTo(0.6, 15);
    expect(rows[0].adjustmentRate).toBeCloseTo(600_001 / 6_000_000, 15);
    expect(rows[0].hospitalId).toBe('H1'); // fields pass through
  });

  it('by weight and by revenue × weight', () => {
    // weights 1 : 2 : 1 → 250 / 500 / 250
    expect(allocateToHospitals(1000, hospitals, 'weight').map((r) => r.amountFen)).toEqual([250, 500, 250]);
    // 6e6 : 6e6 : 1e6 → 13 parts of 1300 fen = 100 each → 600 / 600 / 100
    expect(allocateToHospitals(1300, hospitals, 'revenueTimesWeight').map((r) => r.amountFen)).toEqual([600, 600, 100]);
  });

  it('requires weights for a weighted basis', () => {
    expect(() => allocateToHospitals(100, [{ hospitalId: 'X', baseRevenueFen: 1 }], 'weight')).toThrow(RangeError);
  });
});

describe('allocation to categories', () => {
  it('by policy shares, with the labour-family amount', () => {
    // 1,000,003 × (0.4, 0.25, 0.15, 0.2) = 400,001.2 / 250,000.75 / 150,000.45 / 200,000.6
    // floors sum to 1,000,001; two extra fen to the remainders .75 (nursing) and .6 (lab)
    const r = allocateToCategories(1_000_003, [
      { categoryCode: 'surgery', share: 0.4 },
      { categoryCode: 'nursing', share: 0.25 },
      { categoryCode: 'tcm', share: 0.15 },
      { categoryCode: 'lab', share: 0.2 },
    ]);
    expect(r.rows.map((x) => x.amountFen)).toEqual([400_001, 250_001, 150_000, 200_001]);
    expect(r.rows[0]).toMatchObject({ nameZh: '手术治疗', family: 'labour' });
    expect(r.labourFen).toBe(800_002);
    expect(r.labourShare).toBeCloseTo(800_002 / 1_000_003, 15);
  });

  it('checks that shares sum to exactly 1 as decimals (0.7 + 0.2 + 0.1 is 1, although not in floating point)', () => {
    expect(0.7 + 0.2 + 0.1).toBe(0.9999999999999999);
    const ok = allocateToCategories(10, [
      { categoryCode: 'surgery', share: 0.7 },
      { categoryCode: 'nursing', share: 0.2 },
      { categoryCode: 'tcm', share: 0.1 },
    ]);
    expect(ok.rows.map((x) => x.amountFen)).toEqual([7, 2, 1]);
    expect(() => allocateToCategories(10, [{ categoryCode: 'surgery', share: 0.9 }])).toThrow(/sum to 1/);
    expect(allocateToCategories(10, [{ categoryCode: 'surgery', share: 0.9 }], { normalize: true }).rows[0].amountFen).toBe(10);
  });
});

describe('cap and floor rules', () => {
  it('minimum adjusted items is ⌈N × floor⌉, exactly (100 × 0.55 = 55, not ⌈55.00000000000001⌉ = 56)', () => {
    expect(100 * 0.55).toBe(55.00000000000001);
    expect(minAdjustedItems(100, 0.55)).toBe(55);
    expect(minAdjustedItems(10, 0.3)).toBe(3);
    expect(minAdjustedItems(1398, 0.3)).toBe(420); // 419.4 → 420
    expect(minAdjustedItems(0, 0.5)).toBe(0);
    expect(meetsItemShareFloor(3, 10, 0.3)).toBe(true);
    expect(meetsItemShareFloor(3, 10, 0.31)).toBe(false);
  });

  it('the largest change in fen is ⌊P⁰ × cap⌋', () => {
    expect(maxChangeFen(33_000, 0.3)).toBe(9_900);
    expect(maxChangeFen(999, 0.1)).toBe(99); // 99.9 → 99
    expect(priceBand(999, 0.1)).toEqual({ minFen: 900, maxFen: 1098 });
    expect(priceBand(100, 2)).toEqual({ minFen: 0, maxFen: 300 });
  });

  it('within cap, exactly at the boundary', () => {
    // B型钠尿肽测定 330 → 180元 is −45.45%
    expect(changeWithinCap(33_000, 18_000, 0.3)).toBe(false);
    expect(changeWithinCap(33_000, 18_000, 0.46)).toBe(true);
    // 糖化血红蛋白测定 88 → 30元: |−58| ≤ 88 × 0.7 = 61.6
    expect(changeWithinCap(8_800, 3_000, 0.7)).toBe(true);
    expect(changeWithinCap(1_000, 1_300, 0.3)).toBe(true);
    expect(changeWithinCap(1_000, 1_301, 0.3)).toBe(false);
    expect(changeWithinCap(0, 0, 0.3)).toBe(true);
    expect(changeWithinCap(0, 1, 0.3)).toBe(false);
  });
});

describe('round plan (调价方案)', () => {
  const params: RoundParameters = {
    poolingRegion: '乐山市',
    declareFrom: '2022-09-01',
    declareTo: '2022-09-30',
    totalFen: 35_200_000_000,
    itemShareFloor: 0.2,
    changeCap: 0.3,
    sampleFrom: '2021-01-01',
    sampleTo: '2021-12-31',
  };

  it('validates the header fields', () => {
    expect(validateRoundParameters(params)).toEqual([]);
    const bad = validateRoundParameters({ ...params, declareTo: '2022-08-01', itemShareFloor: 1.5, sampleFrom: '2021/01/01', poolingRegion: ' ' });
    expect(bad.map((i) => i.field).sort()).toEqual(['declareTo', 'itemShareFloor', 'poolingRegion', 'sampleFrom']);
  });

  it('does without 申报起止时间 and names every date field it finds wrong or empty', () => {
    expect(validateRoundParameters({ ...params, declareFrom: null, declareTo: null })).toEqual([]);
    expect(validateRoundParameters({ ...params, declareFrom: '', sampleTo: '2021-13' })).toEqual([
      { field: 'declareFrom', messageZh: '申报开始时间（declareFrom）未填写' },
      { field: 'sampleTo', messageZh: '抽样结束时间（sampleTo）日期格式应为 YYYY-MM-DD：2021-13' },
    ]);
  });

  it('allocates to hospitals with item minimums and the total in 万元', () => {
    const plan = planRound(params, [
      { hospitalId: 'H1', level: 3, baseRevenueFen: 3, itemCount: 1398 },
      { hospitalId: 'H2', level: 2, baseRevenueFen: 1, itemCount: 5 },
    ]);
    expect(plan.totalWanYuanText).toBe('35200.00万元');
    expect(plan.hospitals.map((h) => h.amountFen)).toEqual([26_400_000_000, 8_800_000_000]);
    expect(plan.hospitals.map((h) => h.minAdjustedItems)).toEqual([280, 1]); // ⌈279.6⌉, ⌈1⌉
    expect(() => planRound({ ...params, changeCap: -1 }, [])).toThrow(/changeCap/);
  });
});
