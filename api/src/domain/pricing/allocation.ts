/**
 * Allocation of an adjustment total (DOMAIN.md §4 step 7) and the round parameters of a 调价方案.
 *
 * - To hospitals in proportion to base revenue, to performance weights, or to revenue × weight.
 * - To categories by policy shares (which must add up to exactly 1 unless asked to normalise).
 * - 调价项目数比例下限 (adjusted-item share floor) and 调价幅度上限 (change cap) as exact integer rules.
 *
 * Rounding: largest remainder (Hamilton). Each part is first the exact quota rounded toward zero; the fen left over
 * go one each to the parts with the largest dropped remainders (ties: larger weight, then earlier row). The parts
 * therefore sum exactly to the total, and each part differs from its exact quota by less than 1 fen. A negative
 * total is split as its absolute value and negated, so the rule is symmetric.
 *
 * Cap and floor rules, exact in integers:
 * - an item is within the cap when |P¹ − P⁰| ≤ P⁰ × cap, i.e. |ΔP| ≤ ⌊P⁰ × cap⌋ fen; a price of 0 has no relative
 *   change, so only "unchanged" is within the cap there;
 * - the minimum number of adjusted items is ⌈N × floor⌉.
 */
import { formatFen, type Fen } from '../money';
import { CATEGORIES, type CategoryFamily, type HospitalLevel } from '../reference';
import { assertCount, assertFen, assertNonNegativeFen, assertShare } from './guards';
import * as R from '../rational';

/**
 * Splits `totalFen` in proportion to non-negative `weights` (decimals or exact fractions). The result has the same
 * length as `weights` and sums exactly to `totalFen`. All-zero weights are allowed only for a zero total.
 */
