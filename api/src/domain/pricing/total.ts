/**
 * 调价总量 (adjustment total): the money a price adjustment round may move per year, built as a configurable
 * waterfall of the components in DOMAIN.md §4 ("历史基数 + 合理增长" and its adjustments).
 *
 * Steps, in order (every step is always present; an unconfigured component has amount 0 and `enabled: false`):
 *
 * | key            | kind      | amount                                                                      |
 * |----------------|-----------|-----------------------------------------------------------------------------|
 * | base           | base      | R₀ = Σ P⁰·Q (base-period service items of public hospitals). Shown, NOT summed |
 * | growth         | component | R₀ × g, g = rate, or the GDP / income / wage growth value, optionally capped |
 * | costControl    | component | (target − actual growth) × base spending × weight — positive or negative    |
 * | procurement    | component | α × 集采 savings (α may be 0: NHSA decoupled the two)                       |
 * | selfFinancing  | component | Σ|ΔP|·Q of planned cuts made outside the scenario that is checked           |
 * | subtotal       | subtotal  | growth + costControl + procurement + selfFinancing                         |
 * | fundCap        | cap       | min(0, maxAffordable − subtotal): negative only when the fund cap binds     |
 * | total          | total     | subtotal + fundCap                                                          |
 *
 * Identity: totalFen = Σ amountFen over the `component` and `cap` steps. R₀ is the base the growth is computed on;
 * the total is the room (the increase over R₀), not R₀ plus the room.
 *
 * Rounding: every component is computed exactly (rates read as decimals, see rational.ts) and rounded once to fen,
 * half away from zero; subtotal and total are sums of the rounded steps, so the waterfall adds up to the fen.
 * The one exception is the fund cap, which is a ceiling and is rounded DOWN (the largest whole-fen increase the
 * fund can bear), so the capped total is always affordable.
 *
 * Cost control links both ways (控费好则调价总量大，控费弱则调价总量少): spending growth under target adds
 * (target − actual) × base spending × rewardWeight; growth over target subtracts (actual − target) × base spending
 * × penaltyWeight. Both weights default to 1. penaltyWeight = 0 gives the one-sided reading
 * max(0, target − actual) × base spending.
 *
 * Self-financing: cuts inside the scenario already lower its net (impact.ts compares net ≤ total), so enter here
 * only cuts decided outside it (e.g. a separate 检查检验 price governance cut) — otherwise they count twice.
 *
 * Fund cap: with fund share s, an increase X costs the fund ΔF = X·s this year. Two conditions after ΔF:
 *   current balance C − ΔF ≥ 0, and reserve months 12·(A − ΔF) ÷ (S + ΔF) ≥ m
 *   (A accumulated balance, S annual spending, m minimum reserve months; spending rises and the balance falls by ΔF),
 * so ΔF ≤ ΔF_max = max(0, ⌊min(C, (12A − m·S) ÷ (12 + m))⌋) and X ≤ ⌊ΔF_max ÷ s⌋. A fund already in deficit or
 * under the reserve minimum gives a cap of 0 (no net increase). s is one average share for the round.
 *
 * A total may come out negative (a large cost-control penalty); it is reported as is.
 */
import { formatFenAuto, type Fen } from '../money';
import { HOSPITAL_LEVELS, type HospitalLevel } from '../reference';
import { assertCount, assertFen, assertFinite, assertNonNegative, assertNonNegativeFen, assertSafeSum, assertShare } from './guards';
import * as R from '../rational';

export interface BaseItem {
  itemCode: string;
  level: HospitalLevel;
  /** Current price P⁰ in fen. */
  priceFen: Fen;
  /** Base-period volume (public hospitals, service items only). */
  quantity: number;
}

export type GrowthSource = 'gdp' | 'income' | 'wage';

export type GrowthConfig =
  | { rate: number; cap?: number }
  | { from: GrowthSource; value: number; cap?: number };

export interface CostControlConfig {
  /** Spending growth target, decimal (0.08 = 8%). */
  targetGrowth: number;
  /** Actual spending growth, decimal. */
  actualGrowth: number;
  /** Base-year spending the difference applies to, fen. */
  baseSpendingFen: Fen;
  /** Multiplier when actual ≤ target (default 1). */
  rewardWeight?: number;
  /** Multiplier when actual > target (default 1; 0 = reward only). */
  penaltyWeight?: number;
}

