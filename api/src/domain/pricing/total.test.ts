import { describe, expect, it } from 'vitest';
import { formatFen } from '../money';
import { computeAdjustmentTotal, fundCapacity, type BaseItem, type TotalConfig } from './total';

// Three base rows, R₀ computed by hand:
//   A 三级 1000 fen × 5000 = 5,000,000
//   B 二级 2500 fen × 2000 = 5,000,000
//   C 一级  333 fen × 3003 =   999,999
//   R₀ = 10,999,999 fen
const baseItems: BaseItem[] = [
  { itemCode: 'A', level: 3, priceFen: 1000, quantity: 5000 },
  { itemCode: 'B', level: 2, priceFen: 2500, quantity: 2000 },
  { itemCode: 'C', level: 1, priceFen: 333, quantity: 3003 },
];

const full: TotalConfig = {
  // g = min(6%, 5%) = 5%; 10,999,999 × 0.05 = 549,999.95 → 550,000
  growth: { from: 'gdp', value: 0.06, cap: 0.05 },
  // (8% − 5%) × 100,000,000 = 3,000,000
  costControl: { targetGrowth: 0.08, actualGrowth: 0.05, baseSpendingFen: 100_000_000 },
  // 0.5 × 1,000,001 = 500,000.5 → 500,001 (half away from zero)
  procurement: { alpha: 0.5, savingsFen: 1_000_001 },
  selfFinancing: { cutsFen: 123_456 },
  // ΔF_max = min(2,000,000, (12 × 12,000,000 − 3 × 24,000,000) ÷ 15 = 4,800,000) = 2,000,000
  // max increase = ⌊2,000,000 ÷ 0.52⌋ = ⌊3,846,153.84…⌋ = 3,846,153
  fundCap: { fundShare: 0.52, currentBalanceFen: 2_000_000, accumulatedBalanceFen: 12_000_000, annualSpendingFen: 24_000_000, minReserveMonths: 3 },
};

const amount = (r: ReturnType<typeof computeAdjustmentTotal>, key: string) => r.steps.find((s) => s.key === key)!.amountFen;

