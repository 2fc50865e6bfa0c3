/**
 * Finding the header in the first rows of a sheet or csv file: title rows above it, one or two header rows
 * (a group label such as `价格（元）` spanning sub-labels `三级 / 二级 / 一级`), and the column paths.
 */
import { normalizeHeader } from './header';
import { ReadError, type HeaderColumn } from './types';

/** The rows scanned for the header. */
export const HEADER_SCAN_ROWS = 30;

/** A row's own cell texts (trimmed, null when empty; null for the covered cells of a merged range). */
export interface GridRow {
  rowNo: number;
  cells: (string | null)[];
}

/** A merged range: rows are file row numbers, columns are 0-based and inclusive. */
export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Grid {
  /** Consecutive rows (sheet rows or csv records) from the start of the file; at least the first 31 when present. */
  rows: GridRow[];
  /** xlsx: merged ranges touching these rows. csv: null (a group label is continued by blank cells instead). */
  merges: Merge[] | null;
  /** Whether `rows` holds the whole file. */
  eof: boolean;
}

export interface HeaderLayout {
  titleRows: string[];
  headerRowNumbers: number[];
  /** Index in `grid.rows` of the last header row; data starts after it. */
  headerEnd: number;
  columns: HeaderColumn[];
  /** Number of cells of a data row that belong to the table. */
  width: number;
}

export interface HeaderOptions {
  headerHints: string[];
  headerRows?: 1 | 2 | 'auto';
}

/** Whether a text looks like a value (number, code, date) rather than a header label. */
export function looksLikeData(text: string): boolean {
  const n = normalizeHeader(text);
  if (/^[-+]?[\d,]*\.?\d+%?$/.test(n)) return true;
  if (/^\d{4}[-/.年]\d{1,2}/.test(n)) return true;
  if (/^[0-9a-z]{5,}$/.test(n) && (n.match(/\d/g)?.length ?? 0) >= 3) return true;
  return false;
}

/** A short header label: not data, at most 30 characters, no colon (`填报单位：…`, `单位：元` are notes). */
export function isLabel(text: string | null): boolean {
  if (text === null) return false;
  const n = normalizeHeader(text);
  return n.length > 0 && n.length <= 30 && !n.includes(':') && !looksLikeData(text);
}

interface Group {
  left: number;
  right: number;
  label: string;
}

class GridView {
  private readonly mergeAtCell = new Map<string, Merge>();

  constructor(readonly grid: Grid) {
    for (const m of grid.merges ?? []) {
      for (let r = m.top; r <= m.bottom; r++) {
        for (let c = m.left; c <= m.right; c++) this.mergeAtCell.set(`${r}:${c}`, m);
      }
    }
  }

  get isSheet(): boolean {
    return this.grid.merges !== null;
  }

  rowNo(i: number): number {
    return this.grid.rows[i]!.rowNo;
  }

  own(i: number, c: number): string | null {
    return this.grid.rows[i]?.cells[c] ?? null;
  }

  rowWidth(i: number): number {
    const cells = this.grid.rows[i]?.cells ?? [];
    let w = 0;
    cells.forEach((t, c) => {
      if (t !== null) w = c + 1;
    });
    return w;
  }

  isEmpty(i: number): boolean {
    return this.rowWidth(i) === 0;
  }

  mergeAt(i: number, c: number): Merge | undefined {
    return this.mergeAtCell.get(`${this.rowNo(i)}:${c}`);
  }

  /**
   * Horizontal spans of row `upper` with sub-labels in row `lower`: merged ranges within the row (xlsx), and a
   * label followed by blank cells that have sub-labels below them (csv, and xlsx "centre across selection").
   */
  groups(upper: number, lower: number, width: number): Group[] {
    const groups: Group[] = [];
    const top = this.rowNo(upper);
    const seen = new Set<Merge>();
    for (let c = 0; c < width; c++) {
      const m = this.mergeAt(upper, c);
      if (!m || seen.has(m)) continue;
      seen.add(m);
      const label = this.own(upper, m.left);
      if (m.top === top && m.bottom === top && m.right > m.left && label !== null) {
        groups.push({ left: m.left, right: m.right, label });
      }
    }
    const free = (c: number): boolean => this.mergeAt(upper, c) === undefined;
    for (let c = 0; c < width; c++) {
      const label = this.own(upper, c);
      if (label === null || !free(c) || this.own(lower, c) === null) continue;
      let d = c;
      while (d + 1 < width && free(d + 1) && this.own(upper, d + 1) === null && this.own(lower, d + 1) !== null) d++;
      if (d > c) groups.push({ left: c, right: d, label });
      c = d;
    }
    return groups.sort((a, b) => a.left - b.left);
  }