export interface ProcurementConfig {
  alpha: number;
  savingsFen: Fen;
}

export interface SelfFinancingConfig {
  /** Σ|ΔP|·Q of planned cuts, fen (≥ 0). */
  cutsFen: Fen;
}

export interface FundCapConfig {
  /** Average share of a price change paid by the fund, decimal in [0, 1]. 0 disables the cap. */
  fundShare: number;
  currentBalanceFen: Fen;
  accumulatedBalanceFen: Fen;
  annualSpendingFen: Fen;
  minReserveMonths: number;
}

export interface TotalConfig {
  growth: GrowthConfig;
  costControl?: CostControlConfig;
  procurement?: ProcurementConfig;
  selfFinancing?: SelfFinancingConfig;
  fundCap?: FundCapConfig;
}

export interface TotalInput {
  baseItems: readonly BaseItem[];
  config: TotalConfig;
}

export type WaterfallStepKey =
  | 'base'
  | 'growth'
  | 'costControl'
  | 'procurement'
  | 'selfFinancing'
  | 'subtotal'
  | 'fundCap'
  | 'total';

export type WaterfallStepKind = 'base' | 'component' | 'subtotal' | 'cap' | 'total';

export interface WaterfallStep {
  key: WaterfallStepKey;
  kind: WaterfallStepKind;
  labelZh: string;
  amountFen: Fen;
  enabled: boolean;
  inputs: Record<string, number | string>;
  formulaZh: string;
}

export interface TotalResult {
  steps: WaterfallStep[];
  totalFen: Fen;
  /** True when the fund cap lowered the subtotal. */
  bindingCap: boolean;
  baseFen: Fen;
  baseByLevelFen: Record<HospitalLevel, Fen>;
  baseItemCount: number;
  /** The growth rate applied after the cap, decimal. */
  growthRate: number;
  /** Largest affordable increase under the fund cap, fen; null without a fund cap (or fund share 0). */
  maxIncreaseFen: Fen | null;
}

export const GROWTH_SOURCE_LABEL: Record<GrowthSource, string> = {
  gdp: 'GDP增长率',
  income: '居民人均可支配收入增长率',
  wage: '城镇单位就业人员平均工资增长率',
};

export const STEP_LABEL: Record<WaterfallStepKey, string> = {
  base: '历史基数',
  growth: '合理增长',
  costControl: '控费奖惩',
  procurement: '集采腾出空间',
  selfFinancing: '降价自筹',
  subtotal: '小计',
  fundCap: '基金承受能力上限',
  total: '调价总量',
};

const fmt = formatFenAuto;
const pct = (r: number | R.Ratio) => R.percentText(r, 4);

/** R₀ = Σ P⁰·Q, in total and by hospital level. */
export function baseRevenue(items: readonly BaseItem[]): { totalFen: Fen; byLevelFen: Record<HospitalLevel, Fen> } {
  const byLevel: Record<number, number> = {};
  for (const l of HOSPITAL_LEVELS) byLevel[l] = 0;
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    assertNonNegativeFen(it.priceFen, `baseItems[${i}].priceFen`);
    assertCount(it.quantity, `baseItems[${i}].quantity`);
    if (!(it.level in byLevel)) throw new RangeError(`baseItems[${i}].level must be 3, 2 or 1, got ${it.level}`);
    const v = it.priceFen * it.quantity;
    assertSafeSum(v, `baseItems[${i}] price × quantity`);
    total += v;
    byLevel[it.level] += v;
  }
  assertSafeSum(total, 'base revenue');
  return { totalFen: total, byLevelFen: byLevel as Record<HospitalLevel, Fen> };
}

