import { describe, expect, it } from 'vitest';
import { budgetNeutralFactor, scaleToTarget, type ScalingItem } from './scaling';

// Proposal computed by hand: A +200 × 3, B −100 × 2, C +300 × 1, D unchanged → Σ ΔP·Q = 600 − 200 + 300 = 700
const proposal: ScalingItem[] = [
  { oldPriceFen: 1000, newPriceFen: 1200, quantity: 3 },
  { oldPriceFen: 500, newPriceFen: 400, quantity: 2 },
  { oldPriceFen: 2000, newPriceFen: 2300, quantity: 1 },
  { oldPriceFen: 800, newPriceFen: 800, quantity: 10 },
];
const prices = (r: ReturnType<typeof scaleToTarget>) => r.rows.map((x) => x.newPriceFen);

describe('scaling to a target', () => {
  it('f = 350 / 700 = 1/2 halves every change exactly', () => {
    const r = scaleToTarget(proposal, 350);
    expect(r.factorFraction).toEqual({ numerator: 1, denominator: 2 });
    expect(r.factor).toBe(0.5);
    expect(prices(r)).toEqual([1100, 450, 2150, 800]);
    expect(r).toMatchObject({ status: 'exact', exact: true, achievedNetFen: 350, gapFen: 0, proposedNetFen: 700, maxCorrectionFen: 0 });
    expect(r.rows[3].scaled).toBe(false);
  });

  it('f = 351 / 700: rounding leaves 1 fen, taken by the only row whose quantity fits (C, Q = 1)', () => {
    // A 200 × 351/700 = 100.29 → 100; B −100 × 351/700 = −50.14 → −50; C 300 × 351/700 = 150.43 → 150
    // net 300 − 100 + 150 = 350; residual 1: A (Q 3) and B (Q 2) do not fit, C (Q 1) gets +1 fen
    const r = scaleToTarget(proposal, 351);
    expect(prices(r)).toEqual([1100, 450, 2151, 800]);
    expect(r.rows.map((x) => x.correctionFen)).toEqual([0, 0, 1, 0]);
    expect(r.achievedNetFen).toBe(351);
    expect(r.status).toBe('exact');
  });

  it('not reachable when every quantity is even and the residual is odd', () => {
    // A +200 × 2, B −100 × 2: Σ = 200, target 101 → f = 101/200
    // A 200 × 101/200 = 101; B −100 × 101/200 = −50.5 → −51 (half away from zero); net 202 − 102 = 100
    // residual 1, gcd(2, 2) = 2 does not divide it: no whole-fen prices reach 101
    const r = scaleToTarget(
      [
        { oldPriceFen: 1000, newPriceFen: 1200, quantity: 2 },
        { oldPriceFen: 500, newPriceFen: 400, quantity: 2 },
      ],
      101,
    );
    expect(r).toMatchObject({ status: 'not-divisible', exact: false, achievable: false, quantityGcd: 2, achievedNetFen: 100, gapFen: 1 });
    expect(prices(r)).toEqual([1101, 449]);
    expect(r.noteZh).toContain('最大公约数为 2');
  });

  it('reaches the target exactly through a combination when no quantity fits the residual', () => {
    // A +100 × 3, B +100 × 5: Σ = 800, target 401 → both 50.125 → 50; net 400; residual 1
    // residues mod 3: one move −5 (≡ 1 mod 3), then (1 − (−5)) / 3 = 2 fen on A: 2 × 3 − 5 = 1
    const r = scaleToTarget(
      [
        { oldPriceFen: 1000, newPriceFen: 1100, quantity: 3 },
        { oldPriceFen: 1000, newPriceFen: 1100, quantity: 5 },
      ],
      401,
    );
    expect(prices(r)).toEqual([1052, 1049]);
    expect(r).toMatchObject({ status: 'exact', achievedNetFen: 401, maxCorrectionFen: 2 });
  });

  it("scope 'increases' keeps the cuts and scales the raises", () => {
    // raises 600, cuts 200: f = (100 + 200) / 600 = 1/2
    const r = scaleToTarget(proposal.slice(0, 2), 100, { scope: 'increases' });
    expect(prices(r)).toEqual([1100, 400]);
    expect(r.achievedNetFen).toBe(100);
  });

  it("scope 'prices' is the Medicare budget-neutral factor R₀ ÷ R₁ at target 0", () => {
    // R₀ = 3000 + 1000 = 4000, R₁ = 3600 + 800 = 4400, f = 10/11
    // A 1200 × 10/11 = 1090.9 → 1091; B 400 × 10/11 = 363.6 → 364; net 91 × 3 − 136 × 2 = 1
    // residual −1: moves mod 2 → +3 on A, then (−1 − 3) / 2 = −2 fen on B: 3 − 4 = −1
    const items = proposal.slice(0, 2);
    expect(budgetNeutralFactor(items)).toEqual({ factor: 10 / 11, numerator: 10, denominator: 11 });
    const r = scaleToTarget(items, 0, { scope: 'prices' });
    expect(r.factorFraction).toEqual({ numerator: 10, denominator: 11 });
    expect(prices(r)).toEqual([1092, 362]);
    expect(r.achievedNetFen).toBe(0);
  });

  it('a negative factor would reverse every change: nothing is scaled', () => {
    const r = scaleToTarget(proposal, -100);
    expect(r.status).toBe('negative-factor');
    expect(prices(r)).toEqual(proposal.map((x) => x.newPriceFen));
    expect(r.gapFen).toBe(-800);
  });

  it('nothing to scale when the proposal changes nothing', () => {
    const same = [{ oldPriceFen: 100, newPriceFen: 100, quantity: 5 }];
    expect(scaleToTarget(same, 10).status).toBe('nothing-to-scale');
    expect(scaleToTarget(same, 0).status).toBe('exact');
  });

  it('a price scaled below 0 is set to 0 and the residual goes elsewhere', () => {
    // cut −50 and raise +300, Σ = 250; target 750 → f = 3: cut −150 on a 100-fen price → below 0, fixed at 0 (−100)
    // solved again over the raise: f = (750 + 100) / 300 = 17/6 → +850 → 1850; net −100 + 850 = 750
    const r = scaleToTarget(
      [
        { oldPriceFen: 100, newPriceFen: 50, quantity: 1 },
        { oldPriceFen: 1000, newPriceFen: 1300, quantity: 1 },
      ],
      750,
    );
    expect(prices(r)).toEqual([0, 1850]);
    expect(r.rows[0].clampedToZero).toBe(true);
    expect(r.factorFraction).toEqual({ numerator: 17, denominator: 6 });
    expect(r.maxCorrectionFen).toBe(0);
    expect(r.achievedNetFen).toBe(750);
  });

  it('a cut fixed at 0 with a residual: the correction goes the way prices allow', () => {
    // +50 × 102 and −50 × 4: Σ 4900; target 765,854 → f ≈ 156 takes the cut below 0 → fixed at 0 (−20,000),
    // f = 785,854 / 5,100; the raise rounds to 7,704 → net 765,808, residual 46, gcd(102, 4) = 2 divides it.
    // The shortest correction would lower the 0-priced row; the one applied raises it instead.
    const r = scaleToTarget(
      [
        { oldPriceFen: 5000, newPriceFen: 5050, quantity: 102 },
        { oldPriceFen: 5000, newPriceFen: 4950, quantity: 4 },
      ],
      765_854,
    );
    expect(r.status).toBe('exact');
    expect(r.rows[0].clampedToZero === false && r.rows[1].clampedToZero).toBe(true);
    expect(r.rows.every((x) => x.newPriceFen >= 0)).toBe(true);
    expect(r.rows.reduce((a, x) => a + x.deltaFen * x.quantity, 0)).toBe(765_854);
  });

  it('reports a search bound instead of running long', () => {
    const r = scaleToTarget(
      [
        { oldPriceFen: 1000, newPriceFen: 1100, quantity: 3 },
        { oldPriceFen: 1000, newPriceFen: 1100, quantity: 5 },
      ],
      401,
      { searchLimit: 2 },
    );
    expect(r.status).toBe('search-limit');
    expect(r.achievable).toBe(true);
    expect(r.gapFen).toBe(1);
  });
});
