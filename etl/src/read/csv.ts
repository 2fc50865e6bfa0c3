import fs from 'node:fs';
import path from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { detectEncoding, type TextEncoding } from './detect';
import { detectHeader, HEADER_SCAN_ROWS, type Grid, type HeaderOptions } from './layout';
import { InvalidTextError, ReadError, type GbkLookalike, type SourceRow, type SourceTable } from './types';
import { looksLikeGbk, NOT_TEXT, Utf8Check } from './utf8';

export type Delimiter = ',' | '\t';

/** Rows that are not UTF-8 named in an InvalidTextError (all of them are counted). */
const MAX_ROWS_REPORTED = 1000;

interface CsvRecord {
  /** Physical line on which the record starts (1-based). */
  lineNo: number;
  /** Line on which the next record starts. */
  nextLine: number;
  /** Offset just past the record in the decoded text encoded as UTF-8 (only with `offsets`). */
  endByte: number;
  record: string[];
  /** true when the file is read as UTF-8 and bytes of this record are not UTF-8 (they stand as NOT_TEXT in it) */
  notUtf8: boolean;
  /** in a file read as UTF-8, a cell of this record that is valid UTF-8 but GBK text (looksLikeGbk) */
  gbk: GbkLookalike | null;
}

/** The first cell of a record read as UTF-8 that looks like GBK text, with what it reads as in GBK. */
function gbkLookalike(raw: string, record: readonly string[]): GbkLookalike | null {
  if (!/[\u0080-\u07ff]{2}/.test(raw)) return null; // the common case: one pass over the raw record
  for (let c = 0; c < record.length; c++) {
    const cell = record[c]!;
    if (looksLikeGbk(cell)) return { column: String(c + 1), text: cell.trim(), gbk: iconv.decode(Buffer.from(cell.trim(), 'utf8'), 'gbk') };
  }
  return null;
}

/** Where a pass starts: after `byte` bytes of the decoded text (UTF-8), on line `line`. */
interface Start {
  byte: number;
  line: number;
}

/** Number of line breaks in a raw record (CRLF, LF and CR each count once), the record's own terminator included. */
export function countLineBreaks(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch === 10) n++;
    else if (ch === 13) {
      n++;
      if (raw.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** A csv cell: trimmed, `="0012"` (Excel's way of keeping text) unwrapped, null when empty. */
export function csvCell(s: string | undefined): string | null {
  if (s === undefined) return null;
  let t = s.trim();
  const m = /^="(.*)"$/s.exec(t);
  if (m) t = m[1]!.replace(/""/g, '"').trim();
  return t === '' ? null : t;
}

/** Tab for .tsv, and for other files whose first lines hold more tabs than commas; comma otherwise. */
export function chooseDelimiter(file: string, head: Buffer, encoding: TextEncoding): Delimiter {
  if (path.extname(file).toLowerCase() === '.tsv') return '\t';
  const text = iconv.decode(head, encoding === 'utf-8' ? 'utf8' : 'gb18030');
  const lines = text.split(/\r\n|\n|\r/).slice(0, HEADER_SCAN_ROWS);
  let commas = 0;
  let tabs = 0;
  for (const line of lines) {
    for (const ch of line) {
      if (ch === ',') commas++;
      else if (ch === '\t') tabs++;
    }
  }
  return tabs > commas ? '\t' : ',';
}

const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引号未闭合',
  CSV_INVALID_CLOSING_QUOTE: '引号后有多余字符',
  CSV_MAX_RECORD_SIZE: '记录过长（分隔符可能不对）',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: '列数不一致',
};

function csvError(err: unknown, file: string, lineNo: number): ReadError {
  if (err instanceof ReadError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code && e.code.startsWith('CSV_')) {
    const zh = CSV_ERRORS[e.code] ?? '格式错误';
    return new ReadError(file, lineNo, null, `CSV 格式错误：${zh}`, `malformed CSV: ${e.message ?? e.code}`);
  }
  return new ReadError(file, lineNo, null, `读取文件失败：${e.message ?? String(err)}`, `cannot read the file: ${e.message ?? String(err)}`);
}

/** Drops the first `count` bytes of a byte stream. */
function skipBytes(count: number): Transform {
  let remaining = count;
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (remaining > 0) {
        if (buf.length <= remaining) {
          remaining -= buf.length;
          callback();
          return;
        }
        buf = buf.subarray(remaining);
        remaining = 0;
      }
      callback(null, buf);
    },
  });
}

/**
 * Streams the records of a csv file with the line number each starts on.
 * A pass may start after the title and header records (`start`): csv-parse measures the field count of the first
 * record it sees, and a title row of one cell above wide data rows would make it build an error object for every
 * record (which costs far more than the parsing).
 */
