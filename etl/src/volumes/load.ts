import crypto from 'node:crypto';
import fs from 'node:fs';
import type { PoolClient } from 'pg';
import { IssueCollector } from '../issues';
import type { LoadContext, LoaderResult } from '../loader';
import { chooseDelimiter } from '../read/csv';
import { CopyIn, copyErrorPlace } from './copy-in';
import { Reference } from './reference';
import {
  Coverage, dropOverlaps, findOverlaps, LIMITS, lockRegionYears, pairsWithData, refreshLevels, RegionYear, reportOverlaps, writeCoverage,
  writeLevelsFromAggregate,
} from './rollup';
import { checkPartition, PartitionStage, resolveOverlapRows } from './large';
import { AGGREGATE_BYTES_PER_KEY, RowChecker, STRETCH_BYTES_PER_KEY, StretchCheck, TABLE_COLUMNS, VolumeAggregate, VolumeKey } from './rows';
import { Fallback, FastScanner, ScanLayout } from './scan';

/**
 * The volumes loader (etl/README.md, layout 5), in the load's one transaction:
 *
 * 1. A partition table `volume_b<batch>` is created (same columns as `volume`, and CHECK (batch_id = <batch>) so
 *    that attaching it needs no scan).
 * 2. Fast path — a comma-separated file whose header has our columns only: the file's data bytes stream into
 *    COPY … FROM STDIN, and the same chunks are scanned here first (FastScanner), on the other core while the server
 *    parses the previous chunk. Rows that would not fit are cut out of the stream and reported with their file
 *    row, so COPY never fails on data; the checks also build the aggregate per (institution, item, year).
 *    Quoted cells or a bare carriage return stop the fast path: the savepoint is rolled back and the slow path runs.
 * 3. Slow path (Arrow IPC, quoted or tab-separated CSV, extra columns, title rows): rows through openTable(), the
 *    same RowChecker, COPY of generated lines.
 *    The checks also tell Coverage of every row they accept: the months per institution and year, and the level
 *    sums per (region, year) pair.
 * 4. Overlapping periods: the file's coverage is compared with volume_coverage; only institution-years that
 *    collide there are checked per item against `volume` (see rollup.ts). A fresh database or new (region, year)
 *    pairs cost nothing here.
 * 5. Without problems (or with --skip-invalid, after dropping the bad keys) the partition is attached, the batch's
 *    coverage rows written and the level rollup of its pairs written: from the sums of the pass for pairs new to
 *    the database (into an empty table without its primary key, built after), recomputed from `volume` for pairs
 *    that had data.
 *
 * Memory is constant in the number of rows except for the aggregate: about 40 bytes per distinct
 * (institution, item, year) (typed arrays, sized up front for one key per row), plus the level sums of the pairs
 * (9 bytes per item, level and ownership of a pair). 31 million keys: 1.2 GB.
 *
 * Memory budget (LoadOptions.memoryMB; uploads: UPLOAD_MEMORY_MB): when the aggregate sized for the estimated rows
 * would take more, the load runs in large-file mode (large.ts): no aggregate; the rows stream into the partition with
 * the same checks, and the pass looks for repeated periods and sums beyond 2^53 only within stretches of rows of one
 * institution (StretchCheck, a quarter of the budget). The institution-years it cannot clear — a problem seen, or
 * rows in more than one stretch — are checked in SQL on the partition, and the file is read once more for the rows of
 * the keys to report: the same issues as in memory mode. A file grouped by institution (or by year, then institution)
 * needs no SQL at all. The level sums are gathered in the pass as in memory mode when they fit in half the budget;
 * otherwise the level rollup is computed in SQL from `volume`. Under --skip-invalid the rows memory mode would not
 * have sent to COPY (the later rows of a repeated period) are deleted from the partition before the overlap check, so
 * the same rows load (and the rollup is computed in SQL).
 */

const SAVEPOINT = 'volumes_load';
const CHUNK = 1 << 20;
/** files up to this size are read once up front to learn their regions, so only those are preloaded */
const SMALL_FILE = 2 << 20;

