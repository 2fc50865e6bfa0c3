// Reads the generated files back (CSV in any of the three encodings, xlsx with title rows and two-row headers,
// Arrow IPC) into plain string tables. Used by the generator's tests to recompute totals from the written files.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { tableFromIPC } from 'apache-arrow';
import { decodeBytes, parseCsv, type CsvEncoding } from './csv';

export interface ReadTable {
  titles: string[];
  /** Column names; a two-row header gives `group/sub` (e.g. `原价（元）/三级`). */
  header: string[];
  rows: string[][];
  encoding?: CsvEncoding;
}

const ANCHORS = new Set(['序号', '项目编码', '机构编码', '行政区划代码', '年度', '年份']);

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  return String(v);
}

function toTable(grid: string[][], encoding?: CsvEncoding): ReadTable {
  const headerAt = grid.findIndex((row) => row.some((c) => ANCHORS.has(c.trim())) && row.filter((c) => c.trim()).length >= 3);
  if (headerAt < 0) throw new Error('no header row found');
  const titles = grid.slice(0, headerAt).map((r) => r.filter((c) => c.trim()).join(' ')).filter((t) => t);
  const top = grid[headerAt] as string[];
  const next = grid[headerAt + 1] ?? [];
  const twoRows = next.some((c) => ['三级', '项目类型'].includes(c.trim())) && !next.some((c) => /^\d+$/.test(c.trim()));
  let header: string[];
  if (twoRows) {
    let group = '';
    header = top.map((t, i) => {
      const sub = (next[i] ?? '').trim();
      const cur = t.trim();
      if (cur) group = cur;
      if (!sub) return cur;
      return `${cur || group}/${sub}`;
    });
  } else header = top.map((t) => t.trim());
  const rows = grid.slice(headerAt + (twoRows ? 2 : 1)).filter((r) => r.some((c) => c.trim() !== ''));
  return { titles, header, rows, ...(encoding ? { encoding } : {}) };
}

export function readCsvTable(file: string): ReadTable {
  const { text, encoding } = decodeBytes(fs.readFileSync(file));
  return toTable(parseCsv(text), encoding);
}

export async function readXlsxTable(file: string): Promise<ReadTable> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no worksheet in ' + file);
  const grid: string[][] = [];
  const ncol = ws.columnCount;
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= ncol; c++) {
      const cell = row.getCell(c);
      // A merged cell other than its top-left one reads as empty (like most loaders see it).
      cells.push(cell.isMerged && cell.master.address !== cell.address ? '' : cellText(cell.value));
    }
    grid[n - 1] = cells;
  });
  for (let i = 0; i < grid.length; i++) grid[i] ??= [];
  return toTable(grid);
}

export function readArrowTable(file: string): ReadTable {
  const table = tableFromIPC(fs.readFileSync(file));
  const header = table.schema.fields.map((f) => f.name);
  const cols = header.map((h) => table.getChild(h));
  const rows: string[][] = [];
  for (let i = 0; i < table.numRows; i++) rows.push(cols.map((c) => String(c?.get(i) ?? '')));
  return { titles: [], header, rows };
}

export async function readAnyTable(file: string): Promise<ReadTable> {
  if (file.endsWith('.xlsx')) return readXlsxTable(file);
  if (file.endsWith('.arrow')) return readArrowTable(file);
  return readCsvTable(file);
}

/** Column accessor by exact name (or the first of several names present). */
export function col(t: ReadTable, ...names: string[]): number {
  for (const n of names) {
    const i = t.header.indexOf(n);
    if (i >= 0) return i;
  }
  throw new Error(`column ${names.join(' | ')} not in [${t.header.join(', ')}]`);
}