export function computeAdjustmentTotal(input: TotalInput): TotalResult {
  const { config } = input;
  const base = baseRevenue(input.baseItems);
  const R0 = base.totalFen;
  const steps: WaterfallStep[] = [];

  steps.push({
    key: 'base',
    kind: 'base',
    labelZh: STEP_LABEL.base,
    amountFen: R0,
    enabled: true,
    inputs: { itemCount: input.baseItems.length, baseFen: R0 },
    formulaZh: `R₀ = Σ P⁰·Q = ${fmt(R0)}（${input.baseItems.length}条基期项目记录；作为增长计算基数，不计入调价总量）`,
  });

  // 合理增长
  const g = config.growth;
  const rawValue = 'rate' in g ? g.rate : g.value;
  assertFinite(rawValue, 'growth rate');
  let rate = R.fromDecimal(rawValue);
  const growthInputs: Record<string, number | string> = {
    source: 'rate' in g ? 'rate' : g.from,
    value: rawValue,
    baseFen: R0,
  };
  let rateText = 'rate' in g ? `g = ${pct(rawValue)}` : `g = ${GROWTH_SOURCE_LABEL[g.from]} ${pct(rawValue)}`;
  if (g.cap !== undefined) {
    assertFinite(g.cap, 'growth cap');
    const cap = R.fromDecimal(g.cap);
    growthInputs.cap = g.cap;
    const capped = R.cmp(rate, cap) > 0;
    rate = R.min(rate, cap);
    rateText = `g = min(${'rate' in g ? pct(rawValue) : `${GROWTH_SOURCE_LABEL[g.from]} ${pct(rawValue)}`}, 上限 ${pct(g.cap)}) = ${pct(rate)}${capped ? '（受上限约束）' : ''}`;
  }
  growthInputs.appliedRate = R.toNumber(rate);
  const growthFen = R.toSafeInt(R.roundHalfAway(R.mul(R.fromInt(R0), rate)), 'growth');
  steps.push({
    key: 'growth',
    kind: 'component',
    labelZh: STEP_LABEL.growth,
    amountFen: growthFen,
    enabled: true,
    inputs: growthInputs,
    formulaZh: `${rateText}；R₀ × g = ${fmt(R0)} × ${pct(rate)} = ${fmt(growthFen)}`,
  });

  // 控费奖惩
  const cc = config.costControl;
  let ccFen = 0;
  if (cc) {
    assertFinite(cc.targetGrowth, 'costControl.targetGrowth');
    assertFinite(cc.actualGrowth, 'costControl.actualGrowth');
    assertNonNegativeFen(cc.baseSpendingFen, 'costControl.baseSpendingFen');
    const rw = cc.rewardWeight ?? 1;
    const pw = cc.penaltyWeight ?? 1;
    assertNonNegative(rw, 'costControl.rewardWeight');
    assertNonNegative(pw, 'costControl.penaltyWeight');
    const diff = R.sub(R.fromDecimal(cc.targetGrowth), R.fromDecimal(cc.actualGrowth));
    const under = R.sign(diff) >= 0;
    const w = R.fromDecimal(under ? rw : pw);
    ccFen = R.toSafeInt(R.roundHalfAway(R.mul(R.mul(diff, R.fromInt(cc.baseSpendingFen)), w)), 'cost control');
    const weightText = (under ? rw : pw) === 1 ? '' : ` × ${under ? '奖励' : '扣减'}系数 ${R.decimalText(w, 6)}`;
    steps.push({
      key: 'costControl',
      kind: 'component',
      labelZh: STEP_LABEL.costControl,
      amountFen: ccFen,
      enabled: true,
      inputs: {
        targetGrowth: cc.targetGrowth,
        actualGrowth: cc.actualGrowth,
        baseSpendingFen: cc.baseSpendingFen,
        rewardWeight: rw,
        penaltyWeight: pw,
        direction: under ? 'reward' : 'penalty',
      },
      formulaZh:
        `(目标增长 ${pct(cc.targetGrowth)} − 实际增长 ${pct(cc.actualGrowth)}) × 基期费用 ${fmt(cc.baseSpendingFen)}${weightText} = ${fmt(ccFen)}` +
        (under ? '（控费好，调价总量增加）' : '（控费弱，调价总量减少）'),
    });
  } else {
    steps.push(disabled('costControl'));
  }

  // 集采腾出空间
  const pr = config.procurement;
  let prFen = 0;
  if (pr) {
    assertNonNegative(pr.alpha, 'procurement.alpha');
    assertNonNegativeFen(pr.savingsFen, 'procurement.savingsFen');
    prFen = R.mulFen(pr.savingsFen, pr.alpha);
    steps.push({
      key: 'procurement',
      kind: 'component',
      labelZh: STEP_LABEL.procurement,
      amountFen: prFen,
      enabled: true,
      inputs: { alpha: pr.alpha, savingsFen: pr.savingsFen },
      formulaZh: `α × 集采节约金额 = ${R.decimalText(R.fromDecimal(pr.alpha), 6)} × ${fmt(pr.savingsFen)} = ${fmt(prFen)}`,
    });
  } else {
    steps.push(disabled('procurement'));
  }

  // 降价自筹
  const sf = config.selfFinancing;
  let sfFen = 0;
  if (sf) {
    assertNonNegativeFen(sf.cutsFen, 'selfFinancing.cutsFen');
    sfFen = sf.cutsFen;
    steps.push({
      key: 'selfFinancing',
      kind: 'component',
      labelZh: STEP_LABEL.selfFinancing,
      amountFen: sfFen,
      enabled: true,
      inputs: { cutsFen: sf.cutsFen },
      formulaZh: `Σ|ΔP|·Q（方案外已定降价项目）= ${fmt(sfFen)}`,
    });
  } else {
    steps.push(disabled('selfFinancing'));
  }

  const subtotal = growthFen + ccFen + prFen + sfFen;
  assertSafeSum(subtotal, 'subtotal');
  steps.push({
    key: 'subtotal',
    kind: 'subtotal',
    labelZh: STEP_LABEL.subtotal,
    amountFen: subtotal,
    enabled: true,
    inputs: {},
    formulaZh: `${fmt(growthFen)} + ${fmt(ccFen)} + ${fmt(prFen)} + ${fmt(sfFen)} = ${fmt(subtotal)}`,
  });

  // 基金承受能力上限
  const fc = config.fundCap;
  let capFen = 0;
  let binding = false;
  let maxIncreaseFen: number | null = null;
  if (fc) assertShare(fc.fundShare, 'fundCap.fundShare');
  if (fc && fc.fundShare > 0) {
    assertFen(fc.currentBalanceFen, 'fundCap.currentBalanceFen');
    assertFen(fc.accumulatedBalanceFen, 'fundCap.accumulatedBalanceFen');
    assertNonNegativeFen(fc.annualSpendingFen, 'fundCap.annualSpendingFen');
    assertNonNegative(fc.minReserveMonths, 'fundCap.minReserveMonths');
    const cap = fundCapacity(fc);
    maxIncreaseFen = cap.maxIncreaseFen;
    binding = subtotal > cap.maxIncreaseFen;
    capFen = binding ? cap.maxIncreaseFen - subtotal : 0;
    const total = subtotal + capFen;
    const after = reserveMonthsAfter(fc, R.toSafeInt(R.roundHalfAway(R.mul(R.fromInt(total), R.fromDecimal(fc.fundShare)))));
    steps.push({
      key: 'fundCap',
      kind: 'cap',
      labelZh: STEP_LABEL.fundCap,
      amountFen: capFen,
      enabled: true,
      inputs: {
        fundShare: fc.fundShare,
        currentBalanceFen: fc.currentBalanceFen,
        accumulatedBalanceFen: fc.accumulatedBalanceFen,
        annualSpendingFen: fc.annualSpendingFen,
        minReserveMonths: fc.minReserveMonths,
        maxFundIncreaseFen: cap.maxFundIncreaseFen,
        maxIncreaseFen: cap.maxIncreaseFen,
        limitedBy: cap.limitedBy,
        reserveMonthsBefore: cap.reserveMonthsBefore ?? '∞',
        reserveMonthsAfter: after ?? '∞',
        binding: binding ? '是' : '否',
      },
      formulaZh:
        `ΔF上限 = max(0, ⌊min(当期结余 ${fmt(fc.currentBalanceFen)}, (12 × 累计结余 ${fmt(fc.accumulatedBalanceFen)} − ${R.decimalText(R.fromDecimal(fc.minReserveMonths), 4)} × 年支出 ${fmt(fc.annualSpendingFen)}) ÷ (12 + ${R.decimalText(R.fromDecimal(fc.minReserveMonths), 4)}))⌋) = ${fmt(cap.maxFundIncreaseFen)}；` +
        `可承受调价上限 = ⌊ΔF上限 ÷ 基金支付比例 ${pct(fc.fundShare)}⌋ = ${fmt(cap.maxIncreaseFen)}；` +
        (binding
          ? `小计 ${fmt(subtotal)} 超过上限，核减 ${fmt(-capFen)}`
          : `小计 ${fmt(subtotal)} 未超过上限，不受约束`),
    });
  } else {
    steps.push({
      ...disabled('fundCap'),
      enabled: Boolean(fc),
      inputs: fc ? { fundShare: fc.fundShare } : {},
      formulaZh: fc ? '基金支付比例为 0，调价不增加基金支出，不设上限' : '未配置',
    });
  }

  const totalFen = subtotal + capFen;
  steps.push({
    key: 'total',
    kind: 'total',
    labelZh: STEP_LABEL.total,
    amountFen: totalFen,
    enabled: true,
    inputs: {},
    formulaZh: `小计 ${fmt(subtotal)} + 上限核减 ${fmt(capFen)} = ${fmt(totalFen)}（各步先取整到分，总量为各步之和）`,
  });

  return {
    steps,
    totalFen,
    bindingCap: binding,
    baseFen: R0,
    baseByLevelFen: base.byLevelFen,
    baseItemCount: input.baseItems.length,
    growthRate: R.toNumber(rate),
    maxIncreaseFen,
  };
}

