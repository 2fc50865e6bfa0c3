import type { PoolClient } from 'pg';
import type { IssueCollector } from '../issues';
import { CopyIn } from './copy-in';
import { Reference } from './reference';
import { MIN_YEAR, monthsText, RowSink, VolumeAggregate, YEAR_SPAN } from './rows';
import { growTyped, PairTable } from './tables';

/**
 * What is kept beside the partitions of `volume`:
 * - volume_coverage (region, year, institution, batch): the months the batch holds for that institution and year
 *   (bit m = month m, bit 0 = a whole-year total) — a few thousand rows for a national file. An overlapping period
 *   is found on it first; only the institution-years that collide there are checked item by item against `volume`.
 * - volume_annual_level (region, item, level, ownership, year): Σ quantity, what scenario impact is computed on.
 * Both change per (region, year) pair within the load's transaction, under an advisory lock per pair.
 */

export interface RegionYear {
  region: string;
  year: number;
}

/** Advisory-lock namespace for (region, year) pairs of volume data. */
const LOCK_SPACE = 0x766f6c; // 'vol'

const PAIRS = `select * from unnest($1::text[], $2::smallint[]) as p(region_code, year)`;

const YEAR_MASK = YEAR_SPAN - 1;

export function pairParams(pairs: readonly RegionYear[]): [string[], number[]] {
  return [pairs.map((p) => p.region), pairs.map((p) => p.year)];
}

/** Sizes where the loader changes its method (tests lower them to reach the other method with small files). */
export const LIMITS = {
  /** cells (item × level × ownership of a pair) the level sums gathered during the pass may take (× 9 bytes) */
  sumCells: 1 << 25,
  /** aggregates from this many keys write into an empty volume_annual_level without its primary key */
  rebuildKeys: 100_000,
};

/**
 * What the pass learns beside the aggregate, row by row (RowChecker hands it every row it accepts): the months of
 * each institution-year, the items present, and the level sums (Σ quantity per pair, item, level and ownership) in
 * a dense array per (region, year) pair — so that neither needs a pass over the tens of millions of aggregate
 * entries afterwards. Rows come grouped by institution: the lookups run once per stretch of rows of one
 * institution-year. More than LIMITS.sumCells cells of level sums (many pairs × many items; large-file mode: more than
 * its budget allows) and the sums are given up: writeLevelsFromAggregate then sums the aggregate (large-file mode: the
 * rollup is computed in SQL). Call finish() after the pass.
 */
export class Coverage implements RowSink {
  /** (institution id, year − MIN_YEAR) → institution-year index */
  readonly table: PairTable;
  /** months of each institution-year (bit m = month m, bit 0 = whole year) */
  months = new Uint16Array(0);
  /** pair index of each institution-year (after finish) */
  pairOf = new Int32Array(0);
  /** the (region, year) pairs in code order (after finish) */
  pairs: RegionYear[] = [];
  /** item id → 1 when some row has the item */
  readonly itemUsed: Uint8Array;
  /** region index × YEAR_SPAN + (year − MIN_YEAR) → pair index (discovery order until finish, then code order), or −1 */
  readonly pairSlot: Int32Array;
  /** level sums per pair, cell item id × 6 + (level − 1) × 2 + ownership; null once given up */
  sums: Float64Array[] | null = [];
  seen: Uint8Array[] = [];
  private readonly found: number[] = [];
  private readonly instLp: Uint8Array;
  private lastInst = -1;
  private lastYear = -1;
  private slot = -1;
  private lp = 0;
  private curSums: Float64Array | null = null;
  private curSeen: Uint8Array | null = null;

  /**
   * `maxCells`: the most cells of level sums to gather (LIMITS.sumCells; large-file mode: what its memory budget
   * allows; 0: none, the rollup is computed in SQL)
   */
  constructor(readonly ref: Reference, private readonly maxCells = LIMITS.sumCells) {
    if (maxCells <= 0) this.sums = null;
    this.table = new PairTable(1024, (n) => (this.months = growTyped(this.months, n)));
    this.months = new Uint16Array(this.table.capacity);
    this.itemUsed = new Uint8Array(ref.itemCode.length);
    this.pairSlot = new Int32Array(ref.regionCodes.length * YEAR_SPAN).fill(-1);
    this.instLp = new Uint8Array(ref.instCode.length);
    for (let i = 0; i < this.instLp.length; i++) this.instLp[i] = (ref.instLevel[i] - 1) * 2 + ref.instPublic[i];
  }

