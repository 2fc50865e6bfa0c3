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
 * technical-labour share < labourRuleShare, only when something is raised), SCENARIO.CUT_BELOW_COST (warning, a
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

export type ScenarioCheckCode =
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
  /** ΔP/P⁰ for cap and equipment checks (null when P⁰ = 0); new price ÷ cost for CUT_BELOW_COST. */
  value: number | null;
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

export interface HistogramBin {
  labelZh: string;
  /** Inclusive lower edge; null = −∞. */
  from: number | null;
  /** Exclusive upper edge; null = +∞. */
  to: number | null;
  count: number;
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

interface Acc {
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

const newAcc = (): Acc => ({ rowCount: 0, changedCount: 0, upCount: 0, downCount: 0, base: 0, newRev: 0, up: 0, down: 0, fundUp: 0, fundDown: 0 });

/** A fund share `s` as the fraction n/d (number parts, NaN when they need bigints) and as a ratio. */
export interface ShareFraction {
  s: number;
  n: number;
  d: number;
  big: R.Ratio;
}

const MAX = Number.MAX_SAFE_INTEGER;

/** A decimal share as a fraction with number parts when they are exact (the common case: 0.52 → 13/25). */
function shareFraction(s: number): ShareFraction {
  const big = R.fromDecimal(s);
  const n = Number(big.n);
  const d = Number(big.d);
  return Number.isSafeInteger(n) && Number.isSafeInteger(d) ? { s, n, d, big } : { s, n: NaN, d: NaN, big };
}

/** round(amount × s) half away from zero, exact. */
function mulShare(amount: number, f: ShareFraction): number {
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

function validateRow(it: ImpactItem, i: number): void {
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
  const cap = R.fromDecimal(params.changeCap ?? 0);
  if (R.sign(cap) < 0) throw new RangeError('changeCap must not be negative');
  assertShare(params.itemShareFloor, 'itemShareFloor');
  const labourRuleShare = params.labourRuleShare ?? 0.6;
  const labourThreshold = params.labourItemThreshold ?? 0.6;
  assertShare(labourRuleShare, 'labourRuleShare');
  assertShare(labourThreshold, 'labourItemThreshold');
  if (params.catalogueItemCount !== undefined) assertCount(params.catalogueItemCount, 'catalogueItemCount');
  const capN = Number(cap.n);
  const capD = Number(cap.d);
  const capIsSmall = Number.isSafeInteger(capN) && Number.isSafeInteger(capD);

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
  const overCap: CheckItemRef[] = [];
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
      const ad = dp < 0 ? -dp : dp;
      let over: boolean;
      const l = ad * capD;
      const r = p0 * capN;
      if (p0 === 0) over = true;
      else if (capIsSmall && l <= MAX && r <= MAX) over = l > r; // products of integers ≤ 2⁵³ − 1 are exact
      else over = BigInt(ad) * cap.d > BigInt(p0) * cap.n;
      if (over) overCap.push(ref(it, i, p0 === 0 ? null : dp / p0));
      if (dp > 0) {
        if (labourItem) labourUp += amount;
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
  if (overCap.length && params.changeCap !== null) {
    checks.push({
      code: 'SCENARIO.ITEM_OVER_CAP',
      severity: 'error',
      messageZh: `${overCap.length}条项目价格的变动幅度超过调价幅度上限${pctR(params.changeCap)}。`,
      items: overCap,
    });
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

function accumulate(a: Acc, base: number, after: number, dp: number, amount: number, fund: number): void {
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

function toGroup(key: string, labelZh: string, a: Acc): ImpactGroup {
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

/** Linear interpolation between order statistics (the default of most statistics packages). */
export function quantile(sorted: ArrayLike<number>, p: number): number | null {
  const k = sorted.length;
  if (k === 0) return null;
  const h = (k - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, k - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function binLabel(from: number | null, to: number | null): string {
  const p = (x: number) => `${Math.round(x * 10000) / 100}%`;
  if (from === null && to !== null) return `<${p(to)}`;
  if (to === null && from !== null) return `≥${p(from)}`;
  if (from !== null && to !== null) return `${p(from)}–${p(to)}`;
  return '全部';
}

/** Histogram over [from, to) bins cut at `edges`, with open-ended first and last bins. */
export function histogram(values: ArrayLike<number>, edges: readonly number[]): HistogramBin[] {
  const bins: HistogramBin[] = [];
  for (let b = 0; b <= edges.length; b++) {
    const from = b === 0 ? null : edges[b - 1];
    const to = b === edges.length ? null : edges[b];
    bins.push({ labelZh: binLabel(from, to), from, to, count: 0 });
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let lo = 0;
    let hi = edges.length;
    // first edge > v
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] > v) hi = mid;
      else lo = mid + 1;
    }
    bins[lo].count++;
  }
  return bins;
}

/**
 * Puts the order statistics ks (ascending, distinct, each in [0, n)) of `a` in place: afterwards a[k] is the value a
 * full ascending sort would put at k, for every k of ks. Multi-quickselect: one partition (median-of-three pivot)
 * serves every k of the range, and only the sides holding a k are partitioned again; expected O(n log |ks|).
 */
export function selectInPlace(a: Float64Array, ks: readonly number[]): void {
  const stack: number[] = [0, a.length - 1, 0, ks.length]; // lo, hi, first k, end of ks
  while (stack.length) {
    const kEnd = stack.pop()!;
    const kFrom = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (kFrom >= kEnd || hi <= lo) continue;
    const mid = (lo + hi) >> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // [lo, j] ≤ pivot ≤ [i, hi]; positions strictly between j and i hold the pivot value and are in place
    let split = kFrom;
    while (split < kEnd && ks[split] <= j) split++;
    let right = split;
    while (right < kEnd && ks[right] < i) right++;
    stack.push(lo, j, kFrom, split, i, hi, right, kEnd);
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
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
  const q: (number | null)[] = QUANTILES.map(() => null);
  if (n > 0) {
    const a = values.slice();
    const ks = [...new Set(QUANTILES.flatMap((p) => { const lo = Math.floor((n - 1) * p); return [lo, Math.min(lo + 1, n - 1)]; }))].sort((x, y) => x - y);
    selectInPlace(a, ks);
    QUANTILES.forEach((p, i) => {
      const h = (n - 1) * p;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, n - 1);
      q[i] = a[lo] + (h - lo) * (a[hi] - a[lo]);
    });
  }
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

// ---------------------------------------------------------------------------------------------------------------
// Grouping by any key

/** Groups items into accumulators by key, in first-seen key order. */
export function groupBy<T, K, A>(
  items: readonly T[],
  keyOf: (item: T, index: number) => K,
  init: (key: K) => A,
  add: (acc: A, item: T, index: number) => void,
): Map<K, A> {
  const m = new Map<K, A>();
  for (let i = 0; i < items.length; i++) {
    const k = keyOf(items[i], i);
    let a = m.get(k);
    if (a === undefined) {
      a = init(k);
      m.set(k, a);
    }
    add(a, items[i], i);
  }
  return m;
}

/**
 * Impact figures grouped by any key (hospital, payment class, item, …), same definitions and rounding as
 * analyzeImpact (the fund part is rounded per row, so group fund sums add up to the scenario's fund exactly).
 */
export function summarizeImpactBy(
  items: readonly ImpactItem[],
  keyOf: (item: ImpactItem, index: number) => string,
  labelOf: (key: string) => string = (k) => k,
): ImpactGroup[] {
  const shares = new Map<number, ShareFraction>();
  const groups = groupBy(items, keyOf, newAcc, (a, it, i) => {
    validateRow(it, i);
    const amount = (it.newPriceFen - it.oldPriceFen) * it.quantity;
    let f = shares.get(it.fundShare);
    if (f === undefined) {
      f = shareFraction(it.fundShare);
      shares.set(it.fundShare, f);
    }
    accumulate(a, it.oldPriceFen * it.quantity, it.newPriceFen * it.quantity, it.newPriceFen - it.oldPriceFen, amount, mulShare(amount, f));
  });
  const out: ImpactGroup[] = [];
  for (const [k, a] of groups) {
    for (const v of [a.base, a.newRev, a.up, a.down, a.fundUp, a.fundDown]) assertSafeSum(v, 'group sum');
    out.push(toGroup(k, labelOf(k), a));
  }
  return out;
}

/**
 * The same figures as summarizeImpactBy for rows that are shared by many groups at their own volumes, without an
 * object per (group, row): entry e stands for row `entryRow[e]` of `items` at quantity `entryQuantity[e]`, counted in
 * group `entryGroup[e]` (an index into `groupKeys`). Used for impact by hospital: a row is an item at a level, an
 * entry one hospital's base-year volume of it. Entries with a negative row are skipped. Groups come out in index
 * order, those without entries left out; every fund part is rounded per entry, as in summarizeImpactBy.
 */
/**
 * Rows as validated columns: old and new prices, and each row's index into the distinct fund-share fractions. Built
 * once (impactColumns) and reused for rows that differ only in some prices (withPrices), so that grouping many
 * entries reads typed arrays.
 */
export interface ImpactColumns {
  readonly oldFen: Float64Array;
  readonly newFen: Float64Array;
  readonly share: Int32Array;
  readonly fractions: readonly ShareFraction[];
}

/** The columns of `items`, every row validated as by analyzeImpact. */
export function impactColumns(items: readonly ImpactItem[]): ImpactColumns {
  const m = items.length;
  const oldFen = new Float64Array(m);
  const newFen = new Float64Array(m);
  const share = new Int32Array(m);
  const fractions: ShareFraction[] = [];
  const fracAt = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const it = items[i];
    validateRow(it, i);
    oldFen[i] = it.oldPriceFen;
    newFen[i] = it.newPriceFen;
    let k = fracAt.get(it.fundShare);
    if (k === undefined) {
      k = fractions.length;
      fractions.push(shareFraction(it.fundShare));
      fracAt.set(it.fundShare, k);
    }
    share[i] = k;
  }
  return { oldFen, newFen, share, fractions };
}

/**
 * The columns of `items` where only the rows `changed` differ from the rows `base` was built from, in prices only
 * (same rows, same order, same fund shares): those rows are validated and their prices taken from `items`.
 */
export function withPrices(base: ImpactColumns, items: readonly ImpactItem[], changed: ArrayLike<number>): ImpactColumns {
  if (items.length !== base.oldFen.length) throw new RangeError('withPrices: items must be the rows the columns were built from');
  const oldFen = base.oldFen.slice();
  const newFen = base.newFen.slice();
  for (let k = 0; k < changed.length; k++) {
    const i = changed[k];
    const it = items[i];
    validateRow(it, i);
    if (base.fractions[base.share[i]].s !== it.fundShare) throw new RangeError(`withPrices: items[${i}] has another fund share`);
    oldFen[i] = it.oldPriceFen;
    newFen[i] = it.newPriceFen;
  }
  return { oldFen, newFen, share: base.share, fractions: base.fractions };
}

export function summarizeImpactByIndex(
  items: readonly ImpactItem[] | ImpactColumns,
  entries: { row: ArrayLike<number>; quantity: ArrayLike<number>; group: ArrayLike<number> },
  groupKeys: readonly string[],
  labelOf: (key: string) => string = (k) => k,
): ImpactGroup[] {
  const n = entries.row.length;
  if (entries.quantity.length !== n || entries.group.length !== n) throw new RangeError('entries: row, quantity and group must have the same length');
  // the rows as columns (prices and an index into the distinct fund-share fractions), so the entry loop reads typed arrays
  const cols = 'oldFen' in items ? items : impactColumns(items);
  const m = cols.oldFen.length;
  const p0 = cols.oldFen;
  const p1 = cols.newFen;
  const fi = cols.share;
  const fracs = cols.fractions;
  const accs: (Acc | undefined)[] = new Array(groupKeys.length);
  for (let e = 0; e < n; e++) {
    const r = entries.row[e];
    if (r < 0) continue;
    if (!(r < m)) throw new RangeError(`entries.row[${e}] is not a row index`);
    const g = entries.group[e];
    if (!(g >= 0 && g < groupKeys.length)) throw new RangeError(`entries.group[${e}] is not a group index`);
    const q = entries.quantity[e];
    if (!Number.isSafeInteger(q) || q < 0) throw new RangeError(`entries.quantity[${e}] must be a non-negative integer`);
    const a = (accs[g] ??= newAcc());
    const dp = p1[r] - p0[r];
    const base = p0[r] * q;
    if (dp === 0) {
      // an unchanged row only adds to the revenue
      if (!Number.isSafeInteger(base)) throw new RangeError(`entries[${e}] price × quantity exceeds the exact range`);
      a.rowCount++;
      a.base += base;
      a.newRev += base;
      continue;
    }
    const amount = dp * q;
    const after = p1[r] * q;
    if (!Number.isSafeInteger(base) || !Number.isSafeInteger(after)) throw new RangeError(`entries[${e}] price × quantity exceeds the exact range`);
    accumulate(a, base, after, dp, amount, mulShare(amount, fracs[fi[r]]));
  }
  const out: ImpactGroup[] = [];
  for (let g = 0; g < groupKeys.length; g++) {
    const a = accs[g];
    if (!a) continue;
    for (const v of [a.base, a.newRev, a.up, a.down, a.fundUp, a.fundDown]) assertSafeSum(v, 'group sum');
    out.push(toGroup(groupKeys[g], labelOf(groupKeys[g]), a));
  }
  return out;
}

/**
 * Groups of groups: every figure of an ImpactGroup is a sum over its rows, so the groups of a coarser key (hospital
 * type from hospitals, province from cities) are the sums of the finer groups — exactly, fund parts included. Keys
 * come out in first-seen order.
 */
export function mergeImpactGroups(groups: readonly ImpactGroup[], keyOf: (g: ImpactGroup) => string, labelOf: (key: string) => string = (k) => k): ImpactGroup[] {
  const out = new Map<string, ImpactGroup>();
  for (const g of groups) {
    const k = keyOf(g);
    const m = out.get(k);
    if (!m) {
      out.set(k, {
        key: k, labelZh: labelOf(k), rowCount: g.rowCount, changedCount: g.changedCount, upCount: g.upCount, downCount: g.downCount,
        baseRevenueFen: g.baseRevenueFen, newRevenueFen: g.newRevenueFen, grossUpFen: g.grossUpFen, grossDownFen: g.grossDownFen,
        netFen: g.netFen, fundFen: g.fundFen, outOfPocketFen: g.outOfPocketFen,
      });
      continue;
    }
    m.rowCount += g.rowCount;
    m.changedCount += g.changedCount;
    m.upCount += g.upCount;
    m.downCount += g.downCount;
    m.baseRevenueFen += g.baseRevenueFen;
    m.newRevenueFen += g.newRevenueFen;
    m.grossUpFen += g.grossUpFen;
    m.grossDownFen += g.grossDownFen;
    m.netFen += g.netFen;
    m.fundFen += g.fundFen;
    m.outOfPocketFen += g.outOfPocketFen;
  }
  for (const m of out.values()) {
    for (const v of [m.baseRevenueFen, m.newRevenueFen, m.grossUpFen, m.grossDownFen, m.fundFen]) assertSafeSum(v, 'group sum');
  }
  return [...out.values()];
}

/** 医疗服务收入占比 before and after a scenario (serviceRevenueShare). */
export interface ServiceShareChange {
  before: number;
  after: number;
  serviceRevenueFen: number;
  examLabRevenueFen: number;
  impliedMedicalRevenueFen: number;
  deltaServiceFen: number;
  deltaExamLabFen: number;
}

/**
 * 医疗服务收入占比 after a scenario, from its value before (`shareBefore`, a rate): the base-year revenue of the service
 * items other than exams and lab (S0, at old prices) is the numerator, so medical revenue M0 = S0 ÷ shareBefore;
 * volumes and drug and material revenue unchanged, after = (S0 + ΔS) ÷ (M0 + ΔS + ΔE), ΔS and ΔE the net changes of
 * the service and of the exam/lab rows. Rows are columns (`examLab[i]` 1 for an exam or lab row); `changed` lists the
 * rows whose prices differ. Null when shareBefore or S0 is not positive.
 */
export function serviceRevenueShare(
  cols: Pick<ImpactColumns, 'oldFen' | 'newFen'>,
  quantity: ArrayLike<number>,
  examLab: ArrayLike<number>,
  changed: ArrayLike<number>,
  shareBefore: number,
): ServiceShareChange | null {
  const { oldFen, newFen } = cols;
  let S0 = 0;
  let E0 = 0;
  for (let i = 0; i < oldFen.length; i++) {
    if (examLab[i]) E0 += oldFen[i] * quantity[i];
    else S0 += oldFen[i] * quantity[i];
  }
  let dS = 0;
  let dE = 0;
  for (let k = 0; k < changed.length; k++) {
    const i = changed[k];
    const d = (newFen[i] - oldFen[i]) * quantity[i];
    if (examLab[i]) dE += d;
    else dS += d;
  }
  if (!(shareBefore > 0 && S0 > 0)) return null;
  const M0 = S0 / shareBefore;
  return {
    before: shareBefore,
    after: (S0 + dS) / (M0 + dS + dE),
    serviceRevenueFen: S0,
    examLabRevenueFen: E0,
    impliedMedicalRevenueFen: Math.round(M0),
    deltaServiceFen: dS,
    deltaExamLabFen: dE,
  };
}
