import type { PoolClient } from 'pg';
import { IssueCollector } from '../issues';
import { normalizeHeader, type ColumnSpec, type HeaderColumn, type SourceTable } from '../read';
import { cell, LoadContext, refOf } from '../loader';

/** Column specs shared by several layouts. */
export const REGION_COLUMN: ColumnSpec<'region'> = { key: 'region', names: ['行政区划代码', '地区代码', '区划代码', '统筹区代码'] };
export const ITEM_CODE_COLUMN: ColumnSpec<'code'> = { key: 'code', names: ['项目编码', '项目代码', '编码'], required: true };
export const ITEM_NAME_COLUMN: ColumnSpec<'name'> = { key: 'name', names: ['项目名称', '名称'], required: true };

/**
 * The region of a row: its own region column, else --region. Reports the row when neither is there.
 * Existence in the region table is checked set-based afterwards (reportUnknownRegions).
 */
export function rowRegion(ctx: LoadContext, cells: (string | null)[], row: number, col: HeaderColumn | undefined): string | undefined {
  if (col) {
    const v = ctx.parse.regionCode(cell(cells, col), refOf(col, row), !ctx.options.region);
    if (v === undefined) return undefined;
    if (v !== null) return v;
  }
  if (ctx.options.region) return ctx.options.region;
  ctx.issues.add(row, null, '缺少地区：文件没有“行政区划代码”列，请用 --region 指定', 'no region: the file has no region column; pass --region');
  return undefined;
}

/**
 * Reports, once, a file that has no 执行日期 column although its rows need a date and --effective-date was not given:
 * a problem of the whole file (no row is loaded, --skip-invalid or not). `names` are the headers the loader accepts.
 */
export function reportMissingDateColumn(issues: IssueCollector, names: readonly string[]): void {
  issues.fatal(
    `缺少“${names[0]}”列：表头中没有 ${names.join('、')} 中的任何一列，也没有用 --effective-date 指定；整个文件未导入`,
    `missing column ${names[0]} (accepted headers: ${names.join(', ')}) and no --effective-date; the file was not loaded`,
  );
}

/** Reports rows of a staging table whose region_code is not a known region; returns how many. */
export async function reportUnknownRegions(db: PoolClient, staging: string, issues: IssueCollector, col: HeaderColumn | undefined): Promise<number> {
  const r = await db.query(
    `select s.row_no, s.region_code from ${staging} s left join region g on g.code = s.region_code
      where g.code is null order by s.row_no limit 100000`,
  );
  for (const x of r.rows) {
    issues.add(x.row_no, col?.letter ?? null, `地区代码 ${x.region_code} 不存在（应为 GB/T 2260 省或地市代码）`, `unknown region code ${x.region_code}`);
  }
  return r.rowCount ?? 0;
}

/** Deletes staging rows that carry an issue (used with --skip-invalid). */
export async function dropBadRows(db: PoolClient, staging: string, issues: IssueCollector): Promise<void> {
  if (issues.badRows.size === 0) return;
  await db.query(`delete from ${staging} where row_no = any($1::int[])`, [[...issues.badRows]]);
}

/** Reports duplicate keys inside the file: the second and later rows name the first. */
export function duplicateTracker(issues: IssueCollector) {
  const seen = new Map<string, number>();
  return (key: string, row: number, column: string | null, what: string): boolean => {
    const first = seen.get(key);
    if (first !== undefined) {
      issues.add(row, column, `${what}重复（与第 ${first} 行相同）`, `duplicate ${what}, same as row ${first}`);
      return true;
    }
    seen.set(key, row);
    return false;
  };
}

export function paymentClass(v: string): '甲' | '乙' | '丙' | '自费' | null {
  const t = v.replace(/\s/g, '');
  if (/^甲(类)?$/.test(t)) return '甲';
  if (/^乙(类)?$/.test(t)) return '乙';
  if (/^丙(类)?$/.test(t)) return '丙';
  if (/^(全?自费|自付|自费类)$/.test(t)) return '自费';
  return null;
}

/**
 * Reports header columns of a hospital level that does not exist (`四级医院价格`, `特级…`) among the columns whose
 * label matches `valueLabel` (prices, shares): an error, never an ignored column. `what` names the columns (价格列).
 */
export function reportUnknownLevelColumns(table: SourceTable, issues: IssueCollector, valueLabel: RegExp, what: string): void {
  const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1] ?? null;
  for (const c of table.columns) {
    const label = normalizeHeader(c.path.join(''));
    const m = /([一二三四五六七八九十特0-9]+)级/.exec(label);
    if (m && valueLabel.test(label) && !['一', '二', '三', '1', '2', '3'].includes(m[1]!)) {
      issues.add(headerRow, c.letter ?? null, `医院等级“${m[1]}级”不存在（${what}应为三级、二级或一级）`, `no such hospital level: ${m[1]}级`);
    }
  }
}
