/**
 * Impact of a price adjustment scenario (调价方案) — DOMAIN.md §4 identities and §7 step 5.
 *
 * Definitions (ΔP = P¹ − P⁰ per row, a row being an item at a hospital level; Q its base-period volume):
 * - grossUpFen   = Σ over ΔP > 0 of ΔP·Q;   grossDownFen = Σ over ΔP < 0 of |ΔP|·Q;   netFen = up − down.
 * - withinTotal  ⇔ net ≤ total;  overByFen = max(0, net − total).
 * - fundFen      = Σ round(ΔP·Q·s) — each row's fund part rounded to fen half away from zero, then summed;
 *   outOfPocketFen = net − fund. So fund + out-of-pocket = net exactly, and the rounding sits in the
 *   out-of-pocket part (at most ½ fen per row). s is the row's fund share (payment class × level).
 * - technical-labour share of the adjustment = Σ ΔP·Q over raised rows whose labourShare > labourItemThreshold
 *   ÷ grossUp (decimal; null when nothing is raised). A row without labourShare counts as labour-dominant when
 *   its category family is 'labour' (`labour.imputedCount` says how many rows used that fallback).
 * - cost-recovery rate = price ÷ unit cost for rows with a positive unit cost, before and after: quantiles (linear
 *   interpolation between order statistics), histogram bins [from, to), share below cost, and the aggregate
 *   Σ P·Q ÷ Σ C·Q. Rates and shares are doubles for display; every money figure is exact integer fen.
 * - adjusted-item share counts distinct item codes: an item is adjusted when any of its rows changed; the
 *   denominator is `catalogueItemCount` when given, else the distinct item codes of the input.
 *
 * Checks (stable codes): SCENARIO.OVER_BUDGET (error, net > total), SCENARIO.ITEM_OVER_CAP (error, one check
 * listing every row with |ΔP| > P⁰ × cap; a row priced 0 before is over any cap once it changes),
 * SCENARIO.ITEM_SHARE_UNDER_FLOOR (error, adjusted items < ⌈N × floor⌉), SCENARIO.LABOUR_RULE_MISSED (warning,
 * technical-labour share < labourRuleShare, only when something is raised), SCENARIO.RAISED_ITEM_LOW_LABOUR (warning,
 * every raised row that is not labour-dominant — labourShare ≤ labourItemThreshold, or without a share a family other
 * than 'labour' — with its share and where it came from), SCENARIO.CUT_BELOW_COST (warning, a
 * cut row whose new price is below its unit cost), SCENARIO.EQUIPMENT_RAISED (warning, a raised row of the
 * equipment family). Every comparison against a rate is exact (integers against the decimal's fraction).
 *
 * Performance: one pass over the rows with plain accumulators; no closure per row; fund shares are converted to
 * fractions once per distinct value. Sums of non-negative terms are kept apart (up/down, fund up/fund down), so a
 * single range check at the end proves every partial sum was exact.
 */
import { divRound, formatFenAuto, type Fen } from '../money';
import { CATEGORIES, HOSPITAL_LEVEL_LABEL, type CategoryFamily, type HospitalLevel } from '../reference';
import { minAdjustedItems } from './allocation';
import { assertCount, assertFen, assertSafeSum, assertShare } from './guards';
import * as R from '../rational';
import { histogram, quantilesBySelection, type HistogramBin } from '../stats';

export type { HistogramBin } from '../stats';

export interface ImpactItem {
  itemCode: string;
  name: string;
  categoryCode: string;
  family: CategoryFamily;
  level: HospitalLevel;
  oldPriceFen: Fen;
  newPriceFen: Fen;
  /** Base-period volume (count). */
  quantity: number;
  /** Share of the price paid by the fund (payment class × level), decimal in [0, 1]. */
  fundShare: number;
  unitCostFen?: Fen | null;
  /** Technical-labour share of the price composition, decimal in [0, 1]. */
  labourShare?: number | null;
  /**
   * Where labourShare came from: the item list's own 技术劳务占比 ('item'), the cost data's labour cost ÷ unit cost
   * ('cost'); absent or 'category' when there is none and the category family decides.
   */
  labourShareSource?: LabourShareSource;
}

