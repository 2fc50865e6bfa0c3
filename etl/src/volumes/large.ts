import type { PoolClient } from 'pg';
import { IssueCollector } from '../issues';
import type { LoadContext } from '../loader';
import { Reference } from './reference';
import type { Coverage, PartitionKeys } from './rollup';
import { PassThroughAggregate, RowChecker, VolumeAggregate, VolumeKey } from './rows';

/**
 * Large-file mode of the volumes loader (load.ts): the file's rows stream into the batch's partition with the same
 * row checks as in memory mode but without the aggregate; what the aggregate finds is then found in SQL on the
 * partition, in the load's transaction:
 * - repeated periods in the file (the same month twice, a whole-year total beside monthly figures) and sums beyond
 *   2^53: one GROUP BY over the rows of the institution-years the pass could not clear (StretchCheck), or over the
 *   whole partition when it could clear none (`vol_conflict`);
 * - the keys of the institution-years that collide with volume_coverage, for the overlap check: summed from the
 *   partition into `vol_agg` (PartitionStage).
 * The messages need file rows, which the partition does not hold: the file is read once more (streaming) for the
 * keys to report only, and the repeated periods are replayed on an aggregate of those keys, so that every message
 * (row, column, text) is the one memory mode gives. Rows are COPY'd in file order into a fresh table, so the order of
 * ctid is the order of the file: the keys reported first are those of the smallest ctid.
 */

const MAX_SAFE = '9007199254740991';
/** first_row of a staged key not yet resolved to a file row: this + its first ctid (block × 2^16 + offset) */
const UNRESOLVED = 2 ** 50;

type Key = string;

function keyOf(region: string, inst: string, item: string, year: number): Key {
  return `${region}\t${inst}\t${item}\t${year}`;
}

interface KeyRow {
  region_code: string;
  institution_code: string;
  item_code: string;
  year: number;
}

/**
 * Reads the file again through the general reader; `visit` sees each valid row of the wanted items (as the pass
 * checked it, with its key) and returns false to stop.
 */
async function rescan(
  ctx: LoadContext<VolumeKey>, ref: Reference, items: Set<string>,
  visit: (key: Key, r: { inst: number; item: number; year: number; month: number; quantity: number }, row: number) => boolean,
): Promise<void> {
  const { cols } = ctx;
  const checker = new RowChecker(ref, new PassThroughAggregate(), new IssueCollector(ctx.file, 0), cols, ctx.options.region ?? null);
  let cells: (string | null)[] = [];
  const cell = (k: VolumeKey) => {
    const c = cols[k];
    return c ? (cells[c.index] ?? null) : null;
  };
  const itemCol = cols.item!;
  for await (const row of ctx.table.rows()) {
    const it = row.cells[itemCol.index];
    if (!it || !items.has(it.trim())) continue;
    cells = row.cells;
    const r = checker.check(cell, row.rowNo);
    if (!r) continue;
    if (!visit(keyOf(ref.regionCodes[r.region], ref.instCode[r.inst], ref.itemCode[r.item], r.year), r, row.rowNo)) return;
  }
}

/**
 * Finds the repeated periods and the sums beyond 2^53 of the partition and reports them as memory mode does (the
 * same rows, columns and messages; the first `issues.limit` listed, all counted).
 *
 * The rows memory mode refuses are, per key (institution, item, year) with a repeated period: when its first row is
 * a whole-year total, every later row; otherwise every whole-year total and every row of a month seen before. They
 * are not counted in the running sums, and under --skip-invalid they are deleted from the partition (and the months of
 * their institution-years in `cov` recomputed from the rows kept), so that the partition holds the rows memory mode
 * would have sent to COPY. Returns the number of rows deleted.
 *
 * `only`: the institution-years to look at (those the pass could not clear, StretchCheck), null: all.
 */
