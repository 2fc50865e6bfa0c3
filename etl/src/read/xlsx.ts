import ExcelJS from 'exceljs';
import { normalizeHeader } from './header';
import { detectHeader, emptyFile, HEADER_SCAN_ROWS, type Grid, type HeaderOptions, type Merge } from './layout';
import { ReadError, type SourceRow, type SourceTable } from './types';
import { cleanText, columnLetter, formatCellNumber, formatDate } from './values';

export function corruptXlsx(file: string): ReadError {
  return new ReadError(
    file,
    null,
    null,
    '文件无法解析：xlsx 文件已损坏或不完整',
    'cannot parse: the xlsx file is corrupt or truncated',
  );
}

/** The text of a cell value as the sheet shows it; null when empty. */
export function valueText(value: ExcelJS.CellValue, numFmt?: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return formatCellNumber(value, numFmt);
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return cleanText(value.richText.map((r) => r.text ?? '').join(''));
    }
    if ('formula' in value || 'sharedFormula' in value) {
      return valueText((value as ExcelJS.CellFormulaValue).result ?? null, numFmt);
    }
    if ('hyperlink' in value) {
      return valueText((value as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue, numFmt);
    }
    if ('error' in value) return (value as ExcelJS.CellErrorValue).error;
  }
  return cleanText(String(value));
}

/** The text of a cell; the covered cells of a merged range show the value of its top-left cell. */
export function cellText(cell: ExcelJS.Cell): string | null {
  const source = cell.type === ExcelJS.ValueType.Merge ? cell.master : cell;
  return valueText(source.value, source.numFmt);
}

function pickSheet(wb: ExcelJS.Workbook, file: string, name?: string): ExcelJS.Worksheet {
  const sheets = wb.worksheets;
  if (sheets.length === 0) throw emptyFile(file);
  if (name !== undefined) {
    const found =
      sheets.find((s) => s.name === name) ?? sheets.find((s) => normalizeHeader(s.name) === normalizeHeader(name));
    if (!found) {
      const names = sheets.map((s) => s.name);
      throw new ReadError(
        file,
        null,
        null,
        `找不到工作表“${name}”；文件中的工作表：${names.join('、')}`,
        `sheet "${name}" not found; the workbook has: ${names.join(', ')}`,
      );
    }
    return found;
  }
  return sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0]!;
}

/** Own texts of the first rows (covered cells of merged ranges are null) and the merged ranges among them. */
function readGrid(ws: ExcelJS.Worksheet, last: number): Grid {
  const rows: Grid['rows'] = [];
  const boxes = new Map<string, Merge>();
  const extend = (key: string, r: number, c: number): void => {
    const box = boxes.get(key);
    if (!box) boxes.set(key, { top: r, bottom: r, left: c, right: c });
    else {
      box.top = Math.min(box.top, r);
      box.bottom = Math.max(box.bottom, r);
      box.left = Math.min(box.left, c);
      box.right = Math.max(box.right, c);
    }
  };
  for (let r = 1; r <= last; r++) {
    const cells: (string | null)[] = [];
    const row = ws.findRow(r);
    row?.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      const c = colNumber - 1;
      while (cells.length < c) cells.push(null);
      if (cell.type === ExcelJS.ValueType.Merge) {
        const master = cell.master.fullAddress;
        const key = `${master.row}:${master.col}`;
        extend(key, master.row, master.col - 1);
        extend(key, r, c);
        cells[c] = null;
      } else {
        cells[c] = cellText(cell);
      }
    });
    rows.push({ rowNo: r, cells });
  }
  return { rows, merges: [...boxes.values()], eof: ws.rowCount <= last };
}

export async function openXlsx(
  file: string,
  opts: HeaderOptions & { sheet?: string },
): Promise<SourceTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch {
    throw corruptXlsx(file);
  }
  const ws = pickSheet(wb, file, opts.sheet);
  const grid = readGrid(ws, Math.min(ws.rowCount, HEADER_SCAN_ROWS + 1));
  const layout = detectHeader(grid, opts, file, columnLetter);
  const firstData = grid.rows[layout.headerEnd]!.rowNo + 1;
  const { width } = layout;

  async function* rows(): AsyncGenerator<SourceRow> {
    const last = ws.rowCount;
    for (let r = firstData; r <= last; r++) {
      const row = ws.findRow(r);
      if (!row) continue;
      const cells: (string | null)[] = new Array<string | null>(width).fill(null);
      let any = false;
      for (let c = 0; c < width; c++) {
        const cell = row.findCell(c + 1);
        if (!cell) continue;
        const text = cellText(cell);
        if (text !== null) {
          cells[c] = text;
          any = true;
        }
      }
      if (any) yield { rowNo: r, cells };
    }
  }

  return {
    file,
    format: 'xlsx',
    sheet: ws.name,
    titleRows: layout.titleRows,
    headerRowNumbers: layout.headerRowNumbers,
    columns: layout.columns,
    rows,
  };
}