describe('adjustment total (调价总量) waterfall', () => {
  it('computes every step of the hand example', () => {
    const r = computeAdjustmentTotal({ baseItems, config: full });
    expect(r.steps.map((s) => s.key)).toEqual(['base', 'growth', 'costControl', 'procurement', 'selfFinancing', 'subtotal', 'fundCap', 'total']);
    expect(r.baseFen).toBe(10_999_999);
    expect(r.baseByLevelFen).toEqual({ 3: 5_000_000, 2: 5_000_000, 1: 999_999 });
    expect(amount(r, 'growth')).toBe(550_000);
    expect(r.growthRate).toBe(0.05);
    expect(amount(r, 'costControl')).toBe(3_000_000);
    expect(amount(r, 'procurement')).toBe(500_001);
    expect(amount(r, 'selfFinancing')).toBe(123_456);
    // subtotal = 550,000 + 3,000,000 + 500,001 + 123,456 = 4,173,457
    expect(amount(r, 'subtotal')).toBe(4_173_457);
    // binding: 3,846,153 − 4,173,457 = −327,304
    expect(amount(r, 'fundCap')).toBe(-327_304);
    expect(r.bindingCap).toBe(true);
    expect(r.maxIncreaseFen).toBe(3_846_153);
    expect(r.totalFen).toBe(3_846_153);
    expect(amount(r, 'total')).toBe(3_846_153);
    const cap = r.steps.find((s) => s.key === 'fundCap')!;
    expect(cap.inputs.limitedBy).toBe('currentBalance');
    expect(cap.inputs.reserveMonthsBefore).toBe(6); // 12 × 12,000,000 ÷ 24,000,000
    // ΔF = round(3,846,153 × 0.52) = round(1,999,999.56) = 2,000,000 → 12 × 10,000,000 ÷ 26,000,000
    expect(cap.inputs.reserveMonthsAfter).toBeCloseTo(120 / 26, 12);
    expect(r.steps.find((s) => s.key === 'growth')!.formulaZh).toContain('受上限约束');
  });

  it('the component and cap steps sum to the total; the base is shown but not summed', () => {
    const r = computeAdjustmentTotal({ baseItems, config: full });
    const sum = r.steps.filter((s) => s.kind === 'component' || s.kind === 'cap').reduce((a, s) => a + s.amountFen, 0);
    expect(sum).toBe(r.totalFen);
  });

  it('a capped total stays affordable: fund after the round keeps balance ≥ 0 and reserve ≥ minimum', () => {
    const r = computeAdjustmentTotal({ baseItems, config: full });
    const dF = Math.round(r.totalFen * 0.52); // no half case here
    expect(2_000_000 - dF).toBeGreaterThanOrEqual(0);
    expect((12 * (12_000_000 - dF)) / (24_000_000 + dF)).toBeGreaterThanOrEqual(3);
  });

  it('a non-binding cap leaves the subtotal unchanged', () => {
    const r = computeAdjustmentTotal({
      baseItems,
      config: { ...full, fundCap: { fundShare: 0.5, currentBalanceFen: 1e9, accumulatedBalanceFen: 1e10, annualSpendingFen: 1e10, minReserveMonths: 6 } },
    });
    expect(r.bindingCap).toBe(false);
    expect(amount(r, 'fundCap')).toBe(0);
    expect(r.totalFen).toBe(4_173_457);
  });

  it('the reserve-months condition can be the binding one', () => {
    // (12 × 10,000,000 − 6 × 19,000,000) ÷ 18 = 6,000,000 ÷ 18 = 333,333.3 → 333,333; ÷ 0.5 → 666,666
    const c = fundCapacity({ fundShare: 0.5, currentBalanceFen: 1e9, accumulatedBalanceFen: 10_000_000, annualSpendingFen: 19_000_000, minReserveMonths: 6 });
    expect(c).toMatchObject({ maxFundIncreaseFen: 333_333, maxIncreaseFen: 666_666, limitedBy: 'reserveMonths' });
  });

  it('a fund in deficit allows no net increase', () => {
    const r = computeAdjustmentTotal({ baseItems, config: { ...full, fundCap: { ...full.fundCap!, currentBalanceFen: -1 } } });
    expect(r.maxIncreaseFen).toBe(0);
    expect(r.totalFen).toBe(0);
    expect(r.bindingCap).toBe(true);
  });

  it('cost control works both ways: 控费好则调价总量大，控费弱则调价总量少', () => {
    const cfg = (actualGrowth: number, penaltyWeight?: number): TotalConfig => ({
      growth: { rate: 0 },
      costControl: { targetGrowth: 0.08, actualGrowth, baseSpendingFen: 100_000_000, penaltyWeight },
    });
    // under target: (8% − 5%) × 1e8 = +3,000,000
    expect(computeAdjustmentTotal({ baseItems, config: cfg(0.05) }).totalFen).toBe(3_000_000);
    // over target: (8% − 10%) × 1e8 = −2,000,000
    expect(computeAdjustmentTotal({ baseItems, config: cfg(0.1) }).totalFen).toBe(-2_000_000);
    // half penalty
    expect(computeAdjustmentTotal({ baseItems, config: cfg(0.1, 0.5) }).totalFen).toBe(-1_000_000);
    // one-sided reading max(0, target − actual)
    expect(computeAdjustmentTotal({ baseItems, config: cfg(0.1, 0) }).totalFen).toBe(0);
    const step = computeAdjustmentTotal({ baseItems, config: cfg(0.1) }).steps.find((s) => s.key === 'costControl')!;
    expect(step.inputs.direction).toBe('penalty');
    expect(step.formulaZh).toContain('控费弱');
  });

  it('procurement room uses exact decimals: 0.7 × 45 fen = 31.5 → 32 (float: 31.499… → 31)', () => {
    const r = computeAdjustmentTotal({ baseItems, config: { growth: { rate: 0 }, procurement: { alpha: 0.7, savingsFen: 45 } } });
    expect(amount(r, 'procurement')).toBe(32);
  });

  it('unconfigured components are present with amount 0', () => {
    const r = computeAdjustmentTotal({ baseItems, config: { growth: { rate: 0.05 } } });
    for (const k of ['costControl', 'procurement', 'selfFinancing', 'fundCap']) {
      const s = r.steps.find((x) => x.key === k)!;
      expect(s.enabled).toBe(false);
      expect(s.amountFen).toBe(0);
    }
    expect(r.maxIncreaseFen).toBeNull();
    expect(r.bindingCap).toBe(false);
  });

  it('a fund share of 0 sets no cap', () => {
    const r = computeAdjustmentTotal({ baseItems, config: { growth: { rate: 0.05 }, fundCap: { ...full.fundCap!, fundShare: 0 } } });
    expect(r.maxIncreaseFen).toBeNull();
    expect(r.totalFen).toBe(550_000);
  });

  it('reproduces the published pilot total of round 1: 3.52亿元 = 35,200,000,000 fen', () => {
    // R₀ = 352元 × 20,000,000 = 70.4亿元; 5% of it = 3.52亿元
    const r = computeAdjustmentTotal({
      baseItems: [{ itemCode: 'X', level: 3, priceFen: 35_200, quantity: 20_000_000 }],
      config: { growth: { rate: 0.05 } },
    });
    expect(r.baseFen).toBe(704_000_000_000);
    expect(r.totalFen).toBe(35_200_000_000);
    expect(formatFen(r.totalFen, '亿元')).toBe('3.52亿元');
    expect(r.steps.find((s) => s.key === 'growth')!.formulaZh).toBe('g = 5%；R₀ × g = 70.40亿元 × 5% = 3.52亿元');
  });

  it('rejects non-integer money and bad levels', () => {
    expect(() => computeAdjustmentTotal({ baseItems: [{ itemCode: 'A', level: 3, priceFen: 1.5, quantity: 1 }], config: { growth: { rate: 0 } } })).toThrow(RangeError);
    expect(() => computeAdjustmentTotal({ baseItems: [{ itemCode: 'A', level: 4 as 3, priceFen: 1, quantity: 1 }], config: { growth: { rate: 0 } } })).toThrow(RangeError);
    expect(() => computeAdjustmentTotal({ baseItems, config: { growth: { rate: Number.NaN } } })).toThrow(RangeError);
    expect(() => computeAdjustmentTotal({ baseItems, config: { growth: { rate: 0 }, fundCap: { ...full.fundCap!, fundShare: 1.2 } } })).toThrow(RangeError);
  });
});
