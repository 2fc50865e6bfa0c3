/**
 * Patient burden per insurance layer: one stay through each layer by hand, the stay-cost distribution, and the
 * identity that the parts add up to the cost (and its change) to the fen, as property tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HospitalLevel } from '../reference';
import { calibrateInpatientRate, patientBurden, STAY_MEAN_2023_FEN, type BurdenAssumptions } from './burden';
import { lognormalNodes, normalQuantile } from './distribution';
import { criticalPayment, partsSum, splitOutpatientYear, splitStay, type Parts } from './layers';
import type { InsurancePolicy } from './policy';

const yuan = (x: number) => Math.round(x * 100);

/** A resident-insurance policy of the usual shape (amounts in 元 below). */
const POLICY: InsurancePolicy = {
  regionCode: '320500',
  scheme: 'resident',
  validFrom: '2022-01-01',
  inpatient: { deductibleFen: { 3: yuan(1000), 2: yuan(600), 1: yuan(300) }, rate: { 3: 0.6, 2: 0.7, 1: 0.8 }, ceilingFen: yuan(200_000) },
  outpatient: { deductibleFen: yuan(100), rate: 0.5, ceilingFen: yuan(500) },
  critical: {
    thresholdFen: yuan(15_000),
    bands: [{ fromFen: 0, rate: 0.6 }, { fromFen: yuan(100_000), rate: 0.7 }],
    ceilingFen: yuan(400_000),
    assisted: { thresholdFen: yuan(7_500), rateUplift: 0.05, noCeiling: true },
  },
  assistance: { deductibleFen: 0, rate: 0.7, ceilingFen: yuan(60_000) },
  huiminbao: null,
};

const parts = (cost: number, basic: number, critical: number, assistance: number, self: number, hmb: number | null = null): Parts => ({
  costFen: yuan(cost), basicFen: yuan(basic), criticalFen: yuan(critical), huiminbaoFen: hmb === null ? null : yuan(hmb), assistanceFen: yuan(assistance), selfPaidFen: yuan(self),
});

describe('one stay through the layers (三级, 起付线 1,000元, 60%, 封顶线 20万元; 大病 15,000元, 60% / 70% above 10万元)', () => {
  const stay = (cost: number, kind: 'ordinary' | 'assisted' = 'ordinary', p = POLICY) => splitStay(yuan(cost), 3, p, 0.6, kind);

  it('below the deductible: the patient pays all', () => {
    expect(stay(800)).toEqual(parts(800, 0, 0, 0, 800));
  });

  it('between the deductible and the 大病 threshold: 60% of the cost above 1,000元', () => {
    // 0.6 × 9,000 = 5,400; the patient's 4,600 stays under 15,000
    expect(stay(10_000)).toEqual(parts(10_000, 5_400, 0, 0, 4_600));
  });

  it('above the 大病 threshold: 大病保险 pays 60% of the self-paid cost above 15,000元', () => {
    // basic 0.6 × 49,000 = 29,400; self 20,600, of which 5,600 above the threshold: 3,360
    expect(stay(50_000)).toEqual(parts(50_000, 29_400, 3_360, 0, 17_240));
  });

  it('an assistance recipient: half the threshold, 5 points more, then 医疗救助 70% of the rest', () => {
    // excess 20,600 − 7,500 = 13,100 at 65% = 8,515; rest 12,085, of which 70% = 8,459.50
    expect(stay(50_000, 'assisted')).toEqual(parts(50_000, 29_400, 8_515, 8_459.5, 3_625.5));
  });

  it('above the basic ceiling: the fund stops at 20万元, 大病保险 pays by bands', () => {
    // basic min(200,000, 0.6 × 499,000); excess 285,000: 0.6 × 100,000 + 0.7 × 185,000 = 189,500
    expect(stay(500_000)).toEqual(parts(500_000, 200_000, 189_500, 0, 110_500));
  });

  it('above the 大病 ceiling: 40万元 at most, except for an assistance recipient (no ceiling), whose 医疗救助 stops at 6万元', () => {
    expect(stay(1_500_000)).toEqual(parts(1_500_000, 200_000, 400_000, 0, 900_000));
    // excess 1,292,500: 0.65 × 100,000 + 0.75 × 1,192,500 = 959,375; rest 340,625, 医疗救助 min(60,000, 238,437.50)
    expect(stay(1_500_000, 'assisted')).toEqual(parts(1_500_000, 200_000, 959_375, 60_000, 280_625));
  });

  it('惠民保 pays after 大病保险 and before 医疗救助', () => {
    const p: InsurancePolicy = { ...POLICY, huiminbao: { deductibleFen: yuan(20_000), rate: 0.8, ceilingFen: yuan(1_000_000) } };
    // after basic 200,000 and 大病 189,500 the patient has 110,500; 惠民保 0.8 × 90,500 = 72,400
    expect(stay(500_000, 'ordinary', p)).toEqual(parts(500_000, 200_000, 189_500, 0, 38_100, 72_400));
  });

  it('rounds each payment once, half away from zero, to the fen', () => {
    // 0.6 × (1,000.01 元 above the deductible) = 600.006 元 → 600.01 元
    expect(splitStay(yuan(2000.01), 3, POLICY, 0.6, 'ordinary').basicFen).toBe(60_001);
    expect(criticalPayment(3, [{ fromFen: 0, rate: 0.5 }])).toBe(2);
  });

  it('a year of outpatient visits: 门诊统筹 50% above 100元, at most 500元; nothing from the other layers', () => {
    expect(splitOutpatientYear(yuan(6 * 329), POLICY, 0.52, false)).toEqual(parts(1_974, 500, 0, 0, 1_474));
    expect(splitOutpatientYear(yuan(600), POLICY, 0.52, false)).toEqual(parts(600, 250, 0, 0, 350));
    // without an outpatient policy: the 医保支付比例表's share of the whole cost
    expect(splitOutpatientYear(yuan(600), { ...POLICY, outpatient: null }, 0.52, false)).toEqual(parts(600, 312, 0, 0, 288));
  });
});

