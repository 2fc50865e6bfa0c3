import fs from 'node:fs';
import path from 'node:path';
import { openArrow } from './arrow';
import { openCsv } from './csv';
import { openParquet } from './parquet';
import { isBlankBytes } from './detect';
import { emptyFile, type HeaderOptions } from './layout';
import { ReadError, type SourceTable } from './types';
import { openXlsx } from './xlsx';

export interface OpenOptions {
  /** Column names expected in the header row (normalized, equal or contained); at least two must appear. */
  headerHints: string[];
  /** Header rows: `'auto'` (default) recognises a two-level header; 1 or 2 force the count. */
  headerRows?: 1 | 2 | 'auto';
  /** xlsx: the worksheet to read (default: the first visible one). */
  sheet?: string;
}

const HEAD_BYTES = 64 * 1024;

async function readHead(file: string, size: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const startsWith = (buf: Buffer, bytes: number[]): boolean =>
  buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);

/** The format from the leading bytes (zip, Arrow and Parquet magic), then from the extension; text files are csv. */
export function detectFormat(file: string, head: Buffer): SourceTable['format'] {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'xlsx';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw new ReadError(
      file,
      null,
      null,
      '不支持 xls（Excel 97-2003）格式或加密的工作簿：请在 Excel 中另存为未加密的 .xlsx 或 CSV',
      'legacy .xls and encrypted workbooks are not supported: save the file as an unencrypted .xlsx or CSV',
    );
  }
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1') return 'arrow';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (startsWith(head, [0xff, 0xff, 0xff, 0xff]) && head.length >= 8) return 'arrow';
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.arrow' || ext === '.arrows' || ext === '.ipc' || ext === '.feather') return 'arrow';
  if (ext === '.parquet' || ext === '.parq') return 'parquet';
  return 'csv';
}

/**
 * Opens an official file for reading: finds the header (title rows above it, one or two header rows) and
 * returns its columns and a stream of data rows. Problems are thrown as ReadError.
 */
export async function openTable(file: string, opts: OpenOptions): Promise<SourceTable> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new ReadError(file, null, null, '文件不存在或无法读取', 'file not found or not readable');
  }
  if (!stat.isFile()) throw new ReadError(file, null, null, '不是文件', 'not a file');
  if (stat.size === 0) throw emptyFile(file);
  const head = await readHead(file, stat.size);
  if (head.length === stat.size && isBlankBytes(head)) throw emptyFile(file);

  const header: HeaderOptions = { headerHints: opts.headerHints, headerRows: opts.headerRows ?? 'auto' };
  switch (detectFormat(file, head)) {
    case 'xlsx':
      return openXlsx(file, { ...header, sheet: opts.sheet });
    case 'arrow':
      return openArrow(file);
    case 'parquet':
      return openParquet(file);
    default:
      return openCsv(file, header, head);
  }
}
