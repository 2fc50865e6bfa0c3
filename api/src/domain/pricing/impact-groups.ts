/**
 * Impact figures grouped by any key — hospital, hospital type, payment class, item — with the same definitions and
 * rounding as analyzeImpact (impact.ts): the fund part is rounded per row, so the groups' fund sums add up to the
 * scenario's fund exactly. The rows can be given as objects (summarizeImpactBy) or as typed columns with entries
 * pointing at them (summarizeImpactByIndex: a hospital's volumes of the region's rows, without building a row per
 * entry).
 */
import { groupBy } from '../stats';
import { assertSafeSum } from './guards';
import { accumulate, mulShare, newAcc, shareFraction, toGroup, validateRow, type Acc, type ImpactGroup, type ImpactItem, type ShareFraction } from './impact';

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
