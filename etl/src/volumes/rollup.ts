import type { PoolClient } from 'pg';
import type { IssueCollector } from '../issues';
import { CopyIn } from './copy-in';
import { Reference } from './reference';
import { MIN_YEAR, monthsText, VolumeAggregate, YEAR_SPAN } from './rows';

/**
 * The rollups of the volume partitions:
 * - volume_annual_institution (region, institution, item, year): Σ quantity and the months loaded (bit m = month
 *   m, bit 0 = whole year); it is how an overlapping period is found;
 * - volume_annual_level (region, item, level, ownership, year): Σ quantity, what scenario impact is computed on.
 * Both are kept per (region, year): every change recomputes or merges the keys of the (region, year) pairs it
 * touches, within the load's transaction.
 */

export interface RegionYear {
  region: string;
  year: number;
}

/** Advisory-lock namespace for (region, year) pairs of volume rollups. */
const LOCK_SPACE = 0x766f6c; // 'vol'

const PAIRS = `select * from unnest($1::text[], $2::smallint[]) as p(region_code, year)`;

export function pairParams(pairs: readonly RegionYear[]): [string[], number[]] {
  return [pairs.map((p) => p.region), pairs.map((p) => p.year)];
}

/** The (region, year) pairs of an aggregate, in code order; `pairOf[e]` is the pair index of entry e. */
export function regionYears(agg: VolumeAggregate, ref: Reference): { pairs: RegionYear[]; pairOf: Int32Array } {
  // region index × year → pair (dense: a few thousand regions × 128 years)
  const slot = new Int32Array(ref.regionCodes.length * YEAR_SPAN).fill(-1);
  const found: { region: number; year: number }[] = [];
  const pairOf = new Int32Array(agg.size);
  for (let e = 0; e < agg.size; e++) {
    const k = ref.instRegion[agg.inst(e)] * YEAR_SPAN + (agg.keys.b[e] % YEAR_SPAN);
    let p = slot[k];
    if (p < 0) {
      p = slot[k] = found.length;
      found.push({ region: ref.instRegion[agg.inst(e)], year: agg.year(e) });
    }
    pairOf[e] = p;
  }
  const order = found.map((_, i) => i).sort((x, y) => found[x].region - found[y].region || found[x].year - found[y].year);
  const rank = new Int32Array(found.length);
  order.forEach((i, r) => (rank[i] = r));
  for (let e = 0; e < pairOf.length; e++) pairOf[e] = rank[pairOf[e]];
  return { pairs: order.map((i) => ({ region: ref.regionCodes[found[i].region], year: found[i].year })), pairOf };
}

/** The entries of each pair: entries order[start[p] … start[p + 1]) belong to pair p. Memory: 4 bytes per entry. */
function entriesByPair(agg: VolumeAggregate, pairOf: Int32Array, nPairs: number, selected: Uint8Array): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(nPairs + 1);
  for (let e = 0; e < agg.size; e++) if (selected[pairOf[e]]) start[pairOf[e] + 1]++;
  for (let p = 0; p < nPairs; p++) start[p + 1] += start[p];
  const order = new Int32Array(start[nPairs]);
  const fill = start.slice(0, nPairs);
  for (let e = 0; e < agg.size; e++) if (selected[pairOf[e]]) order[fill[pairOf[e]]++] = e;
  return { order, start };
}

/** Serialises loads and removals touching the same (region, year) (in one order, so two loads cannot deadlock). */
export async function lockRegionYears(db: PoolClient, pairs: readonly RegionYear[]): Promise<void> {
  if (pairs.length === 0) return;
  await db.query(
    `select count(pg_advisory_xact_lock(${LOCK_SPACE}, h)) from (select distinct hashtext(region_code || ':' || year) as h from (${PAIRS}) p order by 1) x`,
    pairParams(pairs),
  );
}