export function largestRemainder(totalFen: Fen, weights: readonly (number | R.Ratio)[]): Fen[] {
  assertFen(totalFen, 'totalFen');
  const ratios = weights.map((w, i) => {
    const r = R.toRatio(w);
    if (R.sign(r) < 0) throw new RangeError(`weights[${i}] must not be negative`);
    return r;
  });
  let lcm = 1n;
  for (const r of ratios) lcm = (lcm / R.gcdBig(lcm, r.d)) * r.d;
  const W = ratios.map((r) => r.n * (lcm / r.d));
  const sum = W.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    if (totalFen === 0) return W.map(() => 0);
    throw new RangeError('cannot allocate a non-zero total over weights that are all zero');
  }
  const T = BigInt(Math.abs(totalFen));
  const parts = new Array<bigint>(W.length);
  const rems = new Array<bigint>(W.length);
  let given = 0n;
  for (let i = 0; i < W.length; i++) {
    const prod = T * W[i];
    parts[i] = prod / sum;
    rems[i] = prod % sum;
    given += parts[i];
  }
  const extra = Number(T - given);
  if (extra > 0) {
    const order = W.map((_, i) => i).sort((a, b) => {
      if (rems[a] !== rems[b]) return rems[a] > rems[b] ? -1 : 1;
      if (W[a] !== W[b]) return W[a] > W[b] ? -1 : 1;
      return a - b;
    });
    for (let k = 0; k < extra; k++) parts[order[k]] += 1n;
  }
  const sign = totalFen < 0 ? -1 : 1;
  return parts.map((p) => sign * Number(p) + 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Hospitals

export interface HospitalBase {
  hospitalId: string;
  level?: HospitalLevel;
  /** Base-period service revenue Σ P⁰·Q of the hospital, fen. */
  baseRevenueFen: Fen;
  /** 项目总数: number of priced items the hospital provides. */
  itemCount?: number;
  /** Performance weight (e.g. 公立医院考核 score or a coefficient), ≥ 0. */
  weight?: number;
}

export type AllocationBasis = 'revenue' | 'weight' | 'revenueTimesWeight';

export interface HospitalAllocationFields {
  /** 调价金额, fen. */
  amountFen: Fen;
  /** This hospital's share of the allocation weights, decimal. */
  weightShare: number;
  /** 调价比例 = amount ÷ base revenue, decimal; null when the revenue is 0. */
  adjustmentRate: number | null;
}

export function allocateToHospitals<H extends HospitalBase>(
  totalFen: Fen,
  hospitals: readonly H[],
  basis: AllocationBasis = 'revenue',
): (H & HospitalAllocationFields)[] {
  const weights = hospitals.map((h, i) => {
    assertNonNegativeFen(h.baseRevenueFen, `hospitals[${i}].baseRevenueFen`);
    if (basis === 'revenue') return R.fromInt(h.baseRevenueFen);
    if (h.weight === undefined) throw new RangeError(`hospitals[${i}].weight is required for basis ${basis}`);
    const w = R.fromDecimal(h.weight);
    if (R.sign(w) < 0) throw new RangeError(`hospitals[${i}].weight must not be negative`);
    return basis === 'weight' ? w : R.mul(w, R.fromInt(h.baseRevenueFen));
  });
  const parts = largestRemainder(totalFen, weights);
  const sumW = weights.reduce(R.add, R.ZERO);
  return hospitals.map((h, i) => ({
    ...h,
    amountFen: parts[i],
    weightShare: R.sign(sumW) > 0 ? R.toNumber(R.div(weights[i], sumW)) : 0,
    adjustmentRate: h.baseRevenueFen > 0 ? parts[i] / h.baseRevenueFen : null,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Categories

export interface CategoryPolicyShare {
  categoryCode: string;
  /** Policy share of the total, decimal. */
  share: number;
}

export interface CategoryAllocationRow {
  categoryCode: string;
  nameZh: string;
  family: CategoryFamily | null;
  share: number;
  amountFen: Fen;
}

export interface CategoryAllocation {
  rows: CategoryAllocationRow[];
  /** Amount allocated to categories of the labour family (技术劳务类). */
  labourFen: Fen;
  /** labourFen ÷ total, decimal; null for a zero total. */
  labourShare: number | null;
}

/**
 * Splits the total over categories by policy shares. Shares must sum to exactly 1 (compared as exact decimals),
 * unless `normalize` is set, in which case they are used as relative weights.
 */
export function allocateToCategories(
  totalFen: Fen,
  shares: readonly CategoryPolicyShare[],
  opts: { normalize?: boolean } = {},
): CategoryAllocation {
  const ratios = shares.map((s, i) => {
    const r = R.fromDecimal(s.share);
    if (R.sign(r) < 0) throw new RangeError(`shares[${i}].share must not be negative`);
    return r;
  });
  const sum = ratios.reduce(R.add, R.ZERO);
  if (!opts.normalize && R.cmp(sum, R.ONE) !== 0) {
    throw new RangeError(`category shares must sum to 1, got ${R.decimalText(sum, 12)}`);
  }
  const parts = largestRemainder(totalFen, ratios);
  let labourFen = 0;
  const rows = shares.map((s, i) => {
    const cat = CATEGORIES.find((c) => c.code === s.categoryCode);
    if (cat?.family === 'labour') labourFen += parts[i];
    return {
      categoryCode: s.categoryCode,
      nameZh: cat?.name_zh ?? s.categoryCode,
      family: cat?.family ?? null,
      share: s.share,
      amountFen: parts[i],
    };
  });
  return { rows, labourFen, labourShare: totalFen !== 0 ? labourFen / totalFen : null };
}

// ---------------------------------------------------------------------------------------------------------------
// Cap and floor rules

/** 调价项目数比例下限: the smallest number of adjusted items, ⌈itemCount × floor⌉. */
export function minAdjustedItems(itemCount: number, floor: number): number {
  assertCount(itemCount, 'itemCount');
  assertShare(floor, 'itemShareFloor');
  return R.toSafeInt(R.ceil(R.mul(R.fromInt(itemCount), R.fromDecimal(floor))));
}

/** True when adjusted ÷ total ≥ floor, exactly. A zero total meets any floor. */
export function meetsItemShareFloor(adjusted: number, total: number, floor: number): boolean {
  return adjusted >= minAdjustedItems(total, floor);
}

/** 调价幅度上限 in fen for one price: the largest |ΔP| with |ΔP| ≤ P⁰ × cap, i.e. ⌊P⁰ × cap⌋. */
export function maxChangeFen(oldPriceFen: Fen, cap: number): Fen {
  assertNonNegativeFen(oldPriceFen, 'oldPriceFen');
  const c = R.fromDecimal(cap);
  if (R.sign(c) < 0) throw new RangeError('changeCap must not be negative');
  return R.toSafeInt(R.floor(R.mul(R.fromInt(oldPriceFen), c)));
}

/** The band of new prices allowed by the cap (never below 0). */
export function priceBand(oldPriceFen: Fen, cap: number): { minFen: Fen; maxFen: Fen } {
  const d = maxChangeFen(oldPriceFen, cap);
  return { minFen: Math.max(0, oldPriceFen - d), maxFen: oldPriceFen + d };
}

/** |P¹ − P⁰| ≤ P⁰ × cap, exact. */
export function changeWithinCap(oldPriceFen: Fen, newPriceFen: Fen, cap: number): boolean {
  assertFen(newPriceFen, 'newPriceFen');
  return Math.abs(newPriceFen - oldPriceFen) <= maxChangeFen(oldPriceFen, cap);
}

// ---------------------------------------------------------------------------------------------------------------
// Round plan (调价方案 header + per-hospital rows, the fields of a deployed provincial system)

export interface RoundParameters {
  /** 统筹区 */
  poolingRegion: string;
  /** 申报起止时间, ISO dates (YYYY-MM-DD); null while not set (the allocation does not need them). */
  declareFrom: string | null;
  declareTo: string | null;
  /** 调价总金额, fen (shown in 万元). */
  totalFen: Fen;
  /** 调价项目数比例下限, decimal. */
  itemShareFloor: number;
  /** 调价幅度上限, decimal. */
  changeCap: number;
  /** 抽样起止时间 (base-period sampling window), ISO dates. */
  sampleFrom: string;
  sampleTo: string;
}

export interface RoundParameterIssue {
  field: keyof RoundParameters;
  messageZh: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const DATE_FIELD_ZH = { declareFrom: '申报开始时间', declareTo: '申报结束时间', sampleFrom: '抽样开始时间', sampleTo: '抽样结束时间' } as const;

export function validateRoundParameters(p: RoundParameters): RoundParameterIssue[] {
  const issues: RoundParameterIssue[] = [];
  if (!p.poolingRegion.trim()) issues.push({ field: 'poolingRegion', messageZh: '统筹区不能为空' });
  for (const f of ['declareFrom', 'declareTo', 'sampleFrom', 'sampleTo'] as const) {
    const v = p[f];
    if (v === null && (f === 'declareFrom' || f === 'declareTo')) continue;
    if (v === null || v === '') issues.push({ field: f, messageZh: `${DATE_FIELD_ZH[f]}（${f}）未填写` });
    else if (!ISO_DATE.test(v)) issues.push({ field: f, messageZh: `${DATE_FIELD_ZH[f]}（${f}）日期格式应为 YYYY-MM-DD：${v}` });
  }
  if (p.declareFrom && p.declareTo && ISO_DATE.test(p.declareFrom) && ISO_DATE.test(p.declareTo) && p.declareFrom > p.declareTo) {
    issues.push({ field: 'declareTo', messageZh: '申报结束时间早于开始时间' });
  }
  if (ISO_DATE.test(p.sampleFrom) && ISO_DATE.test(p.sampleTo) && p.sampleFrom > p.sampleTo) {
    issues.push({ field: 'sampleTo', messageZh: '抽样结束时间早于开始时间' });
  }
  if (!Number.isSafeInteger(p.totalFen) || p.totalFen < 0) {
    issues.push({ field: 'totalFen', messageZh: '调价总金额应为不小于 0 的金额' });
  }
  if (!Number.isFinite(p.itemShareFloor) || p.itemShareFloor < 0 || p.itemShareFloor > 1) {
    issues.push({ field: 'itemShareFloor', messageZh: '调价项目数比例下限应在 0%–100% 之间' });
  }
  if (!Number.isFinite(p.changeCap) || p.changeCap < 0) {
    issues.push({ field: 'changeCap', messageZh: '调价幅度上限应不小于 0%' });
  }
  return issues;
}

export interface HospitalPlanRow extends HospitalAllocationFields {
  hospitalId: string;
  level: HospitalLevel | null;
  itemCount: number | null;
  baseRevenueFen: Fen;
  /** ⌈itemCount × floor⌉ when the item count is known. */
  minAdjustedItems: number | null;
}

export interface RoundPlan {
  parameters: RoundParameters;
  /** 调价总金额 as shown in the deployed form (万元, two decimals). */
  totalWanYuanText: string;
  hospitals: HospitalPlanRow[];
}

/** Validates the parameters and allocates the total to hospitals; throws with the issues if invalid. */
export function planRound(parameters: RoundParameters, hospitals: readonly HospitalBase[], basis: AllocationBasis = 'revenue'): RoundPlan {
  const issues = validateRoundParameters(parameters);
  if (issues.length) throw new RangeError(issues.map((i) => `${i.field}: ${i.messageZh}`).join('; '));
  const rows = allocateToHospitals(parameters.totalFen, hospitals, basis).map((h) => ({
    hospitalId: h.hospitalId,
    level: h.level ?? null,
    itemCount: h.itemCount ?? null,
    baseRevenueFen: h.baseRevenueFen,
    amountFen: h.amountFen,
    weightShare: h.weightShare,
    adjustmentRate: h.adjustmentRate,
    minAdjustedItems: h.itemCount === undefined ? null : minAdjustedItems(h.itemCount, parameters.itemShareFloor),
  }));
  return { parameters, totalWanYuanText: formatFen(parameters.totalFen, '万元', 2), hospitals: rows };
}
