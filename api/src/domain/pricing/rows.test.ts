import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HospitalLevel } from '../reference';
import { ChangeList, placeColumns, placedRows, replaceColumns } from './change-list';
import { placeChanges, rowKey, type ImpactRow, type RowChange } from './rows';

function baseRow(itemCode: string, level: HospitalLevel, priceFen: number): ImpactRow {
  return {
    itemCode, name: `项目${itemCode}`, unit: '次', categoryCode: 'general', family: 'labour', level, oldPriceFen: priceFen, newPriceFen: priceFen,
    quantity: 10, fundShare: 0.6, fundShareSource: 'demo', unitCostFen: null, labourShare: null, labourShareSource: 'category', paymentClass: '甲',
    changed: false, reason: null,
  };
}

/** Base rows of `items` items at levels 3, 2, 1 (sorted as the facts are: item code, then level 3 → 1). */
function baseRows(items: number): ImpactRow[] {
  const rows: ImpactRow[] = [];
  for (let i = 0; i < items; i++) for (const level of [3, 2, 1] as const) rows.push(baseRow(`A${String(i).padStart(3, '0')}`, level, 1000 + i * 10 + level));
  return rows;
}

const ITEMS = 12;
const base = baseRows(ITEMS);
const baseIndex = new Map(base.map((r, i) => [rowKey(r.itemCode, r.level), i]));
const makeRow = (itemCode: string, level: HospitalLevel, oldFen: number, newFen: number, changed: boolean, reason: string | null) => ({ ...baseRow(itemCode, level, oldFen), newPriceFen: newFen, changed, reason });
const at = (changes: readonly RowChange[]) => changes.map((c) => baseIndex.get(rowKey(c.itemCode, c.level)) ?? -1);

/** A change of row i (of the base rows) to new price p. */
const change = (i: number, p: number, reason: string | null): RowChange => ({ itemCode: base[i].itemCode, level: base[i].level, oldPriceFen: base[i].oldPriceFen, newPriceFen: p, reason });

const rowIdx = fc.integer({ min: 0, max: base.length - 1 });
/** A change list of distinct base rows (a reason on some). */
const changeListArb = fc
  .uniqueArray(fc.tuple(rowIdx, fc.integer({ min: 0, max: 5000 }), fc.option(fc.constantFrom('技术劳务', '设备折旧'))), { selector: (t) => t[0], maxLength: 20 })
  .map((xs) => xs.map(([i, p, r]) => change(i, p, r)));
/** Edits of base rows: a new price with a reason, or null (removed). */
const editsArb = fc.uniqueArray(fc.tuple(rowIdx, fc.option(fc.integer({ min: 0, max: 5000 }))), { selector: (t) => t[0], maxLength: 6 });

/** The list after edits, as a map keeps it: an edited change keeps its place, a new one goes last, a removed one goes. */
function editedList(a: readonly RowChange[], edits: ReadonlyMap<string, RowChange | null>): RowChange[] {
  const b = new Map(a.map((c) => [rowKey(c.itemCode, c.level), c]));
  for (const [k, c] of edits) if (c) b.set(k, c); else b.delete(k);
  return [...b.values()];
}

describe('ChangeList (a change list as columns)', () => {
  it('gives back the changes it was made of, in order', () => {
    fc.assert(
      fc.property(changeListArb, (a) => {
        const list = ChangeList.of(a);
        expect(list.toArray()).toEqual(a);
        expect(list.length).toBe(a.length);
        // no reason column when no change has a reason
        expect(list.reasons === null).toBe(a.every((c) => c.reason === null));
      }),
      { seed: 20261204, numRuns: 200 },
    );
  });

  it('edits as a map of the changes by row would: set in place, new ones last, removed ones gone', () => {
    fc.assert(
      fc.property(changeListArb, editsArb, (a, edits) => {
        const editMap = new Map(edits.map(([i, p]) => [rowKey(base[i].itemCode, base[i].level), p === null ? null : change(i, p, '调整')]));
        const set = [...editMap.values()].filter((c): c is RowChange => c !== null);
        const remove = edits.filter(([, p]) => p === null).map(([i]) => ({ itemCode: base[i].itemCode, level: base[i].level }));
        expect(ChangeList.of(a).edit(set, remove).toArray()).toEqual(editedList(a, editMap));
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });
});

describe('placeColumns and placedRows (a placement kept as columns)', () => {
  it('build the rows placeChanges builds', () => {
    fc.assert(
      fc.property(changeListArb, (a) => {
        const expected = placeChanges(base, a, at(a), makeRow);
        const p = placeColumns(ChangeList.of(a), at(a));
        expect(p).not.toBeNull();
        expect(Array.from(p!.changed)).toEqual(Array.from(expected.changed));
        expect(placedRows(base, p!)).toEqual(expected.rows);
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });

  it('leave a change at an unpriced level to placeChanges', () => {
    const outside: RowChange = { itemCode: 'Z999', level: 3, oldPriceFen: 100, newPriceFen: 120, reason: null };
    expect(placeColumns(ChangeList.of([change(0, 1, null), outside]), [0, -1])).toBeNull();
  });
});

describe('replaceColumns (an edit placed on the earlier placement)', () => {
  it('equals placing the whole edited list (rows, changed indexes)', () => {
    fc.assert(
      fc.property(changeListArb, editsArb, (a, edits) => {
        const editMap = new Map(edits.map(([i, p]) => [rowKey(base[i].itemCode, base[i].level), p === null ? null : change(i, p, '调整')]));
        const bList = editedList(a, editMap);
        const expected = placeChanges(base, bList, at(bList), makeRow);
        const got = replaceColumns(placeColumns(ChangeList.of(a), at(a))!, baseIndex, editMap);
        expect(got).not.toBeNull();
        expect(Array.from(got!.changed)).toEqual(Array.from(expected.changed));
        expect(placedRows(base, got!)).toEqual(expected.rows);
        // the reasons column only when a placed change has a reason
        expect(got!.reasons === null).toBe(bList.every((c) => c.reason === null));
      }),
      { seed: 20261203, numRuns: 300 },
    );
  });

  it('hands a change at an unpriced level back to placeChanges', () => {
    const placed = placeColumns(ChangeList.of([]), [])!;
    const outside: RowChange = { itemCode: 'Z999', level: 3, oldPriceFen: 100, newPriceFen: 120, reason: null };
    expect(replaceColumns(placed, baseIndex, new Map([[rowKey('Z999', 3), outside]]))).toBeNull();
    // removing a row that was never placed changes nothing
    const same = replaceColumns(placed, baseIndex, new Map([[rowKey('Z999', 3), null]]));
    expect(placedRows(base, same!)).toEqual(base);
  });
});
