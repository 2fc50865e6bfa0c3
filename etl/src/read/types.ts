/**
 * Format layer of the ETL: every official file (xlsx, csv, Arrow IPC) is read into the same shape, a header
 * (one or two rows, columns identified by their label path) and a stream of data rows of trimmed strings.
 * Loaders match columns by header text (see header.ts) and never by position.
 */

/** One column of the header. */
export interface HeaderColumn {
  /** 0-based position of the column in the file; `SourceRow.cells[index]` is its value. */
  index: number;
  /** Header labels from the top: `['价格（元）', '三级']` under a two-level header, `['项目编码']` otherwise. */
  path: string[];
  /** `path` joined with '/'. */
  label: string;
  /** Column letter in xlsx (`'C'`), 1-based column number as a string in csv and Arrow (`'3'`). */
  letter?: string;
}

/** One data row. */
export interface SourceRow {
  /**
   * 1-based row number in the file: the sheet row in xlsx; in csv the physical line on which the record starts
   * (title and header lines counted, a quoted line break inside a cell counts as a line); in Arrow the data
   * ordinal + 1 (the header counts as row 1).
   */
  rowNo: number;
  /** Cells aligned with `HeaderColumn.index` (length = header width), trimmed, null when empty. */
  cells: (string | null)[];
}

export interface SourceTable {
  file: string;
  format: 'xlsx' | 'csv' | 'arrow' | 'parquet';
  /** csv only. */
  encoding?: 'utf-8' | 'gb18030';
  /** csv only: whether the file starts with a UTF-8 byte order mark. */
  bom?: boolean;
  /** xlsx only: the worksheet read. */
  sheet?: string;
  /** Texts of the non-empty rows above the header (the cell texts of a row joined with a space). */
  titleRows: string[];
  /** 1-based file rows of the header (1 or 2 rows). */
  headerRowNumbers: number[];
  columns: HeaderColumn[];
  /**
   * Data rows after the header. Rows whose cells are all empty are skipped (their numbers still count).
   * csv and Arrow are streamed from the file (constant memory), Parquet a row group at a time; each call starts a new pass.
   */
  rows(): AsyncIterable<SourceRow>;
}

/**
 * A problem with a source file, reported as `file:row:column: 中文说明 (English gloss)`.
 * Empty parts are left out at the end (`file:12: …`, `file: …`) and kept empty in the middle (`file::C: …`).
 */
export class ReadError extends Error {
  constructor(
    public readonly file: string,
    public readonly row: number | null,
    public readonly column: string | null,
    public readonly messageZh: string,
    public readonly messageEn: string,
  ) {
    super(formatReadErrorMessage(file, row, column, messageZh, messageEn));
    this.name = 'ReadError';
  }

  /** The problems to report: this one, or one per row of the file (InvalidTextError). */
  problems(): ReadProblem[] {
    return [{ row: this.row, column: this.column, zh: this.messageZh, en: this.messageEn }];
  }
}

export interface ReadProblem {
  row: number | null;
  column: string | null;
  zh: string;
  en: string;
}

const NOT_UTF8_ZH = '该行不是有效的 UTF-8 文本（可能是 GBK 编码），而文件按 UTF-8 读取：请将整个文件另存为 UTF-8（整个文件未导入）';
const NOT_UTF8_EN = 'the row is not valid UTF-8 (probably GBK) in a file read as UTF-8: save the whole file as UTF-8 (the file was not loaded)';

/** The problem of a row that is not valid UTF-8 in a file read as UTF-8 (the csv reader, the volumes fast path). */
export function notUtf8Problem(row: number): ReadProblem {
  return { row, column: null, zh: NOT_UTF8_ZH, en: NOT_UTF8_EN };
}

/**
 * Rows of a file read as UTF-8 that are not valid UTF-8 (a file with rows in two encodings): the file cannot be
 * loaded. Raised once the file was read to the end: `rows` are the first of them (the error's place is the first),
 * `count` all of them.
 */
export class InvalidTextError extends ReadError {
  constructor(
    file: string,
    readonly rows: number[],
    readonly count: number,
    /** Rows that are valid UTF-8 but read as GBK text (looksLikeGbk), by row: the cell's column and text. */
    readonly lookalikes: ReadonlyMap<number, GbkLookalike> = new Map(),
  ) {
    const first = rows[0] === undefined ? undefined : lookalikes.get(rows[0]);
    const p = first && rows[0] !== undefined ? gbkLookalikeProblem(rows[0], first) : null;
    super(file, rows[0] ?? null, p?.column ?? null, p?.zh ?? NOT_UTF8_ZH, p?.en ?? NOT_UTF8_EN);
    this.name = 'InvalidTextError';
  }

  override problems(): ReadProblem[] {
    return this.rows.map((r) => {
      const l = this.lookalikes.get(r);
      return l ? gbkLookalikeProblem(r, l) : notUtf8Problem(r);
    });
  }
}

/** A cell of a file read as UTF-8 whose text is probably GBK (valid UTF-8 by chance). */
export interface GbkLookalike {
  /** 1-based column number, as csv columns are named. */
  column: string;
  /** The text as read (UTF-8). */
  text: string;
  /** The same bytes read as GBK. */
  gbk: string;
}

/** The problem of a cell that is valid UTF-8 but is GBK text (洗胃 read as "ϴθ"). */
export function gbkLookalikeProblem(row: number, l: GbkLookalike): ReadProblem {
  return {
    row,
    column: l.column,
    zh: `该单元格按 UTF-8 读作“${l.text}”，应是 GBK 编码的“${l.gbk}”，而文件按 UTF-8 读取：请将整个文件另存为 UTF-8（整个文件未导入）`,
    en: `the cell reads "${l.text}" as UTF-8 but is GBK text ("${l.gbk}") in a file read as UTF-8: save the whole file as UTF-8 (the file was not loaded)`,
  };
}

export function formatReadErrorMessage(
  file: string,
  row: number | null,
  column: string | null,
  messageZh: string,
  messageEn: string,
): string {
  const parts = [file, row === null ? '' : String(row), column ?? ''];
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const where = parts.join(':');
  const text = messageEn ? `${messageZh} (${messageEn})` : messageZh;
  return where ? `${where}: ${text}` : text;
}
