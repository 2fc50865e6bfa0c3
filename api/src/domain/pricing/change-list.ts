/**
 * A scenario's change list kept as columns: what an open scenario keeps in memory between requests.
 *
 * A list of 10,000 changes as objects is 10,000 small objects (about 1 MB with their strings) that the garbage
 * collector walks on every full collection, for every scenario a user has open; as columns it is five arrays — the
 * prices in typed arrays, the item codes as references to shared strings, the reasons only when a change has one.
 * The changes keep their order; each names a distinct (item, level).
 */
import { changedRow, rowKey, type ImpactRow, type RowChange } from './rows';

/** What names a change's row: its item and level. */
export interface ChangeKey {
  itemCode: string;
  level: number;
}

/** Reasons as a column: null until one is set (most changes have none). */
function putReason(reasons: (string | null)[] | null, n: number, j: number, r: string | null | undefined): (string | null)[] | null {
  if (r === null || r === undefined) return reasons;
  reasons ??= new Array<string | null>(n).fill(null);
  reasons[j] = r;
  return reasons;
}

export class ChangeList {
  private constructor(
    readonly itemCode: readonly string[],
    readonly level: Uint8Array,
    readonly oldPriceFen: Float64Array,
    readonly newPriceFen: Float64Array,
    /** null when no change has a reason */
    readonly reasons: readonly (string | null)[] | null,
  ) {}

  /**
   * The list of `changes` as columns. `share`: returns the string to keep for an item code or a reason (an equal one
   * kept already, so that the lists of many scenarios point at one copy).
   */
  static of(changes: readonly RowChange[], share: (s: string) => string = (s) => s): ChangeList {
    const b = new ChangeList.Builder(changes.length);
    changes.forEach((c, k) => b.put(k, share(c.itemCode), c.level, c.oldPriceFen, c.newPriceFen, c.reason == null ? null : share(c.reason)));
    return b.done();
  }

  /** Fills the columns of a new list of n changes. */
  private static Builder = class {
    readonly codes: string[];
    readonly level: Uint8Array;
    readonly oldFen: Float64Array;
    readonly newFen: Float64Array;
    reasons: (string | null)[] | null = null;
    constructor(readonly n: number) {
      this.codes = new Array<string>(n);
      this.level = new Uint8Array(n);
      this.oldFen = new Float64Array(n);
      this.newFen = new Float64Array(n);
    }
    put(j: number, code: string, level: number, oldFen: number, newFen: number, reason: string | null): void {
      this.codes[j] = code;
      this.level[j] = level;
      this.oldFen[j] = oldFen;
      this.newFen[j] = newFen;
      this.reasons = putReason(this.reasons, this.n, j, reason);
    }
    done(): ChangeList {
      return new ChangeList(this.codes, this.level, this.oldFen, this.newFen, this.reasons);
    }
  };

  get length(): number {
    return this.itemCode.length;
  }

  reason(k: number): string | null {
    return this.reasons ? this.reasons[k] : null;
  }

  key(k: number): string {
    return rowKey(this.itemCode[k], this.level[k]);
  }

  /** Change k as an object. */
  at(k: number): RowChange {
    return { itemCode: this.itemCode[k], level: this.level[k], oldPriceFen: this.oldPriceFen[k], newPriceFen: this.newPriceFen[k], reason: this.reason(k) };
  }

  /** Every change as an object, in order (for a computation that takes them so; not kept). */
  toArray(): RowChange[] {
    return Array.from({ length: this.length }, (_, k) => this.at(k));
  }

  /**
   * The list after setting `set` (a change of an (item, level) already listed takes its place, a new one is added at
   * the end) and removing `remove` (a key not listed is ignored). Only the rows of the items touched build a key.
   */
  edit(set: readonly RowChange[], remove: readonly ChangeKey[], share: (s: string) => string = (s) => s): ChangeList {
    const removed = new Set(remove.map((x) => rowKey(x.itemCode, x.level)));
    const byKey = new Map(set.map((x) => [rowKey(x.itemCode, x.level), x]));
    const touched = new Set([...remove, ...set].map((x) => x.itemCode));
    const out: RowChange[] = [];
    const kept: number[] = [];
    for (let k = 0; k < this.length; k++) {
      if (!touched.has(this.itemCode[k])) {
        kept.push(k);
        continue;
      }
      const key = this.key(k);
      if (removed.has(key)) continue;
      const x = byKey.get(key);
      if (x) {
        byKey.delete(key);
        kept.push(-1 - out.length);
        out.push(x);
      } else {
        kept.push(k);
      }
    }
    for (const x of byKey.values()) {
      kept.push(-1 - out.length);
      out.push(x);
    }
    // kept[j] ≥ 0: this list's change; < 0: out[−1 − kept[j]]
    const b = new ChangeList.Builder(kept.length);
    kept.forEach((k, j) => {
      if (k >= 0) {
        b.put(j, this.itemCode[k], this.level[k], this.oldPriceFen[k], this.newPriceFen[k], this.reason(k));
      } else {
        const x = out[-1 - k];
        b.put(j, share(x.itemCode), x.level, x.oldPriceFen, x.newPriceFen, x.reason == null ? null : share(x.reason));
      }
    });
    return b.done();
  }
}