  /** Whether row `lower` holds the sub-labels of the groups of row `upper`, i.e. both rows form one header. */
  isTwoLevel(upper: number, lower: number, direction: 'down' | 'up'): boolean {
    if (upper < 0 || lower >= this.grid.rows.length || this.isEmpty(upper) || this.isEmpty(lower)) return false;
    const width = Math.max(this.rowWidth(upper), this.rowWidth(lower));
    // a merged cell with nothing below it is a wide label, not a group
    const groups = this.groups(upper, lower, width).filter((g) => this.hasSub(lower, g));
    if (groups.length === 0) return false;
    const groupOf = (c: number): Group | undefined => groups.find((g) => g.left <= c && c <= g.right);
    let subLabels = 0;
    for (let c = 0; c < width; c++) {
      const sub = this.own(lower, c);
      const top = this.own(upper, c);
      if (sub === null) continue;
      if (!isLabel(sub)) return false;
      if (groupOf(c)) subLabels++;
      else if (top !== null) return false; // a value under a plain label: the lower row is data
    }
    if (subLabels < 2) return false;
    // every label of the upper row must be a short label too
    for (let c = 0; c < width; c++) {
      const top = this.own(upper, c);
      if (top !== null && !isLabel(top)) return false;
    }
    if (direction === 'up') {
      // a title row (one cell at the left edge) is not a group row
      const filled = this.grid.rows[upper]!.cells.filter((t) => t !== null).length;
      const first = this.grid.rows[lower]!.cells.findIndex((t) => t !== null);
      const only = this.grid.rows[upper]!.cells.findIndex((t) => t !== null);
      if (filled === 1) {
        const g = groups[0]!;
        let covered = 0;
        let labels = 0;
        this.grid.rows[lower]!.cells.forEach((t, c) => {
          if (t === null) return;
          labels++;
          if (g.left <= c && c <= g.right) covered++;
        });
        if (only <= first || covered >= labels) return false;
      }
    }
    return true;
  }

  private hasSub(lower: number, g: Group): boolean {
    for (let c = g.left; c <= g.right; c++) if (this.own(lower, c) !== null) return true;
    return false;
  }
}

function hintMatcher(hints: string[]): (text: string | null) => boolean {
  const normalized = [...new Set(hints.map(normalizeHeader).filter((h) => h !== ''))];
  return (text) => {
    if (text === null) return false;
    const n = normalizeHeader(text);
    if (n === '') return false;
    return normalized.some((h) => n === h || (n.length <= 40 && n.includes(h)));
  };
}

export function headerNotFound(file: string, hints: string[]): ReadError {
  const list = hints.slice(0, 8).join('、');
  return new ReadError(
    file,
    null,
    null,
    `未找到表头：前 ${HEADER_SCAN_ROWS} 行中没有包含 ${list} 等列名中至少两个的行；请检查文件编码（UTF-8/GBK）和列名`,
    `header not found: none of the first ${HEADER_SCAN_ROWS} rows has at least two of the column names ${hints
      .slice(0, 8)
      .join(', ')}; check the file encoding (UTF-8/GBK) and the column names`,
  );
}

export function emptyFile(file: string): ReadError {
  return new ReadError(file, null, null, '文件为空', 'the file is empty');
}

/**
 * Locates the header: the first of the first 30 rows with at least two cells equal to (or containing) a hint
 * (the first non-empty row when there are no hints).
 * With `headerRows: 'auto'` a second header row is recognised below it (sub-labels under merged or
 * blank-continued group cells) or above it (group labels over the hinted row); `1` or `2` force the count.
 */