/** The pairs that already have rows in volume_annual_institution. */
export async function pairsWithData(db: PoolClient, pairs: readonly RegionYear[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const r = await db.query<{ region_code: string; year: number }>(
    `select p.region_code, p.year from (${PAIRS}) p
      where exists (select 1 from volume_annual_institution v where v.region_code = p.region_code and v.year = p.year)`,
    pairParams(pairs),
  );
  return new Set(r.rows.map((x) => `${x.region_code}:${x.year}`));
}

/** Writes rows as CSV lines into COPY in 256 kB pieces. */
async function copyLines(db: PoolClient, sql: string, lines: () => Iterable<string>): Promise<number> {
  const copy = new CopyIn(db, sql);
  let buf = '';
  for (const l of lines()) {
    buf += l;
    if (buf.length >= 1 << 18) {
      await copy.write([Buffer.from(buf, 'utf8')]);
      buf = '';
    }
  }
  if (buf) await copy.write([Buffer.from(buf, 'utf8')]);
  return copy.end();
}

function csv(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Entries of the aggregate whose pair is selected, in primary-key order of volume_annual_institution
 * (region, year, institution, item): pairs are in code order, institution ids in (region, code) order, items by rank.
 * Memory: 4 bytes per entry, and 8 per entry of the largest pair for its sort keys.
 */
function* sortedEntries(agg: VolumeAggregate, ref: Reference, pairs: readonly RegionYear[], pairOf: Int32Array, selected: Uint8Array): Generator<number> {
  const { order, start } = entriesByPair(agg, pairOf, pairs.length, selected);
  if (order.length === 0) return;
  const rank = ref.itemRanks();
  const byRank = new Int32Array(rank.length);
  rank.forEach((r, id) => (byRank[r] = id));
  const nItems = Math.max(1, rank.length);
  let keys = new Float64Array(0);
  for (let p = 0; p < pairs.length; p++) {
    const n = start[p + 1] - start[p];
    if (n === 0) continue;
    if (keys.length < n) keys = new Float64Array(n);
    const part = keys.subarray(0, n);
    for (let i = 0; i < n; i++) {
      const e = order[start[p] + i];
      part[i] = agg.inst(e) * nItems + rank[agg.item(e)];
    }
    part.sort();
    const yearBits = pairs[p].year - MIN_YEAR;
    for (let i = 0; i < n; i++) {
      const inst = Math.floor(part[i] / nItems);
      const item = byRank[part[i] - inst * nItems];
      yield agg.keys.find(inst, item * YEAR_SPAN + yearBits);
    }
  }
}

const INST_COLUMNS = 'region_code, institution_code, item_code, year, quantity, months';

/**
 * Stages the entries of the selected pairs in a temporary table `vol_agg` (for the overlap check and the merge into
 * pairs that already have data).
 */
export async function stageAggregate(
  db: PoolClient, agg: VolumeAggregate, ref: Reference, pairs: readonly RegionYear[], pairOf: Int32Array, selected: Uint8Array,
): Promise<number> {
  await db.query(`create temp table vol_agg (region_code text not null, institution_code text not null, item_code text not null,
    year smallint not null, quantity bigint not null, months integer not null, first_row bigint not null) on commit drop`);
  return copyLines(db, `copy vol_agg (${INST_COLUMNS}, first_row) from stdin with (format csv)`, function* () {
    for (const e of sortedEntries(agg, ref, pairs, pairOf, selected)) {
      const inst = agg.inst(e);
      yield `${ref.regionCodes[ref.instRegion[inst]]},${csv(ref.instCode[inst])},${csv(ref.itemCode[agg.item(e)])},${agg.year(e)},${agg.sum[e]},${agg.months[e]},${agg.firstRow[e]}\n`;
    }
  });
}

const OVERLAP = `(t.months & v.months) <> 0 or ((t.months | v.months) & 1) <> 0`;

/**
 * Reports the staged keys whose period overlaps what is loaded already (the same month, or a whole-year total next
 * to monthly figures), naming the batch that holds it. Returns how many keys overlap.
 */
export async function reportOverlaps(db: PoolClient, issues: IssueCollector, yearColumn: string | null, limit: number): Promise<number> {
  const n = await db.query<{ n: number }>(
    `select count(*)::int as n from vol_agg t join volume_annual_institution v using (region_code, year, institution_code, item_code) where ${OVERLAP}`,
  );
  const total = n.rows[0].n;
  if (total === 0) return 0;
  const r = await db.query<{
    region_code: string; institution_code: string; item_code: string; year: number; new_months: number; old_months: number; first_row: string;
    batch_id: string | null; file_name: string | null;
  }>(
    `with o as (
       select t.*, t.months as new_months, v.months as old_months
         from vol_agg t join volume_annual_institution v using (region_code, year, institution_code, item_code)
        where ${OVERLAP} order by t.first_row limit $1),
     held as (
       select distinct on (p.region_code, p.institution_code, p.item_code, p.year) p.region_code, p.institution_code, p.item_code, p.year,
              p.batch_id
         from volume p join (select * from o limit 1000) k using (region_code, institution_code, item_code, year)
        order by p.region_code, p.institution_code, p.item_code, p.year, p.batch_id desc)
     select o.*, h.batch_id, b.file_name
       from o left join held h using (region_code, institution_code, item_code, year) left join load_batch b on b.id = h.batch_id
      order by o.first_row`,
    [Math.min(total, limit)],
  );
  for (const o of r.rows) {
    const by = o.batch_id ? `批次 #${o.batch_id}（${o.file_name ?? ''}）` : '此前的批次';
    issues.add(Number(o.first_row), yearColumn,
      `统计期间重叠：机构 ${o.institution_code} 项目 ${o.item_code} ${o.year}年${monthsText(o.new_months)}的服务量与已由${by}导入的${monthsText(o.old_months)}数据重叠`,
      `overlapping period: volumes of institution ${o.institution_code}, item ${o.item_code}, ${o.year} already loaded by ${o.batch_id ? `batch ${o.batch_id}` : 'an earlier batch'}`);
  }
  // the ones not listed still count
  for (let i = r.rows.length; i < total; i++) issues.total++;
  return total;
}

/** --skip-invalid: removes the keys that overlap loaded data from the partition and from the staged aggregate. */
export async function dropOverlaps(db: PoolClient, partition: string): Promise<number> {
  await db.query(`create temp table vol_overlap on commit drop as
    select t.region_code, t.institution_code, t.item_code, t.year from vol_agg t
      join volume_annual_institution v using (region_code, year, institution_code, item_code) where ${OVERLAP}`);
  const del = await db.query(`delete from ${partition} p using vol_overlap o
    where p.region_code = o.region_code and p.institution_code = o.institution_code and p.item_code = o.item_code and p.year = o.year`);
  await db.query(`delete from vol_agg t using vol_overlap o
    where t.region_code = o.region_code and t.institution_code = o.institution_code and t.item_code = o.item_code and t.year = o.year`);
  return del.rowCount ?? 0;
}

/**
 * Merges a validated aggregate into the rollups: pairs with no data yet get their rows by COPY in key order (no
 * conflicts possible under the pair locks); pairs with data get the staged rows merged (Σ quantity, months OR-ed).
 * volume_annual_level is then recomputed for every pair touched.
 */
export async function mergeAggregate(
  db: PoolClient, agg: VolumeAggregate, ref: Reference, pairs: readonly RegionYear[], pairOf: Int32Array, existing: Uint8Array,
  lap: (phase: string) => void = () => undefined,
): Promise<void> {
  const fresh = existing.map((x) => (x ? 0 : 1));
  const freshPairs = pairs.filter((_, i) => fresh[i]);
  const oldPairs = pairs.filter((_, i) => existing[i]);
  if (freshPairs.length > 0) {
    await copyLines(db, `copy volume_annual_institution (${INST_COLUMNS}) from stdin with (format csv)`, function* () {
      for (const e of sortedEntries(agg, ref, pairs, pairOf, fresh)) {
        const inst = agg.inst(e);
        yield `${ref.regionCodes[ref.instRegion[inst]]},${csv(ref.instCode[inst])},${csv(ref.itemCode[agg.item(e)])},${agg.year(e)},${agg.sum[e]},${agg.months[e]}\n`;
      }
    });
    lap('institution rollup (copy)');
    // the level rollup of these pairs, summed here from the aggregate, pair by pair into a dense
    // (item, level, ownership) array, and written in primary-key order (region, year, item, level, ownership)
    await db.query(`delete from volume_annual_level where (region_code, year) in (${PAIRS})`, pairParams(freshPairs));
    const { order, start } = entriesByPair(agg, pairOf, pairs.length, fresh);
    const rank = ref.itemRanks();
    const byRank = new Int32Array(rank.length);
    rank.forEach((r, id) => (byRank[r] = id));
    const nItems = rank.length;
    const sums = new Float64Array(nItems * 6);
    const seen = new Uint8Array(nItems * 6);
    await copyLines(db, `copy volume_annual_level (region_code, item_code, hospital_level, is_public, year, quantity) from stdin with (format csv)`, function* () {
      for (let p = 0; p < pairs.length; p++) {
        if (start[p + 1] === start[p]) continue;
        sums.fill(0);
        seen.fill(0);
        for (let i = start[p]; i < start[p + 1]; i++) {
          const e = order[i];
          const inst = agg.inst(e);
          const k = rank[agg.item(e)] * 6 + (ref.instLevel[inst] - 1) * 2 + ref.instPublic[inst];
          sums[k] += agg.sum[e];
          seen[k] = 1;
        }
        const { region, year } = pairs[p];
        for (let r = 0; r < nItems; r++) {
          for (let lp = 0; lp < 6; lp++) {
            if (seen[r * 6 + lp]) yield `${region},${csv(ref.itemCode[byRank[r]])},${(lp >> 1) + 1},${lp & 1 ? 't' : 'f'},${year},${sums[r * 6 + lp]}\n`;
          }
        }
      }
    });
    lap('level rollup (copy)');
  }
  if (oldPairs.length > 0) {
    await db.query(
      `insert into volume_annual_institution as v (${INST_COLUMNS})
       select ${INST_COLUMNS} from vol_agg order by region_code, year, institution_code, item_code
       on conflict (region_code, year, institution_code, item_code)
       do update set quantity = v.quantity + excluded.quantity, months = v.months | excluded.months`,
    );
    lap('institution rollup (merge)');
    await refreshLevels(db, oldPairs);
    lap('level rollup (refresh)');
  }
}

/** Recomputes volume_annual_level of the pairs from volume_annual_institution and the institutions' levels. */
export async function refreshLevels(db: PoolClient, pairs: readonly RegionYear[]): Promise<void> {
  if (pairs.length === 0) return;
  await db.query(`delete from volume_annual_level where (region_code, year) in (${PAIRS})`, pairParams(pairs));
  await db.query(
    `insert into volume_annual_level (region_code, item_code, hospital_level, is_public, year, quantity)
     select v.region_code, v.item_code, i.hospital_level, i.is_public, v.year, sum(v.quantity)
       from volume_annual_institution v join institution i on i.region_code = v.region_code and i.code = v.institution_code
      where (v.region_code, v.year) in (${PAIRS})
      group by v.region_code, v.item_code, i.hospital_level, i.is_public, v.year`,
    pairParams(pairs),
  );
}

/** Recomputes volume_annual_institution of the pairs from the attached partitions of `volume`. */
export async function rebuildInstitutions(db: PoolClient, pairs: readonly RegionYear[]): Promise<void> {
  if (pairs.length === 0) return;
  await db.query(`delete from volume_annual_institution where (region_code, year) in (${PAIRS})`, pairParams(pairs));
  await db.query(
    `insert into volume_annual_institution (${INST_COLUMNS})
     select region_code, institution_code, item_code, year, sum(quantity), bit_or(1 << month::int)
       from volume where (region_code, year) in (${PAIRS})
      group by region_code, year, institution_code, item_code`,
    pairParams(pairs),
  );
}
