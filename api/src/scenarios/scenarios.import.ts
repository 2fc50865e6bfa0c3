/**
 * Reading an uploaded 调价项目表 (xlsx or csv) into scenario changes, with the ETL's readers: openTable finds the
 * header (title rows, one- or two-level header), matchColumns identifies columns by their labels, CellParser reads
 * codes and 元 amounts and records problems as file:row:column.
 *
 * Layout: 项目编码 (required); new prices per hospital level — flat (`三级新价（元）`, `三级医院新价`) or under a
 * two-level header (`新价（元）` / `三级`) — or one `新价（元）` column for every level the item is priced at. Optional:
 * 项目名称, 行政区划代码 (must be the scenario's region), and 原价 columns of the same shapes, which must equal the price
 * in force the scenario starts from. A blank or "—" new price leaves that level unchanged; a row must change at least
 * one level. Rows whose new price equals the old one are read and left out.
 *
 * Limits (IMPORT_LIMITS): an xlsx is a zip archive whose parts may unpack to far more than the upload (a 350 KB file
 * held a 100 MB sheet). Its central directory declares every part's uncompressed size; the sum is checked before
 * anything is inflated. The parts are then inflated into buffers of their declared sizes only (a part that holds more
 * is cut short and reads as a corrupt file) and stored again uncompressed for the reader, so the reader never inflates
 * more than was declared. Reading stops after IMPORT_LIMITS.rows data rows. Both refusals are outcomes, not issues.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { IssueCollector, type Issue } from '../../../etl/src/issues';
import { CellParser } from '../../../etl/src/parse';
import { matchColumns, openTable, ReadError, type ColumnSpec, type HeaderColumn } from '../../../etl/src/read';
import { fenToYuanString } from '../domain/money';
import type { HospitalLevel } from '../domain/reference';

const LEVELS: readonly HospitalLevel[] = [3, 2, 1];
const LEVEL_ZH: Record<HospitalLevel, string> = { 3: '三级', 2: '二级', 1: '一级' };
const OLD_GROUP = ['原价（元）', '原价', '原价格（元）', '原价格', '调整前价格（元）', '调整前价格', '现行价格（元）', '现行价格'];
const NEW_GROUP = ['新价（元）', '新价', '新价格（元）', '新价格', '调整后价格（元）', '调整后价格'];
const NOT_OFFERED = /^[—\-－/／]+$|^不适用$/;

function levelNames(l: HospitalLevel, which: 'old' | 'new'): string[] {
  const lv = LEVEL_ZH[l];
  const words = which === 'old' ? ['原价', '原价格', '调整前价格', '现行价格'] : ['新价', '新价格', '调整后价格'];
  return words.flatMap((w) => [`${lv}${w}（元）`, `${lv}${w}`, `${lv}医院${w}（元）`, `${lv}医院${w}`, `${w}${lv}`]);
}

type Key = 'code' | 'name' | 'region' | 'old3' | 'old2' | 'old1' | 'new3' | 'new2' | 'new1' | 'old' | 'new';

const COLUMNS: ColumnSpec<Key>[] = [
  { key: 'code', names: ['项目编码', '项目代码', '编码'], required: true },
  { key: 'name', names: ['项目名称', '名称'] },
  { key: 'region', names: ['行政区划代码', '地区代码', '区划代码', '统筹区代码'] },
  ...LEVELS.flatMap((l) => [
    { key: `old${l}` as Key, names: levelNames(l, 'old'), group: OLD_GROUP },
    { key: `new${l}` as Key, names: levelNames(l, 'new'), group: NEW_GROUP },
  ]),
  { key: 'old', names: OLD_GROUP },
  { key: 'new', names: NEW_GROUP },
];

const HINTS = [...new Set(COLUMNS.flatMap((c) => [...c.names, ...(c.group ?? [])]))];

export interface ImportLookup {
  regionCode: string;
  /** The region's service items. */
  items: ReadonlySet<string>;
  /** Old prices: key `${item}|${level}` → fen. */
  priceOf: ReadonlyMap<string, number>;
  priceDate: string;
}

export interface ImportedChange {
  itemCode: string;
  level: HospitalLevel;
  oldPriceFen: number;
  newPriceFen: number;
  rowNo: number;
}

export interface ImportResult {
  changes: ImportedChange[];
  rowsRead: number;
  unchangedPrices: number;
  issues: Issue[];
  issueCount: number;
}

/**
 * Limits of an uploaded 调价项目表. A scenario has at most the round's items × 3 levels (a region lists some 10,000
 * items); a file with one row per item and level stays far below 100,000 data rows. Written by Excel or exceljs, a
 * 100,000-row sheet of codes, names and three prices unpacks to about 24 MB.
 */
export const IMPORT_LIMITS = {
  /** Sum of the uncompressed sizes of an xlsx's zip entries, as its central directory declares them. */
  unpackedBytes: 32 * 1024 * 1024,
  /** Data rows read (below the header). */
  rows: 100_000,
} as const;

export type ImportLimits = { unpackedBytes: number; rows: number };

