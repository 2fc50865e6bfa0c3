import type { PoolClient } from 'pg';
import { ByteTable, PairTable } from './tables';

/**
 * What a volume row is checked against, loaded once before the rows are read: every region code, the
 * institutions and the price-table items of the regions involved, and the national item catalogue. Codes are
 * interned (ByteTable) so the scanner looks them up from the file's bytes.
 *
 * Ids follow PostgreSQL's order of the codes (regions by code, institutions by region then code, items by code),
 * so sorting by id sorts the rollup rows in primary-key order.
 */
export class Reference {
  /** region code (tag 0) → region index; every region of the `region` table */
  readonly regions = new ByteTable(4096);
  readonly regionCodes: string[] = [];
  /** (region index, code) → institution id */
  readonly institutions = new ByteTable(4096);
  readonly instCode: string[] = [];
  instRegion = new Int32Array(0);
  instLevel = new Uint8Array(0);
  instPublic = new Uint8Array(0);
  /** item code (tag 0) → item id */
  readonly items = new ByteTable(16384);
  readonly itemCode: string[] = [];
  /** item id → 1 when the code is in the national catalogue (`item`) */
  national = new Uint8Array(0);
  /** (region index, item id) pairs of the regions' price tables (`region_item`) */
  readonly regionItems = new PairTable(16384);
  /** indexes of the regions whose institutions and items were loaded; null = all of them */
  loadedRegions: Set<number> | null = null;

  regionIndex(code: string): number {
    return this.regions.getString(0, code);
  }

  /** item id → rank of its code in sort order (ids are in insertion order, not code order). */
  itemRanks(): Int32Array {
    const order = this.itemCode.map((_, i) => i).sort((x, y) => (this.itemCode[x] < this.itemCode[y] ? -1 : this.itemCode[x] > this.itemCode[y] ? 1 : 0));
    const rank = new Int32Array(order.length);
    order.forEach((id, r) => (rank[id] = r));
    return rank;
  }

  /**
   * Loads the reference data. `regions` limits institutions and items to those regions (null: all regions);
   * region codes, the national catalogue and the institutions' levels always come whole.
   */
  static async load(db: PoolClient, regions: string[] | null): Promise<Reference> {
    const ref = new Reference();
    const where = regions ? 'where region_code = any($1::text[])' : '';
    const params = regions ? [regions] : [];
    const [reg, inst, items, nat] = [
      await db.query<{ c: string[] | null }>(`select json_agg(code order by code) as c from region`),
      await db.query<{ region_code: string; l: [string, number, boolean][] }>(
        `select region_code, json_agg(json_build_array(code, hospital_level, is_public) order by code) as l
           from institution ${where} group by region_code order by region_code`, params),
      await db.query<{ region_code: string; l: string[] }>(
        `select region_code, json_agg(item_code order by item_code) as l from region_item ${where} group by region_code order by region_code`, params),
      await db.query<{ c: string[] | null }>(`select json_agg(code order by code) as c from item`),
    ];
    for (const code of reg.rows[0]?.c ?? []) {
      ref.regions.addString(0, code);
      ref.regionCodes.push(code);
    }
    const total = inst.rows.reduce((n, r) => n + r.l.length, 0);
    ref.instRegion = new Int32Array(total);
    ref.instLevel = new Uint8Array(total);
    ref.instPublic = new Uint8Array(total);
    for (const r of inst.rows) {
      const ri = ref.regionIndex(r.region_code);
      if (ri < 0) continue;
      for (const [code, level, pub] of r.l) {
        const id = ref.institutions.addString(ri, code);
        if (id !== ref.instCode.length) continue; // repeated code (cannot happen: primary key)
        ref.instCode.push(code);
        ref.instRegion[id] = ri;
        ref.instLevel[id] = level;
        ref.instPublic[id] = pub ? 1 : 0;
      }
    }
    const addItem = (code: string): number => {
      const id = ref.items.addString(0, code);
      if (id === ref.itemCode.length) ref.itemCode.push(code);
      return id;
    };
    const nationalIds = (nat.rows[0]?.c ?? []).map(addItem);
    for (const r of items.rows) {
      const ri = ref.regionIndex(r.region_code);
      if (ri < 0) continue;
      for (const code of r.l) ref.regionItems.findOrAdd(ri, addItem(code));
    }
    ref.national = new Uint8Array(ref.itemCode.length);
    for (const id of nationalIds) ref.national[id] = 1;
    if (regions) ref.loadedRegions = new Set(regions.map((c) => ref.regionIndex(c)).filter((i) => i >= 0));
    return ref;
  }

  private allowed = new Map<number, Uint8Array>();

  /** item id → 1 when the item may be reported in the region (its price table or the national catalogue). */
  allowedItems(regionIdx: number): Uint8Array {
    let m = this.allowed.get(regionIdx);
    if (!m) {
      m = Uint8Array.from(this.national);
      const { a, b, size } = this.regionItems;
      for (let i = 0; i < size; i++) if (a[i] === regionIdx) m[b[i]] = 1;
      this.allowed.set(regionIdx, m);
    }
    return m;
  }

  /** Whether item `itemId` may be reported in region `regionIdx`. */
  itemAllowed(regionIdx: number, itemId: number): boolean {
    return this.national[itemId] === 1 || this.regionItems.find(regionIdx, itemId) >= 0;
  }
}