export interface ImpactParams {
  /** 调价幅度上限, decimal (0.3 = ±30%); null: no cap set, the ITEM_OVER_CAP check is left out. */
  changeCap: number | null;
  /** 调价项目数比例下限, decimal. */
  itemShareFloor: number;
  /** Minimum technical-labour share of the raised amount (default 0.6). */
  labourRuleShare?: number;
  /** An item is labour-dominant when its labourShare exceeds this (default 0.6). */
  labourItemThreshold?: number;
  /** Denominator of the adjusted-item share (default: distinct item codes of the input). */
  catalogueItemCount?: number;
  /** Histogram edges of the cost-recovery rate (ascending; default 0.5, 0.8, 1, 1.2, 1.5, 2). */
  recoveryBinEdges?: readonly number[];
}

/** Demo fund shares by hospital level (DOMAIN.md §8: resident insurance 2023, 6648/12765, 3994/6205, 2172/2943). */
export const FUND_SHARE_BY_LEVEL_DEMO: Readonly<Record<HospitalLevel, number>> = { 3: 0.52, 2: 0.64, 1: 0.74 };

export const DEFAULT_RECOVERY_BIN_EDGES: readonly number[] = [0.5, 0.8, 1, 1.2, 1.5, 2];

export type LabourShareSource = 'item' | 'cost' | 'category';

export type ScenarioCheckCode =
  | 'SCENARIO.RAISED_ITEM_LOW_LABOUR'
  | 'SCENARIO.OVER_BUDGET'
  | 'SCENARIO.ITEM_OVER_CAP'
  | 'SCENARIO.ITEM_SHARE_UNDER_FLOOR'
  | 'SCENARIO.LABOUR_RULE_MISSED'
  | 'SCENARIO.CUT_BELOW_COST'
  | 'SCENARIO.EQUIPMENT_RAISED';

export interface CheckItemRef {
  /** Row index in the input. */
  index: number;
  itemCode: string;
  name: string;
  level: HospitalLevel;
  /**
   * ΔP/P⁰ for cap and equipment checks (null when P⁰ = 0); new price ÷ cost for CUT_BELOW_COST; the technical-labour
   * share for RAISED_ITEM_LOW_LABOUR (null when none is known and the category family decided).
   */
  value: number | null;
  /** RAISED_ITEM_LOW_LABOUR: where the share came from (item list, cost data, or the category family). */
  source?: LabourShareSource;
}

export interface ScenarioCheck {
  code: ScenarioCheckCode;
  severity: 'error' | 'warning';
  messageZh: string;
  items?: CheckItemRef[];
}

export interface ImpactGroup {
  key: string;
  labelZh: string;
  rowCount: number;
  changedCount: number;
  upCount: number;
  downCount: number;
  baseRevenueFen: Fen;
  newRevenueFen: Fen;
  grossUpFen: Fen;
  grossDownFen: Fen;
  netFen: Fen;
  fundFen: Fen;
  outOfPocketFen: Fen;
}

export interface RecoveryDistribution {
  count: number;
  min: number | null;
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  max: number | null;
  mean: number | null;
  /** Σ P·Q ÷ Σ C·Q over rows with a cost; null when that is 0. */
  aggregateRate: number | null;
  /** Rows priced below cost. */
  belowCostCount: number;
  histogram: HistogramBin[];
}

export interface LabourSummary {
  threshold: number;
  ruleShare: number;
  labourUpFen: Fen;
  grossUpFen: Fen;
  /** labourUp ÷ grossUp; null when nothing is raised. */
  share: number | null;
  /** Rows whose labour-dominance came from the category family (no labourShare given). */
  imputedCount: number;
  /** Share of labour-dominant rows in service revenue Σ P·Q, before and after. */
  revenueShareBefore: number | null;
  revenueShareAfter: number | null;
}

export interface ImpactResult {
  rowCount: number;
  changedRowCount: number;
  upRowCount: number;
  downRowCount: number;
  itemCount: number;
  adjustedItemCount: number;
  /** adjusted ÷ itemCount; null for 0 items. */
  adjustedItemShare: number | null;
  minAdjustedItems: number;
  totalFen: Fen;
  grossUpFen: Fen;
  grossDownFen: Fen;
  netFen: Fen;
  withinTotal: boolean;
  overByFen: Fen;
  fundFen: Fen;
  outOfPocketFen: Fen;
  baseRevenueFen: Fen;
  newRevenueFen: Fen;
  byCategory: ImpactGroup[];
  byLevel: ImpactGroup[];
  labour: LabourSummary;
  recovery: { before: RecoveryDistribution; after: RecoveryDistribution };
  checks: ScenarioCheck[];
}