export function detectHeader(
  grid: Grid,
  opts: HeaderOptions,
  file: string,
  letterOf: (index: number) => string,
): HeaderLayout {
  const view = new GridView(grid);
  const isHint = hintMatcher(opts.headerHints);
  const needed = Math.min(2, Math.max(1, new Set(opts.headerHints.map(normalizeHeader)).size));
  const scan = Math.min(HEADER_SCAN_ROWS, grid.rows.length);
  const hinted = opts.headerHints.some((hint) => normalizeHeader(hint) !== '');
  let h = -1;
  for (let i = 0; i < scan; i++) {
    // without hints the first non-empty row is the header
    if (hinted ? grid.rows[i]!.cells.filter(isHint).length >= needed : !view.isEmpty(i)) {
      h = i;
      break;
    }
  }
  if (h < 0) {
    if (grid.eof && grid.rows.every((_, i) => view.isEmpty(i))) throw emptyFile(file);
    throw headerNotFound(file, opts.headerHints);
  }

  const mode = opts.headerRows ?? 'auto';
  let upper = h;
  let lower = h;
  if (mode !== 1) {
    if (view.isTwoLevel(h - 1, h, 'up')) upper = h - 1;
    else if (mode === 2 || view.isTwoLevel(h, h + 1, 'down')) lower = Math.min(h + 1, grid.rows.length - 1);
  }

  const titleRows: string[] = [];
  for (let i = 0; i < upper; i++) {
    const texts = grid.rows[i]!.cells.filter((t): t is string => t !== null);
    if (texts.length > 0) titleRows.push(texts.join(' '));
  }

  const paths = upper === lower ? singleRow(view, upper) : twoRows(view, upper, lower);
  const columns: HeaderColumn[] = [];
  let width = 0;
  paths.forEach((path, index) => {
    if (!path || path.length === 0) return;
    columns.push({ index, path, label: path.join('/'), letter: letterOf(index) });
    width = index + 1;
  });
  for (const m of grid.merges ?? []) {
    // a merged header cell spans the columns its data may use
    if (m.top <= view.rowNo(lower) && m.bottom >= view.rowNo(upper) && m.left < width) {
      width = Math.max(width, m.right + 1);
    }
  }
  const headerRowNumbers = upper === lower ? [view.rowNo(upper)] : [view.rowNo(upper), view.rowNo(lower)];
  return { titleRows, headerRowNumbers, headerEnd: lower, columns, width };
}

function singleRow(view: GridView, i: number): (string[] | null)[] {
  const paths: (string[] | null)[] = [];
  const width = view.rowWidth(i);
  for (let c = 0; c < width; c++) {
    const m = view.mergeAt(i, c);
    if (m && (m.left !== c || m.top !== view.rowNo(i))) {
      paths.push(null);
      continue;
    }
    const text = view.own(i, c);
    paths.push(text === null ? null : [text]);
  }
  return paths;
}

function twoRows(view: GridView, upper: number, lower: number): (string[] | null)[] {
  const width = Math.max(view.rowWidth(upper), view.rowWidth(lower));
  const groups = view.groups(upper, lower, width);
  const upperRow = view.rowNo(upper);
  const lowerRow = view.rowNo(lower);
  const paths: (string[] | null)[] = [];
  for (let c = 0; c < width; c++) {
    let top: string | null;
    let vertical = false;
    if (view.isSheet) {
      const m = view.mergeAt(upper, c);
      if (m && m.top === upperRow) {
        top = view.own(upper, m.left);
        vertical = m.bottom >= lowerRow;
        if (vertical && m.left !== c) {
          // covered part of a block merged over both rows and several columns
          paths.push(null);
          continue;
        }
      } else if (m) {
        top = null; // covered by a merge from a row above the header
      } else {
        top = view.own(upper, c) ?? groups.find((g) => g.left <= c && c <= g.right)?.label ?? null;
      }
    } else {
      top = view.own(upper, c) ?? groups.find((g) => g.left <= c && c <= g.right)?.label ?? null;
    }
    let sub: string | null = null;
    if (!vertical) {
      if (view.isSheet) {
        const m = view.mergeAt(lower, c);
        if (!m) sub = view.own(lower, c);
        else if (m.top === lowerRow) sub = view.own(lower, m.left);
      } else {
        sub = view.own(lower, c);
      }
    }
    if (sub === null && top !== null && view.own(upper, c) === null) {
      // covered part of a wide label with no sub-label of its own
      paths.push(null);
      continue;
    }
    const path = [top, sub].filter((t): t is string => t !== null);
    if (path.length === 2 && normalizeHeader(path[0]) === normalizeHeader(path[1])) path.pop();
    paths.push(path.length > 0 ? path : null);
  }
  return paths;
}