describe('the stay-cost distribution', () => {
  it('Φ⁻¹ matches known quantiles', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
  });

  it('lognormal nodes have the calibrated mean and the lognormal median', () => {
    const xs = lognormalNodes({ meanFen: STAY_MEAN_2023_FEN[3], sigma: 0.9 }, 2000);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 1_276_500)).toBeLessThan(1);
    // median e^μ = m·e^(−σ²/2) = 1,276,500 × e^(−0.405) ≈ 851,600 (within the quadrature's scaling, 1%)
    expect(Math.abs((xs[999] + xs[1000]) / 2 / (1_276_500 * Math.exp(-0.405)) - 1)).toBeLessThan(0.01);
  });

  it('calibrates the basic rate to the published fund shares (52% / 64% / 74%) with deductibles 1,000 / 600 / 300元', () => {
    const rates = ([3, 2, 1] as const).map((l) => calibrateInpatientRate({ meanFen: STAY_MEAN_2023_FEN[l], sigma: 0.9 }, [0, 0.74, 0.64, 0.52][l], POLICY.inpatient.deductibleFen[l], POLICY.inpatient.ceilingFen));
    expect(rates.map((r) => Math.round(r * 1000) / 10)).toEqual([56.4, 70.8, 82.4]);
  });
});

const ASSUMPTIONS: BurdenAssumptions = {
  stay: { 3: { meanFen: STAY_MEAN_2023_FEN[3], sigma: 0.9 }, 2: { meanFen: STAY_MEAN_2023_FEN[2], sigma: 0.9 }, 1: { meanFen: STAY_MEAN_2023_FEN[1], sigma: 0.9 } },
  visitFen: { 3: 32_900, 2: 32_900, 1: 32_900 },
  visitsPerYear: 6,
  itemShare: 0.55,
  nodes: 400,
};
const FALLBACK = { 3: 0.52, 2: 0.64, 1: 0.74 } as Record<HospitalLevel, number>;