/** Sums of one group (internal to the impact modules). */
export interface Acc {
  rowCount: number;
  changedCount: number;
  upCount: number;
  downCount: number;
  base: number;
  newRev: number;
  up: number;
  down: number;
  fundUp: number;
  fundDown: number;
}

export const newAcc = (): Acc => ({ rowCount: 0, changedCount: 0, upCount: 0, downCount: 0, base: 0, newRev: 0, up: 0, down: 0, fundUp: 0, fundDown: 0 });

/** A fund share `s` as the fraction n/d (number parts, NaN when they need bigints) and as a ratio. */
export interface ShareFraction {
  s: number;
  n: number;
  d: number;
  big: R.Ratio;
}

const MAX = Number.MAX_SAFE_INTEGER;

/** 调价幅度上限 as an exact fraction n/d: number parts when both are safe integers (`small`), else the ratio. */
export interface CapFraction {
  n: number;
  d: number;
  small: boolean;
  big: R.Ratio;
}

export function capFraction(changeCap: number): CapFraction {
  const big = R.fromDecimal(changeCap);
  if (R.sign(big) < 0) throw new RangeError('changeCap must not be negative');
  const n = Number(big.n);
  const d = Number(big.d);
  return { n, d, small: Number.isSafeInteger(n) && Number.isSafeInteger(d), big };
}

/**
 * Whether a row's change breaks the cap, |P¹ − P⁰| > P⁰ × cap, compared exactly in integers; a row priced 0 before is
 * over any cap once it changes. Prices are integer fen (checked by the caller).
 */
export function overCap(p0: number, p1: number, cap: CapFraction): boolean {
  if (p1 === p0) return false;
  if (p0 === 0) return true;
  const ad = p1 > p0 ? p1 - p0 : p0 - p1;
  const l = ad * cap.d;
  const r = p0 * cap.n;
  if (cap.small && l <= MAX && r <= MAX) return l > r; // products of integers ≤ 2⁵³ − 1 are exact
  return BigInt(ad) * cap.big.d > BigInt(p0) * cap.big.n;
}

/** The message of SCENARIO.ITEM_OVER_CAP for `count` rows over `changeCap`. */
export function overCapMessageZh(count: number, changeCap: number): string {
  return `${count}条项目价格的变动幅度超过调价幅度上限${R.percentText(changeCap, 2)}。`;
}

/** A decimal share as a fraction with number parts when they are exact (the common case: 0.52 → 13/25). */
export function shareFraction(s: number): ShareFraction {
  const big = R.fromDecimal(s);
  const n = Number(big.n);
  const d = Number(big.d);
  return Number.isSafeInteger(n) && Number.isSafeInteger(d) ? { s, n, d, big } : { s, n: NaN, d: NaN, big };
}

/** round(amount × s) half away from zero, exact. */
export function mulShare(amount: number, f: ShareFraction): number {
  if (amount === 0) return 0;
  const prod = amount * f.n; // NaN when the fraction needs bigint parts
  if (prod >= -MAX && prod <= MAX) return divRound(prod, f.d) + 0;
  return R.toSafeInt(R.divRoundBig(BigInt(amount) * f.big.n, f.big.d), 'fund amount');
}

/** The fund part of one row, round(ΔP·Q·s) half away from zero. */
export function rowFundFen(item: Pick<ImpactItem, 'oldPriceFen' | 'newPriceFen' | 'quantity' | 'fundShare'>): Fen {
  const amount = (item.newPriceFen - item.oldPriceFen) * item.quantity;
  assertSafeSum(amount, 'ΔP × Q');
  return mulShare(amount, shareFraction(item.fundShare));
}

export function validateRow(it: ImpactItem, i: number): void {
  if (!Number.isSafeInteger(it.oldPriceFen) || it.oldPriceFen < 0) throw new RangeError(`items[${i}].oldPriceFen must be a non-negative integer (fen)`);
  if (!Number.isSafeInteger(it.newPriceFen) || it.newPriceFen < 0) throw new RangeError(`items[${i}].newPriceFen must be a non-negative integer (fen)`);
  if (!Number.isSafeInteger(it.quantity) || it.quantity < 0) throw new RangeError(`items[${i}].quantity must be a non-negative integer`);
  if (!(it.fundShare >= 0 && it.fundShare <= 1)) throw new RangeError(`items[${i}].fundShare must be between 0 and 1`);
  if (it.unitCostFen != null && (!Number.isSafeInteger(it.unitCostFen) || it.unitCostFen < 0)) {
    throw new RangeError(`items[${i}].unitCostFen must be a non-negative integer (fen)`);
  }
  if (it.labourShare != null && !(it.labourShare >= 0 && it.labourShare <= 1)) throw new RangeError(`items[${i}].labourShare must be between 0 and 1`);
}