export function partitionName(batchId: number): string {
  if (!Number.isSafeInteger(batchId) || batchId <= 0) throw new Error(`invalid batch id ${batchId}`);
  return `volume_b${batchId}`;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The partition table of a batch: the columns of `volume`, and CHECK (batch_id = <batch>) so that attaching it
 * needs no scan. The ranges of year, month and quantity are not CHECK constraints: every row is checked before COPY
 * sees it (RowChecker, FastScanner.quick), and constraints evaluated per row would cost COPY about 15 %.
 */
export function partitionDdl(name: string, batchId: number, region: string | null): string {
  return `create table ${name} (
    region_code      text not null${region ? ` default ${literal(region)}` : ''},
    institution_code text not null,
    item_code        text not null,
    year             smallint not null,
    month            smallint not null default 0,
    quantity         bigint not null,
    batch_id         bigint not null default ${batchId} check (batch_id = ${batchId}))`;
}

interface Phase {
  name: string;
  seconds: number;
}

class Clock {
  readonly phases: Phase[] = [];
  private t = process.hrtime.bigint();
  lap(name: string): void {
    const now = process.hrtime.bigint();
    this.phases.push({ name, seconds: Number(now - this.t) / 1e9 });
    this.t = now;
  }
}

/** The regions whose institutions and items to preload: those of a small file, --region, or all (null). */
async function regionsToLoad(ctx: LoadContext<VolumeKey>): Promise<string[] | null> {
  const region = ctx.options.region ?? null;
  if (!ctx.cols.region) return region ? [region] : [];
  if (ctx.fileSize > SMALL_FILE) return null;
  const found = new Set<string>(region ? [region] : []);
  const col = ctx.cols.region;
  for await (const { cells } of ctx.table.rows()) {
    const v = cells[col.index];
    if (v && /^\d{6}$/.test(v)) found.add(v);
  }
  return [...found];
}

/** Rows in the file, from the length of the lines at its start (csv), or one per 16 bytes. */
async function estimateRows(ctx: LoadContext<VolumeKey>): Promise<number> {
  if (ctx.table.format !== 'csv') return ctx.fileSize / 16;
  const fd = await fs.promises.open(ctx.file, 'r');
  try {
    const b = Buffer.alloc(Math.min(ctx.fileSize, 1 << 16));
    const { bytesRead } = await fd.read(b, 0, b.length, 0);
    let lines = 0;
    for (let i = b.indexOf(10); i >= 0 && i < bytesRead; i = b.indexOf(10, i + 1)) lines++;
    return lines > 1 ? (ctx.fileSize / bytesRead) * lines : 1;
  } finally {
    await fd.close();
  }
}

interface FastPlan {
  layout: ScanLayout;
  dataOffset: number;
}

/** Whether the file can take the fast path, and where its data starts. */
async function fastPlan(ctx: LoadContext<VolumeKey>): Promise<FastPlan | string> {
  const { table, cols } = ctx;
  if (table.format !== 'csv') return `format ${table.format}`;
  if (table.headerRowNumbers.length !== 1) return 'two header rows';
  const keyOf = new Map<number, VolumeKey>();
  for (const [k, c] of Object.entries(cols) as [VolumeKey, { index: number }][]) keyOf.set(c.index, k);
  if (keyOf.size !== table.columns.length) return 'columns other than the volume columns';
  const order = table.columns.map((c) => keyOf.get(c.index)!);
  const fd = await fs.promises.open(ctx.file, 'r');
  let head: Buffer;
  try {
    const b = Buffer.alloc(Math.min(ctx.fileSize, 1 << 16));
    const { bytesRead } = await fd.read(b, 0, b.length, 0);
    head = b.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
  if (chooseDelimiter(ctx.file, head, table.encoding ?? 'utf-8') !== ',') return 'not comma-separated';
  if (head.includes(0x22)) return 'quoted cells';
  // the data start just after the header line
  const headerRow = table.headerRowNumbers[0];
  let offset = 0;
  let eol: '\n' | '\r\n' = '\n';
  for (let line = 1; line <= headerRow; line++) {
    const nl = head.indexOf(0x0a, offset);
    if (nl < 0) {
      if (line === headerRow && head.length === ctx.fileSize) {
        offset = head.length; // header only, no line break
        break;
      }
      return 'header line too long';
    }
    const cr = head.indexOf(0x0d, offset);
    if (cr >= 0 && cr < nl - 1) return 'carriage returns inside the header';
    if (line === headerRow && nl > 0 && head[nl - 1] === 0x0d) eol = '\r\n';
    offset = nl + 1;
  }
  return { dataOffset: offset, layout: { order, encoding: table.encoding ?? 'utf-8', firstRow: headerRow + 1, eol } };
}

/** Adds the issues of a finished pass to the load's collector. */
function mergeIssues(into: IssueCollector, from: IssueCollector): void {
  for (const i of from.items) into.add(i.row, i.column, i.zh, i.en);
  into.total += from.total - from.items.length;
  for (const r of from.badRows) into.badRows.add(r);
  into.unlistedRows += from.unlistedRows;
  for (const w of from.warnings) into.warn(w.row, w.column, w.zh, w.en);
  into.warningCount += from.warningCount - from.warnings.length;
  if (from.hasFatal) into.hasFatal = true;
}

interface PassResult {
  rowsRead: number;
  /** rows COPY stored (0 when nothing was sent) */
  rowsCopied: number;
  copied: boolean;
  /** sha256 of the file, computed on the chunks read (fast path, when asked for by LoadContext.checksum = null) */
  checksum?: string;
}

/** The bytes of the file before its data (what the fast path does not stream), for the checksum. */
async function headBytes(file: string, length: number): Promise<Buffer> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const b = Buffer.alloc(length);
    const { bytesRead } = await fd.read(b, 0, length, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/**
 * Whether to keep sending rows to COPY: not once the load is bound to be rejected (--skip-invalid or not), not in a
 * dry run. In large-file mode always: the repeated periods are found on the partition, also for a rejected file.
 */
function worthSending(ctx: LoadContext, issues: IssueCollector, large: boolean): boolean {
  return large || (!ctx.options.dryRun && !issues.hasFatal && (ctx.options.skipInvalid || issues.count === 0));
}

/**
 * COPY refused data the checks let through. A row COPY names (fast path: the file's bytes) is reported at its file
 * row; anything else, or under --skip-invalid (which could not leave the row out any more), fails the load.
 */
function copyFailure(ctx: LoadContext<VolumeKey>, issues: IssueCollector, e: Error, row: number | null, column: string | null): void {
  if (row === null || ctx.options.skipInvalid) throw e;
  issues.add(row, column, `数据库拒绝了这一行：${e.message}`, `the database refused the row: ${e.message}`);
}

async function fastPass(ctx: LoadContext<VolumeKey>, plan: FastPlan, checker: RowChecker, partition: string, large: boolean): Promise<PassResult> {
  const issues = checker.issues;
  const scanner = new FastScanner(checker, plan.layout);
  const columns = plan.layout.order.map((k) => TABLE_COLUMNS[k]).join(', ');
  let copy: CopyIn | null = worthSending(ctx, issues, large) ? new CopyIn(ctx.db, `copy ${partition} (${columns}) from stdin with (format csv, freeze true)`) : null;
  scanner.sending = copy !== null;
  const stop = async () => {
    scanner.sending = false;
    if (copy) await copy.abort();
    copy = null;
  };
  const total = ctx.fileSize;
  let bytes = plan.dataOffset;
  let lastReport = 0;
  const hash = ctx.checksum === null ? crypto.createHash('sha256').update(await headBytes(ctx.file, plan.dataOffset)) : null;
  const file = fs.createReadStream(ctx.file, { start: plan.dataOffset, highWaterMark: CHUNK });
  try {
    for await (const chunk of file as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      const pieces = scanner.push(chunk);
      if (copy) {
        if (worthSending(ctx, issues, large)) await copy.write(pieces);
        else await stop();
      }
      // while the server parses this chunk
      hash?.update(chunk);
      if (ctx.options.onProgress && scanner.rowsRead - lastReport >= 100_000) {
        lastReport = scanner.rowsRead;
        ctx.options.onProgress(scanner.rowsRead, Math.round((scanner.rowsRead * total) / Math.max(1, bytes - plan.dataOffset)));
      }
    }
    const tail = scanner.end();
    if (copy && !worthSending(ctx, issues, large)) await stop();
    let rowsCopied = 0;
    if (copy) {
      await copy.write(tail);
      rowsCopied = await copy.end();
    }
    ctx.options.onProgress?.(scanner.rowsRead, scanner.rowsRead);
    return { rowsRead: scanner.rowsRead, rowsCopied, copied: copy !== null, checksum: hash?.digest('hex') };
  } catch (e) {
    file.destroy();
    if (copy && copy.error) {
      // the server refused a row the scanner let through: name its place
      const at = copyErrorPlace(copy.error);
      const col = at?.column ? (Object.entries(TABLE_COLUMNS).find(([, c]) => c === at.column)?.[0] as VolumeKey | undefined) : undefined;
      copyFailure(ctx, issues, copy.error, at ? scanner.fileRow(at.line) : null, col ? (ctx.cols[col]?.letter ?? null) : null);
      return { rowsRead: scanner.rowsRead, rowsCopied: 0, copied: false };
    }
    if (copy) await copy.abort();
    throw e;
  }
}

async function slowPass(ctx: LoadContext<VolumeKey>, checker: RowChecker, partition: string, large: boolean): Promise<PassResult> {
  const issues = checker.issues;
  const { cols } = ctx;
  let copy: CopyIn | null = worthSending(ctx, issues, large)
    ? new CopyIn(ctx.db, `copy ${partition} (region_code, institution_code, item_code, year, month, quantity) from stdin with (format csv, freeze true)`)
    : null;
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const ref = checker.ref;
  let rowsRead = 0;
  let buf = '';
  let cells: (string | null)[] = [];
  const cell = (k: VolumeKey) => {
    const c = cols[k];
    return c ? (cells[c.index] ?? null) : null;
  };
  try {
    for await (const row of ctx.table.rows()) {
      rowsRead++;
      cells = row.cells;
      const r = checker.check(cell, row.rowNo);
      if (copy && r) {
        buf += `${ref.regionCodes[r.region]},${q(ref.instCode[r.inst])},${q(ref.itemCode[r.item])},${r.year},${r.month},${r.quantity}\n`;
        if (buf.length >= 1 << 18) {
          await copy.write([Buffer.from(buf, 'utf8')]);
          buf = '';
        }
      }
      if (copy && !worthSending(ctx, issues, large)) {
        await copy.abort();
        copy = null;
      }
      if (rowsRead % 100_000 === 0) ctx.options.onProgress?.(rowsRead, null);
    }
    let rowsCopied = 0;
    if (copy) {
      if (buf) await copy.write([Buffer.from(buf, 'utf8')]);
      rowsCopied = await copy.end();
    }
    ctx.options.onProgress?.(rowsRead, rowsRead);
    return { rowsRead, rowsCopied, copied: copy !== null };
  } catch (e) {
    if (copy && !copy.error) await copy.abort();
    throw copy?.error ?? e;
  }
}

export async function loadVolumes(ctx: LoadContext<VolumeKey>): Promise<LoaderResult> {
  const clock = new Clock();
  const { db, cols, table, options } = ctx;
  const phase = options.onPhase ?? (() => undefined);
  const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1] ?? null;
  const region = options.region ?? null;
  if (!cols.region && !region) {
    ctx.issues.add(headerRow, null, '缺少地区：文件没有“行政区划代码”列，请用 --region 指定', 'no region: the file has no region column; pass --region');
    return { rowsRead: 0, rowsLoaded: 0 };
  }
  const ref = await Reference.load(db, await regionsToLoad(ctx));
  clock.lap('reference');

  const partition = partitionName(ctx.batchId);
  // sized for one key per row (as in a file of whole-year rows), so the table never has to grow
  const expected = Math.min(1 << 26, Math.max(1 << 12, Math.round((await estimateRows(ctx)) * 1.05)));
  const needMB = (expected * AGGREGATE_BYTES_PER_KEY) / 2 ** 20;
  const large = options.memoryMB !== undefined && needMB > options.memoryMB;
  // large-file mode: a quarter of the budget for the keys of a stretch (StretchCheck), half for the level sums
  const budget = (options.memoryMB ?? 0) * 2 ** 20;
  const newAggregate = (n: number) => (large ? new StretchCheck(budget / 4 / STRETCH_BYTES_PER_KEY) : new VolumeAggregate(n, n === expected ? ref.instCode.length : 0));
  const newCoverage = () => new Coverage(ref, large ? Math.min(LIMITS.sumCells, Math.floor(budget / 2 / 9)) : LIMITS.sumCells);
  const plan = await fastPlan(ctx);
  let path: 'fast' | 'slow' = typeof plan === 'string' ? 'slow' : 'fast';
  let fallback: string | null = typeof plan === 'string' ? plan : null;
  let agg = newAggregate(expected);
  let passIssues = new IssueCollector(ctx.file, ctx.issues.limit);
  let seen = newCoverage();
  let pass: PassResult;
  await db.query(`savepoint ${SAVEPOINT}`);
  await db.query(partitionDdl(partition, ctx.batchId, cols.region ? null : region));
  if (typeof plan !== 'string') {
    try {
      pass = await fastPass(ctx, plan, new RowChecker(ref, agg, passIssues, cols, region, seen), partition, large);
    } catch (e) {
      if (!(e instanceof Fallback)) throw e;
      // start again on the general reader: nothing of the first attempt stays
      fallback = `${e.reason} at row ${e.row}`;
      path = 'slow';
      await db.query(`rollback to savepoint ${SAVEPOINT}`);
      await db.query(partitionDdl(partition, ctx.batchId, cols.region ? null : region));
      agg = newAggregate(1 << 16);
      passIssues = new IssueCollector(ctx.file, ctx.issues.limit);
      seen = newCoverage();
      pass = await slowPass(ctx, new RowChecker(ref, agg, passIssues, cols, region, seen), partition, large);
    }
  } else {
    pass = await slowPass(ctx, new RowChecker(ref, agg, passIssues, cols, region, seen), partition, large);
  }
  mergeIssues(ctx.issues, passIssues);
  const issues = ctx.issues;
  if (agg.overflow > 0) {
    issues.add(null, cols.quantity?.letter ?? null, `服务量合计超出可精确计算的范围（${agg.overflow} 行）`, 'a sum of quantities exceeds 2^53');
  }
  if (!pass.copied) await db.query(`rollback to savepoint ${SAVEPOINT}`);
  clock.lap(`${path} pass`);
  // large-file mode: the repeated periods of the suspect institution-years found on the partition (under
  // --skip-invalid, their refused rows deleted)
  const stretch = agg instanceof StretchCheck ? agg : null;
  const suspects = stretch ? stretch.suspects() : [];
  let dropped = 0;
  if (stretch && pass.copied && suspects.length > 0) {
    dropped = await checkPartition(ctx, ref, partition, seen, suspects.length === stretch.institutionYears ? null : suspects);
    clock.lap('repeated periods (SQL)');
  }

  // overlapping periods with what is loaded already. Locks: `volume` first (attach needs it), then the (region, year)
  // pairs, the order removeVolumes takes them in too, so that two loads cannot deadlock.
  const cov = seen.finish();
  const { pairs } = cov;
  phase('overlap');
  await db.query('lock table volume in share update exclusive mode');
  await lockRegionYears(db, pairs);
  const withData = await pairsWithData(db, pairs);
  const existing = Uint8Array.from(pairs, (p) => (withData.has(`${p.region}:${p.year}`) ? 1 : 0));
  let rowsLoaded = pass.rowsCopied - dropped;
  const staged = withData.size > 0 && (pass.copied || !large) ? await findOverlaps(db, cov, large ? new PartitionStage(partition) : agg, existing) : null;
  if (staged) {
    if (large) await resolveOverlapRows(ctx, ref, Math.max(0, issues.limit - issues.items.length));
    const overlaps = await reportOverlaps(db, issues, cols.month?.letter ?? cols.year?.letter ?? null, Math.max(0, issues.limit - issues.items.length));
    if (overlaps > 0 && options.skipInvalid && pass.copied) rowsLoaded -= await dropOverlaps(db, partition);
  }
  clock.lap('overlap check');
  // large-file mode: the level sums of the pass hold every row sent; they are the rollup unless rows were deleted since
  const sumsOfPass = cov.sums !== null && dropped === 0;
  const details: Record<string, unknown> = {
    mode: large ? 'large-file' : 'memory', path, fallback, keys: large ? null : agg.size, aggregateMB: large ? null : Math.round(agg.bytes / 2 ** 20),
    memoryBudgetMB: options.memoryMB ?? null, regionYears: pairs.length,
    regions: [...new Set(pairs.map((p) => p.region))],
  };
  if (stretch) {
    Object.assign(details, {
      // institution-years checked in SQL for repeated periods, of those in the file; the largest stretch held
      checkedInSql: suspects.length, institutionYears: stretch.institutionYears, stretchKeys: stretch.largest,
      stretchMB: +(stretch.bytes / 2 ** 20).toFixed(1), levelRollup: sumsOfPass ? 'pass' : 'sql',
    });
  }
  const result = (loaded: number): LoaderResult => {
    details.phases = clock.phases;
    const regions = details.regions as string[];
    return { rowsRead: pass.rowsRead, rowsLoaded: loaded, regionCode: regions.length === 1 ? regions[0] : null, details, checksum: pass.checksum };
  };
  if ((issues.count > 0 && (!options.skipInvalid || issues.hasFatal)) || !pass.copied || (large && options.dryRun)) {
    if (pass.copied) await db.query(`rollback to savepoint ${SAVEPOINT}`);
    return result(options.dryRun ? pass.rowsRead - issues.rejectedRows : 0);
  }

  phase('write');
  await db.query(`alter table volume attach partition ${partition} for values in (${ctx.batchId})`);
  await db.query(`comment on table ${partition} is ${literal(JSON.stringify({ batch: ctx.batchId, regionYears: pairs.map((p) => [p.region, p.year]) }))}`);
  await writeCoverage(db, ctx.batchId, cov, staged);
  clock.lap('attach and coverage');
  // the level rollup: pairs new to the database from the level sums of the pass or the aggregate, pairs that had data
  // from `volume` (large-file mode without the level sums: all)
  if (!large || sumsOfPass) {
    await writeLevelsFromAggregate(db, cov, large ? null : agg, existing.map((x) => (x ? 0 : 1)), large ? rowsLoaded : agg.size);
    clock.lap('level rollup (copy)');
  }
  const old = large && !sumsOfPass ? pairs : pairs.filter((_, i) => existing[i]);
  if (old.length > 0) {
    phase('rollup');
    await refreshLevels(db, old);
    clock.lap('level rollup (refresh)');
  }
  await db.query(`release savepoint ${SAVEPOINT}`);
  return result(rowsLoaded);
}

/** The (region, year) pairs a partition holds: from its comment, else from its rows. */
async function partitionPairs(db: PoolClient, partition: string): Promise<RegionYear[]> {
  const c = await db.query<{ note: string | null }>(`select obj_description(to_regclass($1), 'pg_class') as note`, [partition]);
  try {
    const note = JSON.parse(c.rows[0]?.note ?? 'null') as { regionYears?: [string, number][] } | null;
    if (note?.regionYears) return note.regionYears.map(([region, year]) => ({ region, year }));
  } catch {
    // not ours: read the rows
  }
  const r = await db.query<{ region_code: string; year: number }>(`select distinct region_code, year from ${partition} order by 1, 2`);
  return r.rows.map((x) => ({ region: x.region_code, year: x.year }));
}

/**
 * Removes a batch: its partition is detached and dropped, its coverage rows deleted, and the level rollup of the
 * (region, year) pairs it held recomputed from the partitions that remain.
 */
export async function removeVolumes(db: PoolClient, batchId: number): Promise<void> {
  const partition = partitionName(batchId);
  const t = await db.query<{ attached: boolean }>(
    `select exists (select 1 from pg_inherits where inhrelid = c.oid) as attached from pg_class c where c.oid = to_regclass($1)`,
    [partition],
  );
  if (t.rowCount === 0) return;
  const pairs = await partitionPairs(db, partition);
  if (t.rows[0].attached) await db.query(`alter table volume detach partition ${partition}`);
  await db.query(`drop table ${partition}`);
  await lockRegionYears(db, pairs);
  await db.query('delete from volume_coverage where batch_id = $1', [batchId]);
  await refreshLevels(db, pairs);
}