/**
 * A placement kept small: every change is at a base row (none at a level not priced on the price date), so the
 * placed rows are the base rows with, at the ascending indexes `changed`, the prices and reason of column k.
 */
export interface PlacedColumns {
  changed: Int32Array;
  oldPriceFen: Float64Array;
  newPriceFen: Float64Array;
  reasons: readonly (string | null)[] | null;
}

/** The placement of `list` whose change k is at base row `at[k]`; null when a change is outside the base (−1). */
export function placeColumns(list: ChangeList, at: ArrayLike<number>): PlacedColumns | null {
  const n = list.length;
  const order = Array.from({ length: n }, (_, k) => k);
  for (let k = 0; k < n; k++) if (at[k] < 0) return null;
  order.sort((a, b) => at[a] - at[b]);
  const changed = new Int32Array(n);
  const oldFen = new Float64Array(n);
  const newFen = new Float64Array(n);
  const reasons = list.reasons ? new Array<string | null>(n) : null;
  for (let j = 0; j < n; j++) {
    const k = order[j];
    changed[j] = at[k];
    oldFen[j] = list.oldPriceFen[k];
    newFen[j] = list.newPriceFen[k];
    if (reasons) reasons[j] = list.reasons![k];
  }
  return { changed, oldPriceFen: oldFen, newPriceFen: newFen, reasons };
}

/**
 * The placement of a list that differs from an earlier one's in the rows `edits` names (key → its change now, null:
 * removed): the earlier placement with those rows set or dropped. Null when an edit sets a row outside the base.
 */
export function replaceColumns(prev: PlacedColumns, baseIndex: ReadonlyMap<string, number>, edits: ReadonlyMap<string, RowChange | null>): PlacedColumns | null {
  const set = new Map<number, RowChange | null>();
  for (const [key, c] of edits) {
    const i = baseIndex.get(key);
    if (i === undefined) {
      if (c) return null;
      continue;
    }
    set.set(i, c);
  }
  // the rows after: the earlier ones not touched, and the touched ones that are set
  const rows: number[] = [];
  for (const i of prev.changed) if (!set.has(i)) rows.push(i);
  for (const [i, c] of set) if (c) rows.push(i);
  const changed = Int32Array.from(rows).sort();
  const n = changed.length;
  const oldFen = new Float64Array(n);
  const newFen = new Float64Array(n);
  let reasons: (string | null)[] | null = null;
  let p = 0;
  for (let j = 0; j < n; j++) {
    const i = changed[j];
    while (p < prev.changed.length && prev.changed[p] < i) p++;
    const c = set.get(i);
    let reason: string | null;
    if (c) {
      oldFen[j] = c.oldPriceFen;
      newFen[j] = c.newPriceFen;
      reason = c.reason ?? null;
    } else {
      oldFen[j] = prev.oldPriceFen[p];
      newFen[j] = prev.newPriceFen[p];
      reason = prev.reasons ? prev.reasons[p] : null;
    }
    reasons = putReason(reasons, n, j, reason);
  }
  return { changed, oldPriceFen: oldFen, newPriceFen: newFen, reasons };
}

/** The base rows with a compact placement in place: a row object per changed row, built for one computation. */
export function placedRows(base: readonly ImpactRow[], p: PlacedColumns): ImpactRow[] {
  const rows = base.slice();
  for (let j = 0; j < p.changed.length; j++) {
    const i = p.changed[j];
    rows[i] = changedRow(base[i], p.oldPriceFen[j], p.newPriceFen[j], p.reasons ? p.reasons[j] : null);
  }
  return rows;
}