describe('burden of a scenario per level', () => {
  it('with the calibrated rates the modelled fund pays 52% / 64% / 74% of the average stay', () => {
    const p: InsurancePolicy = { ...POLICY, inpatient: { ...POLICY.inpatient, rate: { 3: 0.564, 2: 0.708, 1: 0.824 } } };
    const r = patientBurden({ policy: p, levels: [3, 2, 1].map((l) => ({ level: l as HospitalLevel, revenueChange: 0 })), assumptions: { ...ASSUMPTIONS, nodes: 2000 }, fallbackRate: FALLBACK });
    expect(r.map((x) => Math.round(x.fundShareOfStay * 100))).toEqual([52, 64, 74]);
    // no change: every change is 0
    for (const x of r) for (const k of ['ordinary', 'assisted'] as const) expect(Object.values(x.stay[k].change).every((v) => v === 0 || v === null)).toBe(true);
  });

  it('a 2% rise of a level’s service revenue raises a stay by 1.1% (item share 55%) and splits the rise over the layers', () => {
    const [l3] = patientBurden({ policy: POLICY, levels: [{ level: 3, revenueChange: 0.02 }], assumptions: ASSUMPTIONS, fallbackRate: FALLBACK });
    expect(l3.costChange).toBeCloseTo(0.011, 12);
    const c = l3.stay.ordinary.change;
    // about 1.1% of 12,765元 ≈ 140元, most of it above the deductible: the fund pays about 60% of it
    expect(Math.abs(c.costFen - 14_042)).toBeLessThan(20);
    expect(c.basicFen / c.costFen).toBeGreaterThan(0.55);
    expect(c.basicFen / c.costFen).toBeLessThan(0.61);
    expect(l3.inpatientRateSource).toBe('policy');
    // an assistance recipient pays less of the rise than an ordinary insured person
    expect(l3.stay.assisted.change.selfPaidFen).toBeLessThan(c.selfPaidFen);
    // some stays reach 大病保险, more of them for assistance recipients
    expect(l3.stay.ordinary.criticalShareBefore).toBeGreaterThan(0.01);
    expect(l3.stay.assisted.criticalShareBefore!).toBeGreaterThan(l3.stay.ordinary.criticalShareBefore!);
    // visits: 6 × 329元 a year, 门诊统筹 at its 500元 limit already: the rise is self-paid
    expect(l3.visit.ordinary.change).toEqual({ costFen: 362, basicFen: 0, criticalFen: 0, huiminbaoFen: null, assistanceFen: 0, selfPaidFen: 362 });
  });

  const policyArb: fc.Arbitrary<InsurancePolicy> = fc
    .record({
      d: fc.tuple(fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 100_000 })),
      r: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
      ceiling: fc.integer({ min: 0, max: 50_000_000 }),
      thr: fc.integer({ min: 0, max: 5_000_000 }),
      bands: fc.uniqueArray(fc.integer({ min: 1, max: 50_000_000 }), { maxLength: 3 }),
      bandRates: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
      cCeiling: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { nil: null }),
      uplift: fc.integer({ min: 0, max: 20 }),
      noCeiling: fc.boolean(),
      aid: fc.tuple(fc.integer({ min: 0, max: 500_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 20_000_000 })),
      hmb: fc.option(fc.tuple(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 200_000_000 })), { nil: null }),
      out: fc.option(fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 500_000 })), { nil: null }),
    })
    .map((x) => ({
      regionCode: '320500',
      scheme: 'resident' as const,
      validFrom: '2022-01-01',
      inpatient: { deductibleFen: { 3: x.d[0], 2: x.d[1], 1: x.d[2] }, rate: { 3: x.r[0] / 100, 2: x.r[1] / 100, 1: x.r[2] / 100 }, ceilingFen: x.ceiling },
      outpatient: x.out && { deductibleFen: x.out[0], rate: x.out[1] / 100, ceilingFen: x.out[2] },
      critical: {
        thresholdFen: x.thr,
        bands: [0, ...[...x.bands].sort((a, b) => a - b)].map((from, i) => ({ fromFen: from, rate: x.bandRates[i] / 100 })),
        ceilingFen: x.cCeiling,
        assisted: { thresholdFen: Math.floor(x.thr / 2), rateUplift: x.uplift / 100, noCeiling: x.noCeiling },
      },
      assistance: { deductibleFen: x.aid[0], rate: x.aid[1] / 100, ceilingFen: x.aid[2] },
      huiminbao: x.hmb && { deductibleFen: x.hmb[0], rate: x.hmb[1] / 100, ceilingFen: x.hmb[2] },
    }));

  it('every split adds up to its cost, every part is non-negative', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 500_000_000 }), fc.constantFrom<HospitalLevel>(3, 2, 1), fc.constantFrom('ordinary' as const, 'assisted' as const), (p, cost, level, kind) => {
        const s = splitStay(cost, level, p, p.inpatient.rate![level], kind);
        expect(partsSum(s)).toBe(cost);
        for (const v of [s.basicFen, s.criticalFen, s.huiminbaoFen ?? 0, s.assistanceFen, s.selfPaidFen]) expect(v).toBeGreaterThanOrEqual(0);
        const o = splitOutpatientYear(cost, p, 0.5, p.huiminbao !== null);
        expect(partsSum(o)).toBe(cost);
      }),
      { numRuns: 2000 },
    );
  });

  it('the four parts of the average change add up to the change of the average cost to the fen, before and after too', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: -500, max: 2000 }), fc.integer({ min: 10, max: 100 }), (p, change, share) => {
        const r = patientBurden({
          policy: p,
          levels: [3, 2, 1].map((l) => ({ level: l as HospitalLevel, revenueChange: change / 10_000 })),
          assumptions: { ...ASSUMPTIONS, itemShare: share / 100, nodes: 60 },
          fallbackRate: FALLBACK,
        });
        for (const x of r) {
          for (const c of [x.stay.ordinary, x.stay.assisted, x.visit.ordinary, x.visit.assisted]) {
            for (const q of [c.before, c.after, c.change]) expect(partsSum(q)).toBe(q.costFen);
            expect(c.change.costFen).toBe(c.after.costFen - c.before.costFen);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
