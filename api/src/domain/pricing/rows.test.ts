import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HospitalLevel } from '../reference';
import { placeChanges, replaceChanges, rowKey, type ImpactRow, type RowChange } from './rows';

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

describe('replaceChanges (an edit placed on the earlier placement)', () => {
  it('equals placing the whole edited list (rows, changed indexes)', () => {
    const rowIdx = fc.integer({ min: 0, max: base.length - 1 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(rowIdx, fc.integer({ min: 0, max: 5000 })), { selector: (t) => t[0], maxLength: 20 }),
        fc.uniqueArray(fc.tuple(rowIdx, fc.option(fc.integer({ min: 0, max: 5000 }))), { selector: (t) => t[0], maxLength: 6 }),
        (first, edits) => {
          const a = first.map(([i, p]) => change(i, p, null));
          const editMap = new Map(edits.map(([i, p]) => [rowKey(base[i].itemCode, base[i].level), p === null ? null : change(i, p, '调整')]));
          const b = new Map(a.map((c) => [rowKey(c.itemCode, c.level), c]));
          for (const [k, c] of editMap) if (c) b.set(k, c); else b.delete(k);
          const bList = [...b.values()];
          const expected = placeChanges(base, bList, at(bList), makeRow);
          const got = replaceChanges(placeChanges(base, a, at(a), makeRow), base, baseIndex, editMap);
          expect(got).not.toBeNull();
          expect(got!.rows).toEqual(expected.rows);
          expect(Array.from(got!.changed)).toEqual(Array.from(expected.changed));
          expect(got!.extra).toBe(false);
        },
      ),
      { seed: 20261203, numRuns: 300 },
    );
  });

  it('hands a change at an unpriced level back to placeChanges', () => {
    const placed = placeChanges(base, [], [], makeRow);
    const outside: RowChange = { itemCode: 'Z999', level: 3, oldPriceFen: 100, newPriceFen: 120, reason: null };
    expect(replaceChanges(placed, base, baseIndex, new Map([[rowKey('Z999', 3), outside]]))).toBeNull();
    // removing a row that was never placed changes nothing
    const same = replaceChanges(placed, base, baseIndex, new Map([[rowKey('Z999', 3), null]]));
    expect(same!.rows).toEqual(placed.rows);
  });
});