export async function checkPartition(
  ctx: LoadContext<VolumeKey>, ref: Reference, partition: string, cov: Coverage, only: { inst: number; year: number }[] | null,
): Promise<number> {
  const { db, issues, cols } = ctx;
  const phase = ctx.options.onPhase ?? (() => undefined);
  phase('aggregate');
  const bits = 'bit_or(1 << month::int)';
  await db.query('drop table if exists vol_conflict');
  await db.query(
    `create temp table vol_conflict on commit drop as
     select region_code, institution_code, item_code, year, count(*)::int as n, ${bits} as months, min(ctid) as first_tid,
            sum(quantity) as total, null::int as first_month
       from ${partition}
      ${only ? 'where (region_code, institution_code, year) in (select * from unnest($1::text[], $2::text[], $3::smallint[]))' : ''}
      group by region_code, institution_code, item_code, year
     having (count(*) > 1 and (count(*) > bit_count(${bits}::bit(13)) or (${bits} & 1) = 1)) or sum(quantity) > ${MAX_SAFE}`,
    only ? [only.map((k) => ref.regionCodes[ref.instRegion[k.inst]]), only.map((k) => ref.instCode[k.inst]), only.map((k) => k.year)] : [],
  );
  const conflict = `n > 1 and (n > bit_count(months::bit(13)) or (months & 1) = 1)`;
  const c = await db.query<{ keys: number }>(`select count(*)::int as keys from vol_conflict where ${conflict}`);
  const big = (await db.query(`select 1 from vol_conflict where total > ${MAX_SAFE} limit 1`)).rowCount! > 0;
  let dropped = 0;
  let refused = false;
  if (c.rows[0].keys > 0) {
    // the month of each key's first row decides which rows memory mode would have refused
    await db.query(`update vol_conflict c set first_month = p.month from ${partition} p where p.ctid = c.first_tid and ${conflict.replace(/\b(n|months)\b/g, 'c.$1')}`);
    const rejected = `(case when first_month = 0 then n - 1 else n - bit_count((months & ~1)::bit(13)) end)`;
    const total = await db.query<{ n: string }>(`select sum(${rejected})::bigint as n from vol_conflict where ${conflict}`);
    const all = Number(total.rows[0].n);
    const room = Math.max(0, issues.limit - issues.items.length);
    const chosen = room === 0 ? [] : (await db.query<KeyRow & { rejected: number }>(
      `select region_code, institution_code, item_code, year, ${rejected}::int as rejected from vol_conflict where ${conflict}
        order by first_tid limit $1`, [room])).rows;
    let reported = 0;
    if (chosen.length > 0) {
      // replay the rows of these keys, in file order, on an aggregate of their own: the same messages as memory mode
      const want = new Set(chosen.map((k) => keyOf(k.region_code, k.institution_code, k.item_code, k.year)));
      const target = chosen.reduce((s, k) => s + k.rejected, 0);
      phase('rescan');
      const replay = new RowChecker(ref, new VolumeAggregate(Math.max(64, chosen.length * 2)), issues, cols, ctx.options.region ?? null);
      await rescan(ctx, ref, new Set(chosen.map((k) => k.item_code)), (key, r, row) => {
        if (!want.has(key)) return true;
        if (!replay.acceptParts(r.inst, r.item, r.year, r.month, r.quantity, row)) reported++;
        return reported < target;
      });
    }
    // the ones not listed still count, and their rows are rejected rows whose numbers are not known
    for (let i = reported; i < all; i++) issues.total++;
    issues.unlistedRows += all - reported;
    if (ctx.options.skipInvalid || big) {
      refused = true;
      const keyConflict = conflict.replace(/\b(n|months)\b/g, 'c.$1');
      await db.query(
        `create temp table vol_refused on commit drop as
         select tid from (
           select p.ctid as tid, p.month, c.first_month, c.first_tid,
                  row_number() over (partition by p.region_code, p.institution_code, p.item_code, p.year, p.month order by p.ctid) as nth
             from ${partition} p join vol_conflict c using (region_code, institution_code, item_code, year)
            where ${keyConflict}) r
          where case when first_month = 0 then tid <> first_tid else month = 0 or nth > 1 end`,
      );
    }
    if (ctx.options.skipInvalid) {
      phase('drop-invalid');
      const d = await db.query(`delete from ${partition} where ctid = any(array(select tid from vol_refused))`);
      dropped = d.rowCount ?? 0;
      // the months of the institution-years that lost rows, from the rows kept (the coverage memory mode writes)
      const m = await db.query<{ region_code: string; institution_code: string; year: number; months: number }>(
        `select p.region_code, p.institution_code, p.year, bit_or(1 << p.month::int) as months
           from ${partition} p
           join (select distinct region_code, institution_code, year from vol_conflict where ${conflict}) k
                using (region_code, institution_code, year)
          group by p.region_code, p.institution_code, p.year`,
      );
      for (const r of m.rows) cov.setMonths(ref.institutions.getString(ref.regionIndex(r.region_code), r.institution_code), r.year, r.months);
    }
  }
  if (big) phase('running-sum');
  // memory mode adds the rows it accepts only: the refused ones (deleted by now under --skip-invalid) do not count
  const o = !big ? { rows: [{ n: 0 }] } : await db.query<{ n: number }>(
    `select count(*)::int as n from (
       select row_number() over w as rn, sum(p.quantity) over w as s
         from ${partition} p join vol_conflict c using (region_code, institution_code, item_code, year)
        where c.total > ${MAX_SAFE}${refused && !ctx.options.skipInvalid ? ' and p.ctid <> all(array(select tid from vol_refused))' : ''}
       window w as (partition by p.region_code, p.institution_code, p.item_code, p.year order by p.ctid)) x
      where rn > 1 and s > ${MAX_SAFE}`,
  );
  if (o.rows[0].n > 0) {
    issues.add(null, cols.quantity?.letter ?? null, `服务量合计超出可精确计算的范围（${o.rows[0].n} 行）`, 'a sum of quantities exceeds 2^53');
  }
  await db.query('drop table vol_conflict');
  if (refused) await db.query('drop table vol_refused');
  return dropped;
}

