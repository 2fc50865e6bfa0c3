/**
 * The rows a scenario's impact is computed over, and how a scenario's changes are put in place among them.
 *
 * A row is one service item at one hospital level, priced on the round's price date: its price in force (P⁰ = P¹
 * while unchanged), the base-year volume Q of the public hospitals at that level, its fund share and its cost. The
 * base rows are sorted by item code, then level 3 → 1 (rowOrder).
 *
 * Placing changes (placeChanges): a change of an item and level that has a base row replaces that row's old and new
 * price (the change's stored old price, which is the price in force on the price date when it was saved); a change at
 * a level not priced on the price date adds a row of its own, and the rows are sorted again. Each (item, level) is
 * changed at most once, so the changed rows are the rows at the changes' positions.
 */
import { CATEGORIES, EXAM_LAB_CATEGORIES, type CategoryFamily, type HospitalLevel } from '../reference';
import type { FundShareSource } from './fund-share';
import type { ImpactItem } from './impact';

export interface ImpactRow extends ImpactItem {
  unit: string | null;
  paymentClass: string | null;
  fundShareSource: FundShareSource;
  changed: boolean;
  reason: string | null;
}

/** The family of a category code (labour / equipment / mixed). */
export const FAMILY_OF: ReadonlyMap<string, CategoryFamily> = new Map(CATEGORIES.map((c) => [c.code, c.family]));

/** Item code ascending, then level 3 → 1. */
export const rowOrder = (a: { itemCode: string; level: number }, b: { itemCode: string; level: number }): number =>
  a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : b.level - a.level;

/** `${itemCode}|${level}`: the key of a row. */
export const rowKey = (itemCode: string, level: number): string => `${itemCode}|${level}`;

/** A row with a scenario's change in place (the same fields in the same order as the base rows). */
export function changedRow(r: ImpactRow, oldFen: number, newFen: number, reason: string | null): ImpactRow {
  return {
    itemCode: r.itemCode, name: r.name, unit: r.unit, categoryCode: r.categoryCode, family: r.family, level: r.level,
    oldPriceFen: oldFen, newPriceFen: newFen, quantity: r.quantity, fundShare: r.fundShare, fundShareSource: r.fundShareSource,
    unitCostFen: r.unitCostFen, labourShare: r.labourShare, labourShareSource: r.labourShareSource, paymentClass: r.paymentClass,
    changed: true, reason,
  };
}

export interface RowGroups {
  /** 1 when the row's category is an exam or lab one (outside 医疗服务收入) */
  examLab: Uint8Array;
  paymentClass: Int32Array;
  paymentClassKeys: readonly string[];
  /** 0 … n − 1, and each row's quantity (for grouping the rows themselves by index) */
  identity: Int32Array;
  quantity: Float64Array;
  /** distinct item codes */
  itemCount: number;
}

/** Exam/lab flags and payment-class groups of rows (no class: 未标注). */
export function rowGroups(rows: readonly ImpactRow[]): RowGroups {
  const keys: string[] = [];
  const at = new Map<string, number>();
  const paymentClass = new Int32Array(rows.length);
  const examLab = new Uint8Array(rows.length);
  const identity = new Int32Array(rows.length);
  const quantity = new Float64Array(rows.length);
  const codes = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    identity[i] = i;
    quantity[i] = rows[i].quantity;
    codes.add(rows[i].itemCode);
    const k = rows[i].paymentClass ?? '未标注';
    let g = at.get(k);
    if (g === undefined) {
      g = keys.length;
      keys.push(k);
      at.set(k, g);
    }
    paymentClass[i] = g;
    examLab[i] = EXAM_LAB_CATEGORIES.has(rows[i].categoryCode) ? 1 : 0;
  }
  return { examLab, paymentClass, paymentClassKeys: keys, identity, quantity, itemCount: codes.size };
}

export interface RowChange {
  itemCode: string;
  level: number;
  oldPriceFen: number;
  newPriceFen: number;
  reason: string | null;
}

export interface PlacedChanges {
  /** The base rows with the changes in place (sorted by rowOrder). */
  rows: ImpactRow[];
  /** Whether a change added a row: then rows are no longer aligned with the base rows. */
  extra: boolean;
  /** Indexes of the changed rows in rows, ascending. */
  changed: Int32Array;
  /** When extra: the index in rows of each `${itemCode}|${level}`. */
  index?: ReadonlyMap<string, number>;
}

/**
 * The base rows with the changes in place. `at[k]` is change k's base row (−1: a level not priced on the price
 * date, then `makeRow` builds its row). Changes name distinct (item, level) pairs.
 */
export function placeChanges(
  base: readonly ImpactRow[],
  changes: readonly RowChange[],
  at: ArrayLike<number>,
  makeRow: (itemCode: string, level: HospitalLevel, oldFen: number, newFen: number, changed: boolean, reason: string | null) => ImpactRow,
): PlacedChanges {
  let rows = base.slice();
  const extra: ImpactRow[] = [];
  for (let k = 0; k < changes.length; k++) {
    const c = changes[k];
    const i = at[k];
    if (i < 0) extra.push(makeRow(c.itemCode, c.level as HospitalLevel, c.oldPriceFen, c.newPriceFen, true, c.reason));
    else rows[i] = changedRow(rows[i], c.oldPriceFen, c.newPriceFen, c.reason);
  }
  if (!extra.length) {
    // every change is at its base row, one per item and level
    return { rows, extra: false, changed: Int32Array.from(at).sort() };
  }
  rows = rows.concat(extra).sort(rowOrder);
  const index = new Map(rows.map((r, i) => [rowKey(r.itemCode, r.level), i]));
  const idx: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i].changed) idx.push(i);
  return { rows, extra: true, changed: Int32Array.from(idx), index };
}

/**
 * Per-hospital volume entries re-pointed at the rows after placeChanges: entry e pointed at base row entryRow[e]
 * (−1: its item is not priced at the hospital's level, entryKey[e] naming it); after the changes it points at that
 * row's new index, or at a row a change added for it (else −1).
 */
export function entryRowsAfter(
  placed: PlacedChanges,
  base: readonly ImpactRow[],
  entryRow: Int32Array,
  entryKey: readonly (string | undefined)[],
): Int32Array {
  const index = placed.index;
  if (!index) return entryRow;
  return Int32Array.from(entryRow, (r, e) => index.get(r >= 0 ? rowKey(base[r].itemCode, base[r].level) : entryKey[e]!) ?? -1);
}