export interface FundCapacity {
  /** ΔF_max, fen (≥ 0). */
  maxFundIncreaseFen: Fen;
  /** ⌊ΔF_max ÷ s⌋, fen (≥ 0). */
  maxIncreaseFen: Fen;
  /** Which condition sets ΔF_max. */
  limitedBy: 'currentBalance' | 'reserveMonths';
  /** 12A ÷ S before the round; null when annual spending is 0. */
  reserveMonthsBefore: number | null;
}

/** The fund cap of the module comment: largest fund increase and largest price increase the fund can bear. */
export function fundCapacity(fc: FundCapConfig): FundCapacity {
  const s = R.fromDecimal(fc.fundShare);
  if (R.sign(s) <= 0) throw new RangeError('fundShare must be positive for a fund cap');
  const m = R.fromDecimal(fc.minReserveMonths);
  const A = R.fromInt(fc.accumulatedBalanceFen);
  const S = R.fromInt(fc.annualSpendingFen);
  const C = R.fromInt(fc.currentBalanceFen);
  const twelve = R.fromInt(12);
  const byReserve = R.div(R.sub(R.mul(twelve, A), R.mul(m, S)), R.add(twelve, m));
  const limitedBy = R.cmp(C, byReserve) <= 0 ? 'currentBalance' : 'reserveMonths';
  const maxF = R.floor(R.min(C, byReserve));
  const maxFundIncreaseFen = R.toSafeInt(maxF > 0n ? maxF : 0n, 'fund cap');
  const maxIncreaseFen = R.toSafeInt(R.floor(R.div(R.fromInt(maxFundIncreaseFen), s)), 'fund cap');
  return {
    maxFundIncreaseFen,
    maxIncreaseFen,
    limitedBy,
    reserveMonthsBefore: fc.annualSpendingFen > 0 ? (12 * fc.accumulatedBalanceFen) / fc.annualSpendingFen : null,
  };
}

/** Reserve months 12(A − ΔF) ÷ (S + ΔF) after a fund increase ΔF; null when the denominator is not positive. */
export function reserveMonthsAfter(fc: Pick<FundCapConfig, 'accumulatedBalanceFen' | 'annualSpendingFen'>, fundIncreaseFen: Fen): number | null {
  const den = fc.annualSpendingFen + fundIncreaseFen;
  return den > 0 ? (12 * (fc.accumulatedBalanceFen - fundIncreaseFen)) / den : null;
}

function disabled(key: WaterfallStepKey): WaterfallStep {
  return {
    key,
    kind: key === 'fundCap' ? 'cap' : 'component',
    labelZh: STEP_LABEL[key],
    amountFen: 0,
    enabled: false,
    inputs: {},
    formulaZh: '未配置',
  };
}