/**
 * Totals, identities, groups and checks of a scenario's rows. `totalFen` is the 调价总量 the net is checked against;
 * null when the round has none: then the net stands in for it (totalFen = netFen in the result, no OVER_BUDGET check).
 */
export function analyzeImpact(items: readonly ImpactItem[], totalFen: Fen | null, params: ImpactParams): ImpactResult {
  if (totalFen !== null) assertFen(totalFen, 'totalFen');
  const cap = capFraction(params.changeCap ?? 0);
  assertShare(params.itemShareFloor, 'itemShareFloor');
  const labourRuleShare = params.labourRuleShare ?? 0.6;
  const labourThreshold = params.labourItemThreshold ?? 0.6;
  assertShare(labourRuleShare, 'labourRuleShare');
  assertShare(labourThreshold, 'labourItemThreshold');
  if (params.catalogueItemCount !== undefined) assertCount(params.catalogueItemCount, 'catalogueItemCount');

  const n = items.length;
  const total = newAcc();
  const byCat = new Map<string, Acc>();
  const byLevel = new Map<number, Acc>();
  const shares = new Map<number, ShareFraction>();
  const allCodes = new Set<string>();
  const countCodes = params.catalogueItemCount === undefined;
  let lastCat: string | null = null;
  let lastCatAcc: Acc | undefined;
  const adjustedCodes = new Set<string>();
  const recBefore = new Float64Array(n);
  const recAfter = new Float64Array(n);
  let recCount = 0;
  let costQ = 0;
  let oldQc = 0;
  let newQc = 0;
  let belowBefore = 0;
  let belowAfter = 0;
  let labourUp = 0;
  let labourBase = 0;
  let labourNew = 0;
  let imputed = 0;
  const overCapRows: CheckItemRef[] = [];
  const lowLabourUp: CheckItemRef[] = [];
  const belowCost: CheckItemRef[] = [];
  const equipmentUp: CheckItemRef[] = [];

  for (let i = 0; i < n; i++) {
    const it = items[i];
    validateRow(it, i);
    const p0 = it.oldPriceFen;
    const p1 = it.newPriceFen;
    const q = it.quantity;
    const dp = p1 - p0;
    const amount = dp * q;
    const base = p0 * q;
    const after = p1 * q;
    if (!Number.isSafeInteger(base) || !Number.isSafeInteger(after)) throw new RangeError(`items[${i}] price × quantity exceeds the exact range`);

    // an unchanged row's fund part is 0: no fraction needed
    let fund = 0;
    if (amount !== 0) {
      let f = shares.get(it.fundShare);
      if (f === undefined) {
        f = shareFraction(it.fundShare);
        shares.set(it.fundShare, f);
      }
      fund = mulShare(amount, f);
    }

    // consecutive rows are often the same item at other levels: the last category's accumulator first
    let cat: Acc | undefined;
    if (it.categoryCode === lastCat) cat = lastCatAcc;
    else {
      cat = byCat.get(it.categoryCode);
      if (cat === undefined) {
        cat = newAcc();
        byCat.set(it.categoryCode, cat);
      }
      lastCat = it.categoryCode;
      lastCatAcc = cat;
    }
    let lvl = byLevel.get(it.level);
    if (lvl === undefined) {
      lvl = newAcc();
      byLevel.set(it.level, lvl);
    }
    accumulate(total, base, after, dp, amount, fund);
    accumulate(cat!, base, after, dp, amount, fund);
    accumulate(lvl, base, after, dp, amount, fund);

    if (countCodes) allCodes.add(it.itemCode);
    let labourItem: boolean;
    if (it.labourShare == null) {
      labourItem = it.family === 'labour';
      imputed++;
    } else {
      labourItem = it.labourShare > labourThreshold;
    }
    if (labourItem) {
      labourBase += base;
      labourNew += after;
    }

    if (dp !== 0) {
      adjustedCodes.add(it.itemCode);
      if (overCap(p0, p1, cap)) overCapRows.push(ref(it, i, p0 === 0 ? null : dp / p0));
      if (dp > 0) {
        if (labourItem) labourUp += amount;
        else lowLabourUp.push({ ...ref(it, i, it.labourShare ?? null), source: it.labourShare == null ? 'category' : (it.labourShareSource ?? 'cost') });
        if (it.family === 'equipment') equipmentUp.push(ref(it, i, p0 === 0 ? null : dp / p0));
      } else if (it.unitCostFen != null && p1 < it.unitCostFen) {
        belowCost.push(ref(it, i, it.unitCostFen > 0 ? p1 / it.unitCostFen : null));
      }
    }

    const c = it.unitCostFen;
    if (c != null && c > 0) {
      recBefore[recCount] = p0 / c;
      recAfter[recCount] = p1 / c;
      recCount++;
      const cq = c * q;
      if (!Number.isSafeInteger(cq)) throw new RangeError(`items[${i}] cost × quantity exceeds the exact range`);
      costQ += cq;
      oldQc += base;
      newQc += after;
      if (p0 < c) belowBefore++;
      if (p1 < c) belowAfter++;
    }
  }

  for (const v of [total.base, total.newRev, total.up, total.down, total.fundUp, total.fundDown, costQ, oldQc, newQc, labourBase, labourNew]) {
    assertSafeSum(v, 'scenario sum');
  }

  const grossUpFen = total.up;
  const grossDownFen = total.down;
  const netFen = grossUpFen - grossDownFen;
  const fundFen = total.fundUp - total.fundDown;
  const budgetFen = totalFen ?? netFen;
  const withinTotal = netFen <= budgetFen;
  const overByFen = withinTotal ? 0 : netFen - budgetFen;
  const itemCount = params.catalogueItemCount ?? allCodes.size;
  const adjustedItemCount = adjustedCodes.size;
  const minItems = minAdjustedItems(itemCount, params.itemShareFloor);

  const labourShare = grossUpFen > 0 ? labourUp / grossUpFen : null;
  const ruleR = R.fromDecimal(labourRuleShare);
  const labourMissed = grossUpFen > 0 && BigInt(labourUp) * ruleR.d < BigInt(grossUpFen) * ruleR.n;

  const fmt = formatFenAuto;
  const pctR = (x: number | R.Ratio) => R.percentText(x, 2);
  const checks: ScenarioCheck[] = [];
  if (!withinTotal) {
    checks.push({
      code: 'SCENARIO.OVER_BUDGET',
      severity: 'error',
      messageZh: `净调价金额${fmt(netFen)}超出调价总量${fmt(budgetFen)}，超出${fmt(overByFen)}。`,
    });
  }
  if (overCapRows.length && params.changeCap !== null) {
    checks.push({ code: 'SCENARIO.ITEM_OVER_CAP', severity: 'error', messageZh: overCapMessageZh(overCapRows.length, params.changeCap), items: overCapRows });
  }
  if (adjustedItemCount < minItems) {
    checks.push({
      code: 'SCENARIO.ITEM_SHARE_UNDER_FLOOR',
      severity: 'error',
      messageZh:
        `调价项目${adjustedItemCount}项，占项目总数${itemCount}项的${itemCount ? pctR(R.ratio(BigInt(adjustedItemCount), BigInt(itemCount))) : '0%'}，` +
        `低于调价项目数比例下限${pctR(params.itemShareFloor)}（至少需${minItems}项）。`,
    });
  }
  if (labourMissed) {
    checks.push({
      code: 'SCENARIO.LABOUR_RULE_MISSED',
      severity: 'warning',
      messageZh:
        `技术劳务占比超过${pctR(labourThreshold)}的项目占上调金额的${pctR(R.ratio(BigInt(labourUp), BigInt(grossUpFen)))}，` +
        `低于${pctR(labourRuleShare)}的要求。`,
    });
  }
  if (lowLabourUp.length) {
    const byCategory = lowLabourUp.filter((r) => r.source === 'category').length;
    checks.push({
      code: 'SCENARIO.RAISED_ITEM_LOW_LABOUR',
      severity: 'warning',
      messageZh:
        `${lowLabourUp.length}条上调项目的技术劳务占比不高于${pctR(labourThreshold)}` +
        (byCategory ? `（其中${byCategory}条无成本数据，按所属类别判断为非技术劳务类）` : '') +
        '，上调应以技术劳务为主的项目为先。',
      items: lowLabourUp,
    });
  }
  if (belowCost.length) {
    checks.push({
      code: 'SCENARIO.CUT_BELOW_COST',
      severity: 'warning',
      messageZh: `${belowCost.length}条降价项目的新价格低于单位成本。`,
      items: belowCost,
    });
  }
  if (equipmentUp.length) {
    checks.push({
      code: 'SCENARIO.EQUIPMENT_RAISED',
      severity: 'warning',
      messageZh: `${equipmentUp.length}条以设备物耗为主的项目价格上调，与“有升有降”中检查检验类下调的方向不符。`,
      items: equipmentUp,
    });
  }

  const edges = params.recoveryBinEdges ?? DEFAULT_RECOVERY_BIN_EDGES;
  for (let k = 1; k < edges.length; k++) {
    if (!(edges[k] > edges[k - 1])) throw new RangeError('recoveryBinEdges must be strictly ascending');
  }

  return {
    rowCount: n,
    changedRowCount: total.changedCount,
    upRowCount: total.upCount,
    downRowCount: total.downCount,
    itemCount,
    adjustedItemCount,
    adjustedItemShare: itemCount > 0 ? adjustedItemCount / itemCount : null,
    minAdjustedItems: minItems,
    totalFen: budgetFen,
    grossUpFen,
    grossDownFen,
    netFen,
    withinTotal,
    overByFen,
    fundFen,
    outOfPocketFen: netFen - fundFen,
    baseRevenueFen: total.base,
    newRevenueFen: total.newRev,
    byCategory: categoryGroups(byCat),
    byLevel: levelGroups(byLevel),
    labour: {
      threshold: labourThreshold,
      ruleShare: labourRuleShare,
      labourUpFen: labourUp,
      grossUpFen,
      share: labourShare,
      imputedCount: imputed,
      revenueShareBefore: total.base > 0 ? labourBase / total.base : null,
      revenueShareAfter: total.newRev > 0 ? labourNew / total.newRev : null,
    },
    recovery: {
      before: distribution(recBefore.subarray(0, recCount), edges, costQ > 0 ? oldQc / costQ : null, belowBefore),
      after: distribution(recAfter.subarray(0, recCount), edges, costQ > 0 ? newQc / costQ : null, belowAfter),
    },
    checks,
  };
}

