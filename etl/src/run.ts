import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { insertAudit } from '../../api/src/database/audit-log';
import { formatIssue, Issue, IssueCollector, LoadAbort } from './issues';
import { Kind, KIND_LABEL, KINDS, LoadContext, Loader, LoadOptions } from './loader';
import { LOADERS } from './loaders';
import { CellParser } from './parse';
import { InvalidTextError, matchColumns, openTable, ReadError, SourceTable } from './read';

export interface LoadSummary {
  file: string;
  kind: Kind | null;
  status: 'loaded' | 'unchanged' | 'invalid' | 'dry-run' | 'failed';
  batchId: number | null;
  replacedBatchId: number | null;
  region: string | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  errorCount: number;
  errors: Issue[];
  /** what was filled in or assumed in rows that loaded (never a reason to reject the file) */
  warningCount: number;
  warnings: Issue[];
  rejectFile: string | null;
  seconds: number;
  details?: Record<string, unknown>;
}

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  // 1 MB reads: with the default 64 kB the stream's overhead costs twice the hashing
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Files from this size on may have their checksum computed by the loader while it reads them (Loader.checksumWhileLoading). */
const DEFER_CHECKSUM_BYTES = 64 << 20;
/** load_batch.checksum until the real one is known (never committed) */
const PENDING_CHECKSUM = '0'.repeat(64);

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

function allHints(loaders: readonly Loader[]): string[] {
  const s = new Set<string>();
  for (const l of loaders) for (const c of l.columns) for (const n of [...c.names, ...(c.group ?? [])]) s.add(n);
  return [...s];
}