/** The keys of the staged institution-years summed from the partition into `vol_agg` (first_row: UNRESOLVED + ctid). */
export class PartitionStage implements PartitionKeys {
  constructor(private readonly partition: string) {}

  async stage(db: PoolClient, regions: string[], years: number[], institutions: string[]): Promise<void> {
    await db.query(
      `insert into vol_agg (region_code, institution_code, item_code, year, quantity, months, first_row)
       select region_code, institution_code, item_code, year, sum(quantity), bit_or(1 << month::int),
              ${UNRESOLVED}::bigint + (((min(ctid)::text::point)[0])::bigint << 16) + ((min(ctid)::text::point)[1])::bigint
         from ${this.partition}
        where (region_code, year, institution_code) in (select * from unnest($1::text[], $2::smallint[], $3::text[]))
        group by region_code, institution_code, item_code, year`,
      [regions, years, institutions],
    );
  }
}

/**
 * Gives the keys of `vol_overlap` that will be listed (the first `limit` in file order) their file row, from a
 * reading of the file; the others keep a first_row beyond any file row, so they sort after.
 */
export async function resolveOverlapRows(ctx: LoadContext<VolumeKey>, ref: Reference, limit: number): Promise<void> {
  if (limit <= 0) return;
  const r = await ctx.db.query<KeyRow>(
    `select region_code, institution_code, item_code, year from vol_overlap
      group by region_code, institution_code, item_code, year order by min(first_row) limit $1`, [limit]);
  if (r.rowCount === 0) return;
  ctx.options.onPhase?.('rescan');
  const found = new Map<Key, number>();
  const want = new Set(r.rows.map((k) => keyOf(k.region_code, k.institution_code, k.item_code, k.year)));
  await rescan(ctx, ref, new Set(r.rows.map((k) => k.item_code)), (key, _r, row) => {
    if (want.has(key) && !found.has(key)) found.set(key, row);
    return found.size < want.size;
  });
  const keys = r.rows.filter((k) => found.has(keyOf(k.region_code, k.institution_code, k.item_code, k.year)));
  await ctx.db.query(
    `update vol_overlap o set first_row = k.row
       from unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::bigint[]) as k(region_code, institution_code, item_code, year, row)
      where o.region_code = k.region_code and o.institution_code = k.institution_code and o.item_code = k.item_code and o.year = k.year`,
    [keys.map((k) => k.region_code), keys.map((k) => k.institution_code), keys.map((k) => k.item_code), keys.map((k) => k.year),
      keys.map((k) => found.get(keyOf(k.region_code, k.institution_code, k.item_code, k.year))!)],
  );
}