export function accumulate(a: Acc, base: number, after: number, dp: number, amount: number, fund: number): void {
  a.rowCount++;
  a.base += base;
  a.newRev += after;
  if (dp > 0) {
    a.changedCount++;
    a.upCount++;
    a.up += amount;
  } else if (dp < 0) {
    a.changedCount++;
    a.downCount++;
    a.down -= amount;
  }
  if (fund > 0) a.fundUp += fund;
  else a.fundDown -= fund;
}

function ref(it: ImpactItem, index: number, value: number | null): CheckItemRef {
  return { index, itemCode: it.itemCode, name: it.name, level: it.level, value };
}

export function toGroup(key: string, labelZh: string, a: Acc): ImpactGroup {
  const net = a.up - a.down;
  const fund = a.fundUp - a.fundDown;
  return {
    key,
    labelZh,
    rowCount: a.rowCount,
    changedCount: a.changedCount,
    upCount: a.upCount,
    downCount: a.downCount,
    baseRevenueFen: a.base,
    newRevenueFen: a.newRev,
    grossUpFen: a.up,
    grossDownFen: a.down,
    netFen: net,
    fundFen: fund,
    outOfPocketFen: net - fund,
  };
}

function categoryGroups(m: Map<string, Acc>): ImpactGroup[] {
  const out: ImpactGroup[] = [];
  for (const c of CATEGORIES) {
    const a = m.get(c.code);
    if (a) out.push(toGroup(c.code, c.name_zh, a));
  }
  for (const [k, a] of m) if (!CATEGORIES.some((c) => c.code === k)) out.push(toGroup(k, k, a));
  return out;
}

function levelGroups(m: Map<number, Acc>): ImpactGroup[] {
  return [...m.entries()]
    .sort((x, y) => y[0] - x[0])
    .map(([k, a]) => toGroup(String(k), HOSPITAL_LEVEL_LABEL[k as HospitalLevel] ?? String(k), a));
}

const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9] as const;

function distribution(values: Float64Array, edges: readonly number[], aggregateRate: number | null, belowCostCount: number): RecoveryDistribution {
  const n = values.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // the quantiles by linear interpolation between order statistics, as quantile() on the sorted values
  const q = quantilesBySelection(values, QUANTILES);
  return {
    count: n,
    min: n ? min : null,
    p10: q[0],
    p25: q[1],
    median: q[2],
    p75: q[3],
    p90: q[4],
    max: n ? max : null,
    mean: n ? sum / n : null,
    aggregateRate,
    belowCostCount,
    histogram: histogram(values, edges),
  };
}