  add(inst: number, item: number, year: number, month: number, quantity: number): void {
    const y = year - MIN_YEAR;
    if (inst !== this.lastInst || y !== this.lastYear) this.switchTo(inst, y);
    this.months[this.slot] |= 1 << month;
    this.itemUsed[item] = 1;
    const s = this.curSums;
    if (s !== null) {
      const k = item * 6 + this.lp;
      s[k] += quantity;
      this.curSeen![k] = 1;
    }
  }

  private switchTo(inst: number, y: number): void {
    this.lastInst = inst;
    this.lastYear = y;
    this.slot = this.table.findOrAdd(inst, y);
    this.lp = this.instLp[inst];
    const key = this.ref.instRegion[inst] * YEAR_SPAN + y;
    let p = this.pairSlot[key];
    if (p < 0) {
      p = this.pairSlot[key] = this.found.length;
      this.found.push(key);
      if (this.sums) {
        const cells = this.ref.itemCode.length * 6;
        if ((this.sums.length + 1) * cells > this.maxCells) {
          this.sums = null;
          this.seen = [];
        } else {
          this.sums.push(new Float64Array(cells));
          this.seen.push(new Uint8Array(cells));
        }
      }
    }
    this.curSums = this.sums ? this.sums[p] : null;
    this.curSeen = this.sums ? this.seen[p] : null;
  }

  /** Numbers the pairs in (region code, year) order (region ids follow code order). */
  finish(): this {
    const order = this.found.map((_, i) => i).sort((x, y) => this.found[x] - this.found[y]);
    order.forEach((i, p) => (this.pairSlot[this.found[i]] = p));
    this.pairs = order.map((i) => ({ region: this.ref.regionCodes[(this.found[i] / YEAR_SPAN) | 0], year: (this.found[i] % YEAR_SPAN) + MIN_YEAR }));
    if (this.sums) {
      const sums = this.sums;
      const seen = this.seen;
      this.sums = order.map((i) => sums[i]);
      this.seen = order.map((i) => seen[i]);
    }
    this.pairOf = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) this.pairOf[i] = this.pairSlot[this.ref.instRegion[this.table.a[i]] * YEAR_SPAN + this.table.b[i]];
    this.curSums = null;
    this.curSeen = null;
    return this;
  }

  get size(): number {
    return this.table.size;
  }

  /** Sets the months of an institution-year (large-file mode under --skip-invalid: those of the rows kept). */
  setMonths(inst: number, year: number, months: number): void {
    const i = this.table.find(inst, year - MIN_YEAR);
    if (i >= 0) this.months[i] = months;
  }

  inst(i: number): number {
    return this.table.a[i];
  }

  year(i: number): number {
    return this.table.b[i] + MIN_YEAR;
  }
}

/** Serialises loads and removals touching the same (region, year) (in one order, so two loads cannot deadlock). */
export async function lockRegionYears(db: PoolClient, pairs: readonly RegionYear[]): Promise<void> {
  if (pairs.length === 0) return;
  await db.query(
    `select count(pg_advisory_xact_lock(${LOCK_SPACE}, h)) from (select distinct hashtext(region_code || ':' || year) as h from (${PAIRS}) p order by 1) x`,
    pairParams(pairs),
  );
}