/** What reading an upload gives: the rows read, or a refusal for a limit. */
export type UploadOutcome =
  | { ok: true; result: ImportResult }
  | { ok: false; reason: 'too-large'; unpackedBytes: number; limitBytes: number }
  | { ok: false; reason: 'too-many-rows'; limitRows: number };

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Whether the bytes are a zip archive (an xlsx), as the readers tell them apart. */
export function isZip(buffer: Uint8Array): boolean {
  return buffer.length >= 4 && Buffer.from(buffer.buffer, buffer.byteOffset, 4).equals(ZIP_MAGIC);
}

/**
 * The sum of the uncompressed sizes a zip's central directory declares for its entries, read without inflating
 * anything; null when the archive's directory cannot be read.
 */
export function zipUnpackedBytes(buffer: Uint8Array): number | null {
  let total = 0;
  try {
    unzipSync(buffer, {
      filter: (f) => {
        total += f.originalSize;
        return false;
      },
    });
  } catch {
    return null;
  }
  return total;
}

/**
 * The zip's entries inflated into buffers of their declared sizes (the caller checked their sum) and stored again
 * without compression: the reader then inflates nothing, whatever sizes the archive declared. Null when unreadable.
 */
function storedCopy(buffer: Uint8Array): Uint8Array | null {
  try {
    return zipSync(unzipSync(buffer), { level: 0 });
  } catch {
    return null;
  }
}

function corruptResult(displayName: string): ImportResult {
  const issues = new IssueCollector(displayName, 1);
  issues.add(null, null, '文件无法解析：xlsx 文件已损坏或不完整', 'cannot parse: the xlsx file is corrupt or truncated');
  return { changes: [], rowsRead: 0, unchangedPrices: 0, issues: issues.items, issueCount: issues.count };
}

/** An upload to read: the file's bytes, its name, what its rows are checked against, and the limits. */
export interface UploadJob {
  buffer: Uint8Array;
  fileName: string;
  lookup: ImportLookup;
  limits?: ImportLimits;
}

/**
 * Reads an uploaded 调价项目表 within the limits: an xlsx whose parts declare more than `unpackedBytes` is refused
 * before anything is inflated, a file with more than `rows` data rows when that row is reached.
 */
export async function readUpload(job: UploadJob): Promise<UploadOutcome> {
  const limits = job.limits ?? IMPORT_LIMITS;
  let bytes = Buffer.from(job.buffer.buffer, job.buffer.byteOffset, job.buffer.byteLength);
  if (isZip(bytes)) {
    const unpacked = zipUnpackedBytes(bytes);
    if (unpacked === null) return { ok: true, result: corruptResult(job.fileName) };
    if (unpacked > limits.unpackedBytes) return { ok: false, reason: 'too-large', unpackedBytes: unpacked, limitBytes: limits.unpackedBytes };
    const stored = storedCopy(bytes);
    if (stored === null) return { ok: true, result: corruptResult(job.fileName) };
    bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  }
  const read = await withUploadFile(bytes, job.fileName, (file) => readChangeFile(file, job.fileName, job.lookup, limits.rows));
  if (read === 'too-many-rows') return { ok: false, reason: 'too-many-rows', limitRows: limits.rows };
  return { ok: true, result: read };
}

/** `file:row:column` of an issue (empty parts at the end left out). */
export function placeOf(i: Pick<Issue, 'file' | 'row' | 'column'>): string {
  return [i.file, i.row ?? '', i.column ?? ''].join(':').replace(/:+$/, '');
}