export async function* csvRecords(
  file: string,
  encoding: TextEncoding,
  delimiter: Delimiter,
  start: Start = { byte: 0, line: 1 },
  offsets = false,
): AsyncGenerator<CsvRecord> {
  const source = fs.createReadStream(file, { highWaterMark: 1 << 16 });
  // UTF-8 bytes go to the parser as they are, checked (a row in GBK is found, not turned into U+FFFD); GB18030 is
  // decoded. Both drop a leading byte order mark.
  const utf8 = encoding === 'utf-8' ? new Utf8Check() : null;
  const decoder = utf8 ?? iconv.decodeStream('gb18030');
  const parser = parse({
    delimiter,
    raw: true,
    info: offsets,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  const done = (): void => {
    // errors reach the consumer through the parser
  };
  if (start.byte > 0) pipeline(source, decoder, skipBytes(start.byte), parser, done);
  else pipeline(source, decoder, parser, done);
  let lineNo = start.line;
  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; raw: string; info?: { bytes: number } }>) {
      const nextLine = lineNo + countLineBreaks(chunk.raw);
      const notUtf8 = utf8 !== null && utf8.invalid && chunk.raw.includes(NOT_TEXT);
      const gbk = utf8 !== null && !notUtf8 ? gbkLookalike(chunk.raw, chunk.record) : null;
      yield { lineNo, nextLine, endByte: start.byte + (chunk.info?.bytes ?? 0), record: chunk.record, notUtf8, gbk };
      lineNo = nextLine;
    }
  } catch (err) {
    throw csvError(err, file, lineNo);
  } finally {
    parser.destroy();
    source.destroy();
  }
}

export async function openCsv(file: string, opts: HeaderOptions, head: Buffer): Promise<SourceTable> {
  const { encoding, bom } = detectEncoding(head, file);
  const delimiter = chooseDelimiter(file, head, encoding);

  // the first rows, for the header; the data rows are read in a new pass
  const grid: Grid = { rows: [], merges: null, eof: true };
  const ends: Start[] = [];
  const notUtf8: number[] = []; // indexes into grid.rows
  const headLookalikes = new Map<number, GbkLookalike>(); // by row number
  for await (const { lineNo, nextLine, endByte, record, notUtf8: bad, gbk } of csvRecords(file, encoding, delimiter, undefined, true)) {
    if (grid.rows.length > HEADER_SCAN_ROWS) {
      grid.eof = false;
      break;
    }
    if (bad || gbk) notUtf8.push(grid.rows.length);
    if (gbk) headLookalikes.set(lineNo, gbk);
    grid.rows.push({ rowNo: lineNo, cells: record.map(csvCell) });
    ends.push({ byte: endByte, line: nextLine });
  }
  // title and header rows that are not UTF-8 (data rows are reported by rows())
  const headerNotUtf8 = (end: number) => {
    const bad = notUtf8.filter((i) => i <= end).map((i) => grid.rows[i]!.rowNo);
    return bad.length > 0 ? new InvalidTextError(file, bad, bad.length, headLookalikes) : null;
  };
  let layout: ReturnType<typeof detectHeader>;
  try {
    layout = detectHeader(grid, opts, file, (i) => String(i + 1));
  } catch (e) {
    throw headerNotUtf8(grid.rows.length) ?? e;
  }
  const garbled = headerNotUtf8(layout.headerEnd);
  if (garbled) throw garbled;
  const dataStart = ends[layout.headerEnd]!;
  const { width } = layout;

  async function* rows(): AsyncGenerator<SourceRow> {
    // rows that are not UTF-8 are left out and reported together at the end, when the whole file has been read
    const bad: number[] = [];
    const lookalikes = new Map<number, GbkLookalike>();
    let badCount = 0;
    for await (const { lineNo, record, notUtf8: notText, gbk } of csvRecords(file, encoding, delimiter, dataStart)) {
      if (notText || gbk) {
        if (bad.length < MAX_ROWS_REPORTED) {
          bad.push(lineNo);
          if (gbk) lookalikes.set(lineNo, gbk);
        }
        badCount++;
        continue;
      }
      const cells: (string | null)[] = new Array<string | null>(width);
      let any = false;
      for (let c = 0; c < width; c++) {
        const text = csvCell(record[c]);
        cells[c] = text;
        if (text !== null) any = true;
      }
      if (any) yield { rowNo: lineNo, cells };
    }
    if (badCount > 0) throw new InvalidTextError(file, bad, badCount, lookalikes);
  }

  return {
    file,
    format: 'csv',
    encoding,
    bom,
    titleRows: layout.titleRows,
    headerRowNumbers: layout.headerRowNumbers,
    columns: layout.columns,
    rows,
  };
}