/** The pairs that already hold volume data (rows in volume_coverage). */
export async function pairsWithData(db: PoolClient, pairs: readonly RegionYear[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const r = await db.query<{ region_code: string; year: number }>(
    `select p.region_code, p.year from (${PAIRS}) p
      where exists (select 1 from volume_coverage c where c.region_code = p.region_code and c.year = p.year)`,
    pairParams(pairs),
  );
  return new Set(r.rows.map((x) => `${x.region_code}:${x.year}`));
}

/** Collects bytes and hands them to COPY in pieces of about 1 MB. */
class CopyBuffer {
  private buf = Buffer.allocUnsafe(CopyBuffer.SIZE);
  private n = 0;
  static readonly SIZE = 1 << 20;

  constructor(private readonly copy: CopyIn) {}

  /** Whether `k` more bytes do not fit (then: `await flush(k)`). */
  full(k: number): boolean {
    return this.n + k > this.buf.length;
  }

  bytes(b: Buffer): void {
    this.n += b.copy(this.buf, this.n);
  }

  text(s: string): void {
    this.n += this.buf.write(s, this.n, 'latin1');
  }

  /** Sends what is collected; the next buffer holds at least `k` bytes. */
  async flush(k = 0): Promise<void> {
    if (this.n > 0) await this.copy.write([this.buf.subarray(0, this.n)]);
    this.buf = Buffer.allocUnsafe(Math.max(CopyBuffer.SIZE, k)); // the one sent may still be queued in the socket
    this.n = 0;
  }

  async end(): Promise<number> {
    if (this.n > 0) await this.copy.write([this.buf.subarray(0, this.n)]);
    this.n = 0;
    return this.copy.end();
  }
}

/** Writes rows as CSV lines into COPY in 1 MB pieces. */
async function copyLines(db: PoolClient, sql: string, lines: () => Iterable<string>): Promise<number> {
  const out = new CopyBuffer(new CopyIn(db, sql));
  for (const l of lines()) {
    const b = Buffer.from(l, 'utf8');
    if (out.full(b.length)) await out.flush(b.length);
    out.bytes(b);
  }
  return out.end();
}

function csv(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const AGG_COLUMNS = 'region_code, institution_code, item_code, year, quantity, months, first_row';

/** Large-file mode: the keys of the staged institution-years, summed from the batch's partition in SQL (large.ts). */
export interface PartitionKeys {
  stage(db: PoolClient, regions: string[], years: number[], institutions: string[]): Promise<void>;
}

/** Copies the aggregate's keys of the staged institution-years into `vol_agg`. */
async function stageAggregate(db: PoolClient, cov: Coverage, agg: VolumeAggregate, staged: Uint8Array): Promise<void> {
  const { ref } = cov;
  await copyLines(db, `copy vol_agg (${AGG_COLUMNS}) from stdin with (format csv)`, function* () {
    const { a, b } = agg.keys;
    let lastInst = -1;
    let lastYear = -1;
    let take = false;
    for (let e = 0; e < agg.size; e++) {
      const inst = a[e];
      const y = b[e] & YEAR_MASK;
      if (inst !== lastInst || y !== lastYear) {
        take = staged[cov.table.find(inst, y)] === 1;
        lastInst = inst;
        lastYear = y;
      }
      if (take) {
        yield `${ref.regionCodes[ref.instRegion[inst]]},${csv(ref.instCode[inst])},${csv(ref.itemCode[agg.item(e)])},${y + MIN_YEAR},${agg.sum[e]},${agg.months[e]},${agg.firstRow[e]}\n`;
      }
    }
  });
}

/**
 * Finds the keys of the aggregate whose period overlaps loaded data, into the temporary table `vol_overlap`
 * (region, year, institution, item, first_row, new_months, old_months, batch_id: one row per key and batch that
 * holds an overlapping period of it). Two steps:
 * 1. the coverage of the file (per institution and year) against volume_coverage of the pairs that have data;
 * 2. for the institution-years that collide there only: their keys are staged in `vol_agg` and compared with the
 *    rows of `volume` of the colliding batches, per key (the same item), months OR-ed.
 * Returns the institution-years staged in `vol_agg` (1 = staged), or null when nothing collided (then neither
 * table exists and nothing overlaps).
 */
export async function findOverlaps(db: PoolClient, cov: Coverage, agg: VolumeAggregate | PartitionKeys, withData: Uint8Array): Promise<Uint8Array | null> {
  const { ref } = cov;
  const idx: number[] = [];
  for (let i = 0; i < cov.size; i++) if (withData[cov.pairOf[i]]) idx.push(i);
  if (idx.length === 0) return null;
  const hits = await db.query<{ i: number; batch_id: string }>(
    `select n.i, c.batch_id
       from unnest($1::text[], $2::smallint[], $3::text[], $4::int[], $5::int[]) as n(region_code, year, institution_code, months, i)
       join volume_coverage c using (region_code, year, institution_code)
      where (n.months & c.months) <> 0 or ((n.months | c.months) & 1) <> 0`,
    [
      idx.map((i) => ref.regionCodes[ref.instRegion[cov.inst(i)]]), idx.map((i) => cov.year(i)), idx.map((i) => ref.instCode[cov.inst(i)]),
      idx.map((i) => cov.months[i]), idx,
    ],
  );
  if (hits.rowCount === 0) return null;
  const staged = new Uint8Array(cov.size);
  for (const h of hits.rows) staged[h.i] = 1;

  await db.query(`create temp table vol_agg (region_code text not null, institution_code text not null, item_code text not null,
    year smallint not null, quantity bigint not null, months integer not null, first_row bigint not null) on commit drop`);
  if (agg instanceof VolumeAggregate) await stageAggregate(db, cov, agg, staged);
  else {
    const st: number[] = [];
    for (let i = 0; i < cov.size; i++) if (staged[i]) st.push(i);
    await agg.stage(db, st.map((i) => ref.regionCodes[ref.instRegion[cov.inst(i)]]), st.map((i) => cov.year(i)), st.map((i) => ref.instCode[cov.inst(i)]));
  }
  await db.query('analyze vol_agg');
  const h = hits.rows;
  await db.query(
    `create temp table vol_overlap on commit drop as
     with old as (
       select v.region_code, v.year, v.institution_code, v.item_code, v.batch_id, bit_or(1 << v.month::int) as months
         from volume v
        where v.batch_id = any($5::bigint[])
          and (v.region_code, v.year, v.institution_code, v.batch_id)
              in (select * from unnest($1::text[], $2::smallint[], $3::text[], $4::bigint[]))
        group by v.region_code, v.year, v.institution_code, v.item_code, v.batch_id)
     select t.region_code, t.year, t.institution_code, t.item_code, t.first_row, t.months as new_months, o.months as old_months, o.batch_id
       from vol_agg t join old o using (region_code, year, institution_code, item_code)
      where (t.months & o.months) <> 0 or ((t.months | o.months) & 1) <> 0`,
    [
      h.map((x) => ref.regionCodes[ref.instRegion[cov.inst(x.i)]]), h.map((x) => cov.year(x.i)), h.map((x) => ref.instCode[cov.inst(x.i)]),
      h.map((x) => x.batch_id), [...new Set(h.map((x) => x.batch_id))],
    ],
  );
  return staged;
}

/**
 * Reports the keys whose period overlaps what is loaded already (the same month, or a whole-year total next to
 * monthly figures), from `vol_overlap`, naming the batch that holds it (the latest, when several do). Returns how
 * many keys overlap.
 */
export async function reportOverlaps(db: PoolClient, issues: IssueCollector, yearColumn: string | null, limit: number): Promise<number> {
  const n = await db.query<{ n: number }>(
    `select count(*)::int as n from (select distinct region_code, year, institution_code, item_code from vol_overlap) k`,
  );
  const total = n.rows[0].n;
  if (total === 0) return 0;
  const r = await db.query<{
    region_code: string; institution_code: string; item_code: string; year: number; new_months: number; old_months: number; first_row: string;
    batch_id: string | null; file_name: string | null;
  }>(
    `with o as (
       select distinct on (region_code, year, institution_code, item_code) *
         from vol_overlap order by region_code, year, institution_code, item_code, batch_id desc)
     select o.*, b.file_name from o left join load_batch b on b.id = o.batch_id
      order by o.first_row limit $1`,
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
  const keys = `(select distinct region_code, year, institution_code, item_code from vol_overlap)`;
  const del = await db.query(`delete from ${partition} p using ${keys} o
    where p.region_code = o.region_code and p.institution_code = o.institution_code and p.item_code = o.item_code and p.year = o.year`);
  await db.query(`delete from vol_agg t using ${keys} o
    where t.region_code = o.region_code and t.institution_code = o.institution_code and t.item_code = o.item_code and t.year = o.year`);
  return del.rowCount ?? 0;
}

/**
 * Writes the batch's rows of volume_coverage: from the aggregate, except the institution-years staged in `vol_agg`
 * (`staged`), which come from there (under --skip-invalid the keys that overlapped are gone from it).
 */
export async function writeCoverage(db: PoolClient, batchId: number, cov: Coverage, staged: Uint8Array | null): Promise<void> {
  const { ref } = cov;
  await copyLines(db, `copy volume_coverage (region_code, year, institution_code, batch_id, months) from stdin with (format csv)`, function* () {
    for (let i = 0; i < cov.size; i++) {
      if (staged?.[i]) continue;
      const inst = cov.inst(i);
      yield `${ref.regionCodes[ref.instRegion[inst]]},${cov.year(i)},${csv(ref.instCode[inst])},${batchId},${cov.months[i]}\n`;
    }
  });
  if (staged) {
    await db.query(
      `insert into volume_coverage (region_code, year, institution_code, batch_id, months)
       select region_code, year, institution_code, $1, bit_or(months) from vol_agg group by region_code, year, institution_code`,
      [batchId],
    );
  }
}

/** Cells of the dense level sums per pass over the aggregate (× 9 bytes): pairs are summed in groups of this size. */
const LEVEL_CELLS = 1 << 24;

/**
 * The level rollup of the pairs `selected` (pairs without data before this load): from the sums gathered during
 * the pass (Coverage), else summed from the aggregate — per group of pairs one sequential pass over its entries
 * into a dense (pair, item, level, ownership) array. Written in primary-key order (region, year, item, level,
 * ownership) through COPY.
 */
export async function writeLevelsFromAggregate(db: PoolClient, cov: Coverage, agg: VolumeAggregate | null, selected: Uint8Array, keys: number): Promise<number> {
  const { ref, pairs } = cov;
  const chosen = pairs.map((_, p) => p).filter((p) => selected[p]);
  if (chosen.length === 0) return 0;
  if (!cov.sums && !agg) throw new Error('level rollup: neither level sums nor an aggregate');
  const rebuild = keys >= LIMITS.rebuildKeys && (await takeEmptyLevelTable(db));
  if (rebuild) await db.query(`alter table volume_annual_level drop constraint ${LEVEL_PKEY}`);
  else await db.query(`delete from volume_annual_level where (region_code, year) in (${PAIRS})`, pairParams(chosen.map((p) => pairs[p])));
  // items present, by code
  const used: number[] = [];
  for (let id = 0; id < cov.itemUsed.length; id++) if (cov.itemUsed[id]) used.push(id);
  used.sort((x, y) => (ref.itemCode[x] < ref.itemCode[y] ? -1 : ref.itemCode[x] > ref.itemCode[y] ? 1 : 0));
  const itemBytes = used.map((id) => Buffer.from(`${csv(ref.itemCode[id])},`, 'utf8'));
  const lpBytes = [0, 1, 2, 3, 4, 5].map((lp) => Buffer.from(`${(lp >> 1) + 1},${lp & 1 ? 't' : 'f'},`, 'latin1'));
  const out = new CopyBuffer(new CopyIn(db, `copy volume_annual_level (region_code, year, item_code, hospital_level, is_public, quantity) from stdin with (format csv)`));
  /** the rows of one pair from its sums; `cell(r)` is where item used[r] starts */
  const write = async (p: number, sums: Float64Array, seen: Uint8Array, cell: (r: number) => number) => {
    const { region, year } = pairs[p];
    const prefix = Buffer.from(`${region},${year},`, 'utf8');
    for (let r = 0; r < used.length; r++) {
      const base = cell(r);
      for (let lp = 0; lp < 6; lp++) {
        if (!seen[base + lp]) continue;
        const room = prefix.length + itemBytes[r].length + 4 + 17;
        if (out.full(room)) await out.flush(room);
        out.bytes(prefix);
        out.bytes(itemBytes[r]);
        out.bytes(lpBytes[lp]);
        out.text(`${sums[base + lp]}\n`);
      }
    }
  };
  if (cov.sums) {
    for (const p of chosen) await write(p, cov.sums[p], cov.seen[p], (r) => used[r] * 6);
  } else if (agg) {
    const local = new Int32Array(ref.itemCode.length).fill(-1);
    used.forEach((id, r) => (local[id] = r));
    const nItems = Math.max(1, used.length);
    // (level − 1) × 2 + ownership of each institution
    const instLp = new Uint8Array(ref.instCode.length);
    for (let i = 0; i < instLp.length; i++) instLp[i] = (ref.instLevel[i] - 1) * 2 + ref.instPublic[i];
    const perGroup = Math.max(1, Math.floor(LEVEL_CELLS / (nItems * 6)));
    const groupOf = new Int32Array(pairs.length);
    const cells = Math.min(chosen.length, perGroup) * nItems * 6;
    const sums = new Float64Array(cells);
    const seen = new Uint8Array(cells);
    const { a, b } = agg.keys;
    const sum = agg.sum;
    const { pairSlot } = cov;
    const { instRegion } = ref;
    for (let g0 = 0; g0 < chosen.length; g0 += perGroup) {
      const group = chosen.slice(g0, g0 + perGroup);
      groupOf.fill(-1);
      group.forEach((p, g) => (groupOf[p] = g));
      sums.fill(0);
      seen.fill(0);
      for (let e = 0; e < agg.size; e++) {
        const inst = a[e];
        const g = groupOf[pairSlot[instRegion[inst] * YEAR_SPAN + (b[e] & YEAR_MASK)]];
        if (g < 0) continue;
        const k = (g * nItems + local[(b[e] / YEAR_SPAN) | 0]) * 6 + instLp[inst];
        sums[k] += sum[e];
        seen[k] = 1;
      }
      for (let g = 0; g < group.length; g++) await write(group[g], sums, seen, (r) => (g * nItems + r) * 6);
    }
  }
  const n = await out.end();
  if (rebuild) await db.query(`alter table volume_annual_level add constraint ${LEVEL_PKEY} primary key (${LEVEL_KEY})`);
  return n;
}

/** The primary key of volume_annual_level (initial schema), dropped and built again by a first large load. */
const LEVEL_PKEY = 'volume_annual_level_pkey';
const LEVEL_KEY = 'region_code, year, item_code, hospital_level, is_public';

/**
 * A first large load: when volume_annual_level is empty and no other transaction uses it, it is locked (until the
 * load commits) so that its rows can be written without the primary key, which is then built once from them —
 * about 2 s instead of 5 s for 1.9 million rows, most of COPY's time going into one index insertion (and its WAL
 * record) per row. Otherwise (rows in it, or a reader or another load on it: NOWAIT) nothing is locked.
 */
async function takeEmptyLevelTable(db: PoolClient): Promise<boolean> {
  await db.query('savepoint volume_level_lock');
  try {
    await db.query('lock table volume_annual_level in access exclusive mode nowait');
  } catch {
    await db.query('rollback to savepoint volume_level_lock');
    return false;
  }
  const r = await db.query<{ empty: boolean }>('select not exists (select 1 from volume_annual_level) as empty');
  if (!r.rows[0].empty) {
    await db.query('rollback to savepoint volume_level_lock'); // gives the lock back
    return false;
  }
  await db.query('release savepoint volume_level_lock');
  return true;
}

/**
 * Recomputes volume_annual_level of the pairs from the attached partitions of `volume` that hold them (the batches
 * of their volume_coverage rows).
 */
export async function refreshLevels(db: PoolClient, pairs: readonly RegionYear[]): Promise<void> {
  if (pairs.length === 0) return;
  const b = await db.query<{ batch_id: string }>(
    `select distinct batch_id from volume_coverage where (region_code, year) in (${PAIRS})`, pairParams(pairs));
  await db.query(`delete from volume_annual_level where (region_code, year) in (${PAIRS})`, pairParams(pairs));
  if (b.rowCount === 0) return;
  await db.query(
    `insert into volume_annual_level (region_code, item_code, hospital_level, is_public, year, quantity)
     select v.region_code, v.item_code, i.hospital_level, i.is_public, v.year, sum(v.quantity)
       from volume v join institution i on i.region_code = v.region_code and i.code = v.institution_code
      where v.batch_id = any($3::bigint[]) and (v.region_code, v.year) in (${PAIRS})
      group by v.region_code, v.year, v.item_code, i.hospital_level, i.is_public
      order by v.region_code, v.year, v.item_code, i.hospital_level, i.is_public`,
    [...pairParams(pairs), b.rows.map((x) => x.batch_id)],
  );
}
