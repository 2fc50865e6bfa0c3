// File writers: xlsx (title rows, one- or two-row merged headers, byte-identical for the same content), CSV in
// UTF-8 / UTF-8 with BOM / GBK, and Arrow IPC.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { csvText, encodeText, type Cell, type CsvEncoding } from './csv';

/** Fixed workbook dates so the same content gives the same bytes. */
export const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

export interface Column {
  header: string;
  /** Upper header cell shared by consecutive columns (two header rows); ungrouped headers span both rows. */
  group?: string;
  width?: number;
  /** Excel number format for numeric cells, e.g. '0.00'. */
  numFmt?: string;
  /** Write values as text (codes keep their letters and leading zeros). */
  text?: boolean;
}

export interface SheetSpec {
  sheetName: string;
  titleRows: string[];
  columns: Column[];
  rows: Cell[][];
  trailingRows?: string[];
}

/** Overwrites the DOS time/date of every entry of a zip archive (local headers and central directory). */
export function normalizeZipTimestamps(buf: Buffer, date = FIXED_DATE): Buffer {
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive');
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
    buf.writeUInt16LE(dosTime, p + 12);
    buf.writeUInt16LE(dosDate, p + 14);
    const local = buf.readUInt32LE(p + 42);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error('bad zip local header');
    buf.writeUInt16LE(dosTime, local + 10);
    buf.writeUInt16LE(dosDate, local + 12);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return buf;
}

function colLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Builds the workbook bytes of one sheet. */
export async function xlsxBytes(spec: SheetSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'mspr data generator';
  wb.lastModifiedBy = 'mspr data generator';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  const ws = wb.addWorksheet(spec.sheetName);
  const ncol = spec.columns.length;
  const last = colLetter(ncol);
  let rowNo = 0;

  for (const title of spec.titleRows) {
    rowNo++;
    ws.getCell(`A${rowNo}`).value = title;
    ws.getCell(`A${rowNo}`).font = { bold: rowNo === 1, size: rowNo === 1 ? 14 : 10 };
    ws.getCell(`A${rowNo}`).alignment = { horizontal: 'center' };
    if (ncol > 1) ws.mergeCells(`A${rowNo}:${last}${rowNo}`);
  }

  const grouped = spec.columns.some((c) => c.group);
  const headerTop = rowNo + 1;
  const headerBottom = grouped ? rowNo + 2 : rowNo + 1;
  spec.columns.forEach((c, i) => {
    const col = colLetter(i + 1);
    if (!grouped) {
      ws.getCell(`${col}${headerTop}`).value = c.header;
    } else if (c.group) {
      ws.getCell(`${col}${headerTop}`).value = c.group;
      ws.getCell(`${col}${headerBottom}`).value = c.header;
    } else {
      ws.getCell(`${col}${headerTop}`).value = c.header;
      ws.mergeCells(`${col}${headerTop}:${col}${headerBottom}`);
    }
    ws.getColumn(i + 1).width = c.width ?? Math.max(8, Math.min(40, c.header.length * 2 + 2));
  });
  if (grouped) {
    // Merge runs of the same group horizontally.
    let i = 0;
    while (i < ncol) {
      const g = spec.columns[i]?.group;
      let j = i;
      while (g && j + 1 < ncol && spec.columns[j + 1]?.group === g) j++;
      if (g && j > i) ws.mergeCells(`${colLetter(i + 1)}${headerTop}:${colLetter(j + 1)}${headerTop}`);
      i = j + 1;
    }
  }
  for (let r = headerTop; r <= headerBottom; r++) {
    ws.getRow(r).font = { bold: true };
    ws.getRow(r).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  rowNo = headerBottom;

  for (const row of spec.rows) {
    rowNo++;
    const values = row.map((v, i) => {
      if (v === null || v === undefined || v === '') return null;
      const c = spec.columns[i];
      if (c?.text) return String(v);
      return v;
    });
    const xr = ws.getRow(rowNo);
    xr.values = values as ExcelJS.CellValue[];
    spec.columns.forEach((c, i) => {
      if (c.numFmt && typeof values[i] === 'number') xr.getCell(i + 1).numFmt = c.numFmt;
    });
  }
  for (const note of spec.trailingRows ?? []) {
    rowNo++;
    ws.getCell(`A${rowNo}`).value = note;
    ws.getCell(`A${rowNo}`).alignment = { wrapText: true, vertical: 'top' };
    if (ncol > 1) ws.mergeCells(`A${rowNo}:${last}${rowNo}`);
  }
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return normalizeZipTimestamps(raw);
}

export async function writeXlsx(file: string, spec: SheetSpec): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await xlsxBytes(spec));
}

/** Writes CSV rows; GBK files get CRLF line ends (as exported by Excel on Windows), UTF-8 files LF. */
export function writeCsv(file: string, rows: Cell[][], encoding: CsvEncoding): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const eol = encoding === 'gbk' ? '\r\n' : '\n';
  fs.writeFileSync(file, encodeText(csvText(rows, eol), encoding));
}

export interface VolumeColumns {
  region: string[];
  institution: string[];
  item: string[];
  year: number[];
  month: number[];
  quantity: number[];
}

/** Writes volumes as an Arrow IPC file with the loader's Chinese column names. */
export function writeVolumesArrow(file: string, cols: VolumeColumns): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const table = new Table({
    行政区划代码: vectorFromArray(cols.region, new Utf8()),
    机构编码: vectorFromArray(cols.institution, new Utf8()),
    项目编码: vectorFromArray(cols.item, new Utf8()),
    年份: makeVector(Int32Array.from(cols.year)),
    月份: makeVector(Int32Array.from(cols.month)),
    服务量: makeVector(Int32Array.from(cols.quantity)),
  });
  fs.writeFileSync(file, tableToIPC(table, 'file'));
}