/** Picks the loader whose required columns are all present, preferring the one that recognises most columns. */
function detectLoader(table: SourceTable): { loader: Loader | null; candidates: Kind[] } {
  let best: { loader: Loader; score: number } | null = null;
  const candidates: Kind[] = [];
  let tie = false;
  for (const l of Object.values(LOADERS)) {
    const m = matchColumns(table, l.columns);
    if (m.missing.length > 0) continue;
    const score = Object.keys(m.columns).length / new Set(l.columns.map((c) => c.key)).size + Object.keys(m.columns).length;
    candidates.push(l.kind);
    if (!best || score > best.score) {
      best = { loader: l, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return { loader: tie ? null : (best?.loader ?? null), candidates };
}

function summaryBase(file: string): LoadSummary {
  return {
    file, kind: null, status: 'invalid', batchId: null, replacedBatchId: null, region: null, rowsRead: 0, rowsLoaded: 0,
    rowsRejected: 0, errorCount: 0, errors: [], warningCount: 0, warnings: [], rejectFile: null, seconds: 0,
  };
}

/** Reports what made a file unreadable, at its place(s); such a file is never loaded, not even with --skip-invalid. */
function reportReadError(issues: IssueCollector, e: ReadError): void {
  const problems = e.problems();
  for (const p of problems) issues.add(p.row, p.column, p.zh, p.en);
  if (e instanceof InvalidTextError) issues.total += e.count - problems.length;
  issues.hasFatal = true;
}

/** The tables whose rows carry the region and the batch that loaded them. */
const REGION_TABLES = ['institution', 'region_item', 'price', 'cost', 'indicator_value', 'reimbursement_rate', 'insurance_policy', 'round', 'volume_coverage'];

/** Refuses the whole file (a fatal issue) when the batch wrote a row of a region outside `regions`. */
async function checkRegions(db: PoolClient, batchId: number, regions: readonly string[], issues: IssueCollector): Promise<void> {
  const r = await db.query<{ region_code: string }>(
    REGION_TABLES.map((t) => `(select region_code from ${t} where batch_id = $1 and not (region_code = any($2::text[])) limit 1)`).join(' union ') + ' limit 1',
    [batchId, regions],
  );
  if (r.rowCount) {
    const code = r.rows[0]!.region_code;
    issues.fatal(`文件含有地区 ${code} 的数据，超出您可以导入的地区（${regions.join('、')}）；整个文件未导入`,
      `the file has rows of region ${code}, outside the regions you may load`);
  }
}

function writeRejects(file: string, issues: IssueCollector): string {
  const out = `${file}.rejects.csv`;
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = ['\uFEFF行,列,问题,problem', ...issues.items.map((i) => [i.row ?? '', q(i.column ?? ''), q(i.zh), q(i.en)].join(','))];
  let target = out;
  try {
    fs.writeFileSync(target, lines.join('\n') + '\n');
  } catch {
    target = path.join(process.cwd(), path.basename(out));
    fs.writeFileSync(target, lines.join('\n') + '\n');
  }
  return target;
}

/**
 * Loads one file in one transaction: detect its kind, validate every row, stage and move the rows into the core
 * tables, record the load batch. Any invalid row → nothing is written (unless skipInvalid). The same file loaded
 * again (same checksum) changes nothing; a changed file with the same name, kind and region replaces its previous
 * batch.
 *
 * The checksum is computed before anything is written, except for a large file of a loader that computes it on the
 * bytes it reads anyway, when no loaded batch of its kind has the same name or size (only such a batch can hold
 * the same file): then it is checked at the end, and a match after all rolls the load back as 'unchanged'.
 */
export async function loadFile(pool: Pool, file: string, options: LoadOptions): Promise<LoadSummary> {
  try {
    return await loadOne(pool, file, options);
  } finally {
    options.onPhase?.(null);
  }
}

async function loadOne(pool: Pool, file: string, options: LoadOptions): Promise<LoadSummary> {
  const t0 = Date.now();
  const s = summaryBase(file);
  const issues = new IssueCollector(file, options.skipInvalid ? 100_000 : options.maxErrors);
  const finish = (status: LoadSummary['status']): LoadSummary => {
    s.status = status;
    s.errorCount = issues.count;
    s.errors = issues.items.slice(0, options.maxErrors);
    s.warningCount = issues.warningCount;
    s.warnings = issues.warnings.slice(0, options.maxErrors);
    s.rowsRejected = issues.rejectedRows;
    s.seconds = (Date.now() - t0) / 1000;
    return s;
  };

  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    issues.fatal('文件不存在或无法读取', 'file not found or not readable');
    return finish('invalid');
  }
  if (!stat.isFile()) {
    issues.fatal('不是文件', 'not a regular file');
    return finish('invalid');
  }

  const candidates = options.kind ? [LOADERS[options.kind]] : Object.values(LOADERS);
  let table: SourceTable;
  try {
    table = await openTable(file, {
      headerHints: allHints(candidates),
      headerRows: options.kind ? (LOADERS[options.kind].headerRows ?? 'auto') : 'auto',
    });
  } catch (e) {
    if (e instanceof ReadError) {
      reportReadError(issues, e);
      return finish('invalid');
    }
    throw e;
  }

  let loader: Loader;
  if (options.kind) loader = LOADERS[options.kind];
  else {
    const d = detectLoader(table);
    if (!d.loader) {
      issues.add(table.headerRowNumbers[0] ?? null, null,
        d.candidates.length > 1
          ? `无法判断文件类型（可能是 ${d.candidates.join('、')}），请用 --kind 指定`
          : `无法根据表头判断文件类型，请用 --kind 指定（${KINDS.join(' / ')}）`,
        'cannot tell the kind of file from its header; pass --kind');
      return finish('invalid');
    }
    loader = d.loader;
  }
  s.kind = loader.kind;
  if (options.forbiddenKinds?.includes(loader.kind)) {
    issues.fatal(`“${KIND_LABEL[loader.kind]}”是全国性文件，您只能导入本地区的文件；整个文件未导入`, `you may not load files of kind ${loader.kind}`);
    return finish('invalid');
  }
  // A two-level header matters for some kinds only; reopen with the loader's own setting when it differs.
  if (!options.kind && loader.headerRows && loader.headerRows !== 'auto') {
    table = await openTable(file, { headerHints: allHints([loader]), headerRows: loader.headerRows });
  }

  const m = matchColumns(table, loader.columns);
  const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1] ?? null;
  for (const key of m.missing) {
    const spec = loader.columns.find((c) => c.key === key)!;
    issues.add(headerRow, null, `缺少必需的列“${spec.names[0]}”`, `missing required column ${spec.names[0]}`);
  }
  for (const key of m.duplicates) {
    const col = m.columns[key]!;
    issues.add(headerRow, col.letter ?? null, `列“${col.label}”出现了不止一次`, `column ${col.label} appears more than once`);
  }
  if (issues.count > 0) return finish('invalid');

  const region = options.region ?? null;
  const fileName = path.basename(file);
  const timings: { name: string; seconds: number }[] = [];
  const deferrable = !!loader.checksumWhileLoading && stat.size >= DEFER_CHECKSUM_BYTES;
  let t = process.hrtime.bigint();
  const phase = options.onPhase ?? (() => undefined);
  if (!deferrable) phase('checksum');
  let checksum = deferrable ? null : await sha256File(file);
  const db: PoolClient = await pool.connect();
  let open = false;
  try {
    await db.query('begin');
    open = true;
    if (region) {
      const r = await db.query('select 1 from region where code = $1', [region]);
      if (r.rowCount === 0) {
        issues.fatal(`地区代码 ${region} 不存在（--region，应为 GB/T 2260 省或地市代码）`, `unknown region code ${region} (--region)`);
        await db.query('rollback');
        open = false;
        return finish('invalid');
      }
    }
    // Serialise loads of the same file name and kind.
    await db.query('select pg_advisory_xact_lock(hashtext($1))', [`${loader.kind}|${fileName}|${region ?? ''}`]);
    if (checksum === null) {
      const twin = await db.query(
        `select 1 from load_batch where kind = $1 and status = 'loaded' and (file_name = $2 or file_size = $3) limit 1`,
        [loader.kind, fileName, stat.size],
      );
      if (twin.rowCount) {
        phase('checksum');
        checksum = await sha256File(file);
      }
    }
    timings.push({ name: checksum === null ? 'checksum (during the load)' : 'checksum', seconds: seconds(t) });
    const sameBatch = async (sum: string): Promise<number | null> => {
      const r = await db.query(
        `select id from load_batch where kind = $1 and checksum = $2 and ($3 = '' or coalesce(region_code, '') = $3) and status = 'loaded'`,
        [loader.kind, sum, region ?? ''],
      );
      return r.rowCount ? Number(r.rows[0].id) : null;
    };
    const unchanged = async (id: number): Promise<LoadSummary> => {
      await db.query('rollback');
      open = false;
      s.batchId = id;
      s.replacedBatchId = null;
      s.region = region;
      s.rowsRead = 0;
      s.rowsLoaded = 0;
      s.details = undefined;
      return finish('unchanged');
    };
    const same = checksum === null ? null : await sameBatch(checksum);
    if (same !== null) return await unchanged(same);
    const prev = await db.query(
      `select id from load_batch where kind = $1 and file_name = $2 and coalesce(region_code, '') = $3 and status = 'loaded'
        order by id desc limit 1`,
      [loader.kind, fileName, region ?? ''],
    );
    const ins = await db.query(
      `insert into load_batch (kind, file_name, checksum, file_size, region_code, status, options, origin, source, loaded_by)
       values ($1, $2, $3, $4, $5, 'loading', $6, $7, $8, $9) returning id`,
      [loader.kind, fileName, checksum ?? PENDING_CHECKSUM, stat.size, region, JSON.stringify({
        effectiveDate: options.effectiveDate ?? null, batchDate: options.batchDate ?? null, guidelineBatch: options.guidelineBatch ?? null,
      }), options.origin, options.source ?? null, options.user],
    );
    const batchId = Number(ins.rows[0].id);
    s.batchId = batchId;
    if (prev.rowCount) {
      const prevId = Number(prev.rows[0].id);
      await loader.remove(db, prevId);
      await db.query(`update load_batch set status = 'replaced', replaced_by = $2 where id = $1`, [prevId, batchId]);
      s.replacedBatchId = prevId;
    }
    const ctx: LoadContext = {
      db, file, table, cols: m.columns, issues, parse: new CellParser(issues), options, batchId, fileSize: stat.size, checksum,
    };
    phase('read');
    const res = await loader.load(ctx);
    if (checksum === null) {
      // the file of a loaded batch after all (whose name and size differ): nothing changes, whatever the rows say
      t = process.hrtime.bigint();
      if (!res.checksum) phase('checksum');
      checksum = res.checksum ?? (await sha256File(file));
      if (!res.checksum) timings.push({ name: 'checksum', seconds: seconds(t) });
      const same = await sameBatch(checksum);
      if (same !== null) {
        issues.clear();
        return await unchanged(same);
      }
    }
    s.rowsRead = res.rowsRead;
    s.rowsLoaded = res.rowsLoaded;
    s.region = region ?? res.regionCode ?? null;
    s.details = res.details;
    if (options.regions) await checkRegions(db, batchId, options.regions, issues);
    if (issues.count > 0 && (!options.skipInvalid || issues.hasFatal || issues.items.some((i) => i.row === null))) {
      await db.query('rollback');
      open = false;
      s.batchId = null;
      s.replacedBatchId = null;
      s.rowsLoaded = 0;
      return finish('invalid');
    }
    if (options.dryRun) {
      await db.query('rollback');
      open = false;
      s.batchId = null;
      return finish('dry-run');
    }
    await db.query(
      `update load_batch set status = 'loaded', checksum = $6, rows_read = $2, rows_loaded = $3, rows_rejected = $4, errors = $5,
              finished_at = now() where id = $1`,
      [batchId, res.rowsRead, res.rowsLoaded, issues.rejectedRows, JSON.stringify(issues.items.slice(0, 200)), checksum],
    );
    // the audit record, in the load's own transaction: a load that rolls back leaves none
    await insertAudit((sql, params) => db.query(sql, params), {
      action: s.replacedBatchId === null ? 'load.create' : 'load.replace',
      entity: 'load_batch',
      entityId: batchId,
      regionCode: s.region,
      before: s.replacedBatchId === null ? undefined : { batchId: s.replacedBatchId },
      after: { batchId, kind: loader.kind, fileName, checksum, rowsRead: res.rowsRead, rowsLoaded: res.rowsLoaded, rowsRejected: issues.rejectedRows },
    }, { userId: options.userId ?? null, actor: options.user, requestId: options.requestId ?? null });
    phase('commit');
    t = process.hrtime.bigint();
    await db.query('commit');
    open = false;
    timings.push({ name: 'commit', seconds: seconds(t) });
    // statistics of what was loaded, for the first query after it (a sample: about a second for 31M rows); the load
    // is committed whatever happens here, and autovacuum analyses later anyway
    phase('analyze');
    t = process.hrtime.bigint();
    await db.query(`analyze ${loader.analyze(batchId).join(', ')}`).catch(() => undefined);
    timings.push({ name: 'analyze', seconds: seconds(t) });
    // the loader's own phases, when it reports them, with these around them
    if (Array.isArray(s.details?.phases)) s.details.phases = [timings[0], ...(s.details.phases as unknown[]), ...timings.slice(1)];
    if (issues.count > 0) s.rejectFile = writeRejects(file, issues);
    return finish('loaded');
  } catch (e) {
    if (open) await db.query('rollback').catch(() => undefined);
    s.batchId = null;
    s.rowsLoaded = 0;
    s.replacedBatchId = null;
    if (e instanceof LoadAbort) return finish('invalid'); // its issue is already recorded
    if (e instanceof ReadError) {
      // the file turned out unreadable while its rows were read (a row that is not UTF-8, a malformed csv record)
      reportReadError(issues, e);
      return finish('invalid');
    }
    const msg = e instanceof Error ? e.message : String(e);
    issues.fatal(`导入失败，数据库未作任何更改：${msg}`, 'load failed; nothing was changed');
    return finish('failed');
  } finally {
    db.release();
  }
}

export interface ManifestEntry {
  file: string;
  kind?: Kind;
  region?: string;
  options?: Partial<Pick<LoadOptions, 'effectiveDate' | 'batchDate' | 'guidelineBatch'>>;
  origin?: 'real' | 'generated';
  source?: string;
}

const EXTENSIONS = /\.(xlsx|csv|tsv|txt|arrow|arrows|feather|parquet)$/i;

/** Loads a file, or every file of a folder (in the order of its manifest.json when it has one). */
export async function loadPath(pool: Pool, target: string, options: LoadOptions): Promise<LoadSummary[]> {
  const st = fs.statSync(target, { throwIfNoEntry: false });
  if (!st?.isDirectory()) return [await loadFile(pool, target, options)];
  const manifestFile = path.join(target, 'manifest.json');
  const out: LoadSummary[] = [];
  if (fs.existsSync(manifestFile)) {
    const entries = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ManifestEntry[];
    for (const e of entries) {
      out.push(
        await loadFile(pool, path.join(target, e.file), {
          ...options,
          kind: options.kind ?? e.kind,
          region: options.region ?? e.region,
          effectiveDate: options.effectiveDate ?? e.options?.effectiveDate,
          batchDate: options.batchDate ?? e.options?.batchDate,
          guidelineBatch: options.guidelineBatch ?? e.options?.guidelineBatch,
          origin: e.origin ?? options.origin,
          source: e.source ?? options.source,
        }),
      );
    }
    return out;
  }
  const files = fs.readdirSync(target).filter((f) => EXTENSIONS.test(f) && !f.endsWith('.rejects.csv')).sort();
  for (const f of files) out.push(await loadFile(pool, path.join(target, f), options));
  return out;
}

export { formatIssue };