/** Writes an upload to a private temporary folder under its (sanitised) own name, for the readers. */
export async function withUploadFile<T>(buffer: Buffer, displayName: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mspr-import-'));
  try {
    let base = path.basename(displayName).replace(/[\\/:*?"<>|\x00-\x1f]/g, '_') || 'upload';
    if (!path.extname(base)) base += buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? '.xlsx' : '.csv';
    const file = path.join(dir, base);
    await fs.promises.writeFile(file, buffer);
    return await fn(file);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** The file's changes and problems; 'too-many-rows' once more than `maxRows` data rows were met. */
export async function readChangeFile(file: string, displayName: string, lookup: ImportLookup, maxRows: number = IMPORT_LIMITS.rows): Promise<ImportResult | 'too-many-rows'> {
  const issues = new IssueCollector(displayName, 200);
  const parse = new CellParser(issues);
  const result = (changes: ImportedChange[], rowsRead: number, unchanged: number): ImportResult => ({
    changes,
    rowsRead,
    unchangedPrices: unchanged,
    issues: issues.items,
    issueCount: issues.count,
  });

  /** A file found unreadable (here or while its rows are read: a row that is not UTF-8): every place it names. */
  const unreadable = (e: ReadError): ImportResult => {
    for (const p of e.problems()) issues.add(p.row, p.column, p.zh, p.en);
    return result([], 0, 0);
  };
  let table;
  try {
    table = await openTable(file, { headerHints: HINTS, headerRows: 'auto' });
  } catch (e) {
    if (e instanceof ReadError) return unreadable(e);
    throw e;
  }
  const m = matchColumns(table, COLUMNS);
  const cols = m.columns;
  const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1] ?? null;
  for (const key of m.missing) {
    const spec = COLUMNS.find((c) => c.key === key)!;
    issues.add(headerRow, null, `缺少必需的列“${spec.names[0]}”`, `missing required column ${spec.names[0]}`);
  }
  for (const key of m.duplicates) {
    const col = cols[key]!;
    issues.add(headerRow, col.letter ?? null, `列“${col.label}”出现了不止一次`, `column ${col.label} appears more than once`);
  }
  const pairs: { level: HospitalLevel; neu: HeaderColumn; old?: HeaderColumn }[] = [];
  for (const l of LEVELS) {
    const n = cols[`new${l}` as Key];
    if (n) pairs.push({ level: l, neu: n, old: cols[`old${l}` as Key] });
  }
  const single = pairs.length === 0 && cols.new ? { neu: cols.new, old: cols.old } : null;
  if (pairs.length === 0 && !single && m.missing.length === 0) {
    issues.add(headerRow, null, '缺少新价列（“三级新价（元）”等，或“新价（元）”下分三级、二级、一级，或单列“新价（元）”）',
      'missing the new price columns');
  }
  if (issues.count > 0) return result([], 0, 0);

  const ref = (col: HeaderColumn, row: number) => ({ row, column: col.letter ?? String(col.index + 1), label: col.label });
  const money = (cells: (string | null)[], col: HeaderColumn, row: number): number | null | undefined => {
    const v = cells[col.index] ?? null;
    if (v === null || NOT_OFFERED.test(v)) return null;
    return parse.money(v, ref(col, row), false);
  };
  const changes: ImportedChange[] = [];
  const seen = new Map<string, number>();
  let rowsRead = 0;
  let unchanged = 0;
  try {
    for await (const row of table.rows()) {
      if (rowsRead >= maxRows) return 'too-many-rows';
      readRow(row.rowNo, row.cells);
    }
  } catch (e) {
    if (e instanceof ReadError) return unreadable(e);
    throw e;
  }
  if (rowsRead === 0) issues.add(headerRow, null, '文件中没有数据行', 'the file has no data rows');
  return result(changes, rowsRead, unchanged);

  function readRow(rowNo: number, cells: (string | null)[]): void {
    rowsRead++;
    const codeCol = cols.code!;
    const code = parse.text(cells[codeCol.index] ?? null, ref(codeCol, rowNo), true);
    if (!code) return;
    if (cols.region) {
      const region = parse.regionCode(cells[cols.region.index] ?? null, ref(cols.region, rowNo), false);
      if (region && region !== lookup.regionCode) {
        issues.add(rowNo, cols.region.letter ?? null, `地区代码 ${region} 与调价方案的地区 ${lookup.regionCode} 不同`,
          `region ${region} differs from the scenario's region ${lookup.regionCode}`);
        return;
      }
    }
    const first = seen.get(code);
    if (first !== undefined) {
      issues.add(rowNo, codeCol.letter ?? null, `项目编码 ${code} 重复（与第 ${first} 行相同）`, `duplicate item code ${code}, same as row ${first}`);
      return;
    }
    seen.set(code, rowNo);
    if (!lookup.items.has(code)) {
      issues.add(rowNo, codeCol.letter ?? null, `项目编码 ${code} 不在地区 ${lookup.regionCode} 的价格项目中`,
        `unknown item ${code}: not in the price list of region ${lookup.regionCode}`);
      return;
    }
    const perLevel = single ? LEVELS.filter((l) => lookup.priceOf.has(`${code}|${l}`)).map((l) => ({ level: l, ...single })) : pairs;
    let any = false;
    for (const p of perLevel) {
      const neu = money(cells, p.neu, rowNo);
      const old = p.old ? money(cells, p.old, rowNo) : null;
      if (neu === undefined || old === undefined || neu === null) continue;
      any = true;
      const cur = lookup.priceOf.get(`${code}|${p.level}`);
      if (cur === undefined) {
        issues.add(rowNo, p.neu.letter ?? null, `项目 ${code} 在${LEVEL_ZH[p.level]}医疗机构没有现行价格（${lookup.priceDate}），不能调价`,
          `item ${code} has no price in force at level ${p.level} on ${lookup.priceDate}`);
        continue;
      }
      if (old !== null && p.old && old !== cur) {
        issues.add(rowNo, p.old.letter ?? null,
          `${LEVEL_ZH[p.level]}原价 ${fenToYuanString(old)} 元与现行价格 ${fenToYuanString(cur)} 元不符（项目 ${code}，${lookup.priceDate}）`,
          `old price ${fenToYuanString(old)} differs from the price in force, ${fenToYuanString(cur)} yuan`);
        continue;
      }
      if (neu === cur) unchanged++;
      else changes.push({ itemCode: code, level: p.level, oldPriceFen: cur, newPriceFen: neu, rowNo });
    }
    if (!any && !issues.badRows.has(rowNo)) {
      issues.add(rowNo, null, `项目 ${code} 没有任何等级的新价`, `item ${code} has no new price at any level`);
    }
  }
}

