import type { PoolClient } from 'pg';
import { copyRows } from '../copy';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import type { HeaderColumn } from '../read';
import {
  dropBadRows, duplicateTracker, paymentClass, REGION_COLUMN, reportMissingDateColumn, reportUnknownLevelColumns, reportUnknownRegions, rowRegion,
} from './common';

const SHARE_GROUP = ['基金支付比例（%）', '基金支付比例', '医保支付比例（%）', '医保支付比例', '支付比例（%）', '支付比例', '报销比例（%）', '报销比例'];
const levelNames = (l: string) => [l, `${l}医院`, `${l}医疗机构`, `${l}定点医疗机构`];

type Key = 'region' | 'regionName' | 'payment' | 'share3' | 'share2' | 'share1' | 'level' | 'share' | 'effective';

const EFFECTIVE_COLUMN = { key: 'effective', names: ['执行日期', '生效日期', '执行时间'] } as const;

const COLUMNS = [
  REGION_COLUMN,
  { key: 'regionName', names: ['地区名称', '统筹区名称', '统筹区'] },
  { key: 'payment', names: ['医保支付类别', '支付类别', '医保类别', '医保支付分类'], required: true },
  { key: 'share3', names: levelNames('三级'), group: SHARE_GROUP },
  { key: 'share2', names: levelNames('二级'), group: SHARE_GROUP },
  { key: 'share1', names: levelNames('一级'), group: SHARE_GROUP },
  { key: 'level', names: ['医院等级', '医疗机构等级', '机构等级'] },
  { key: 'share', names: SHARE_GROUP },
  EFFECTIVE_COLUMN,
] as const;

const LEVEL_ZH = ['', '一级', '二级', '三级'] as const;

/**
 * A percentage with at most two decimals, 0–100 (`70`, `70%`, `46.8`), as its text; undefined after reporting.
 * Values are percentages, never fractions: `0.7` means 0.7%.
 */
function percentText(ctx: LoadContext<Key>, v: string | null, col: HeaderColumn | undefined, row: number): string | undefined {
  const at = refOf(col, row);
  const t = ctx.parse.text(v, at, true);
  if (t === undefined || t === null) return undefined;
  const s = t.normalize('NFKC').replace(/\s+/g, '').replace(/%$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) {
    ctx.issues.add(row, at.column, `“${at.label}”不是百分比数值：${t}`, `${at.label} is not a percentage`);
    return undefined;
  }
  if (/\.\d{3,}$/.test(s)) {
    ctx.issues.add(row, at.column, `“${at.label}”最多两位小数：${t}`, `${at.label}: at most two decimals`);
    return undefined;
  }
  const n = Number(s);
  if (n < 0 || n > 100) {
    ctx.issues.add(row, at.column, `“${at.label}”应在 0–100（%）之间：${t}`, `${at.label} must be between 0 and 100 (%)`);
    return undefined;
  }
  return s;
}

/**
 * 医保支付比例表: the share of a price the fund pays, per 医保支付类别 (甲类 / 乙类 / 丙类 / 自费) and hospital level,
 * from 执行日期. Wide (one column per level: `三级医院基金支付比例（%）`, or 三级/二级/一级 under a `基金支付比例（%）`
 * group header) or long (医院等级 + 基金支付比例). A rate already loaded by another file for the same region, class,
 * level and date is an error; a changed version of the same file replaces its rows.
 */
export const reimbursementLoader: Loader<Key> = {
  kind: 'reimbursement',
  analyze: () => ['reimbursement_rate'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 'auto',

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from reimbursement_rate where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db, options } = ctx;
    const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1];
    // a share column of a level that does not exist (四级医院支付比例) is an error, not an ignored column
    reportUnknownLevelColumns(table, issues, /比例/, '支付比例列');
    const long = Boolean(cols.level);
    const levelCols = ([3, 2, 1] as const).map((l) => ({ level: l, col: cols[`share${l}` as 'share3'] })).filter((x) => x.col);
    if (long && !cols.share) {
      issues.add(headerRow, null, '有“医院等级”列时必须有“基金支付比例（%）”列', 'a 医院等级 column needs a 基金支付比例（%） column');
    } else if (!long && levelCols.length === 0) {
      issues.add(headerRow, null, '缺少支付比例列（“三级/二级/一级 基金支付比例（%）”，或“医院等级”与“基金支付比例（%）”）', 'missing share columns');
    }
    // every rate needs a date: without the column and --effective-date the whole file is refused, once
    if (!cols.effective && !options.effectiveDate) reportMissingDateColumn(issues, EFFECTIVE_COLUMN.names);
    if (issues.count > 0) return { rowsRead: 0, rowsLoaded: 0 };

    const rows: unknown[][] = [];
    const dup = duplicateTracker(issues);
    const regions = new Set<string>();
    let rowsRead = 0;
    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const region = rowRegion(ctx, cells, rowNo, cols.region);
      const payRaw = parse.text(cell(cells, cols.payment), at('payment'), true);
      let pay: string | null = null;
      if (payRaw) {
        pay = paymentClass(payRaw);
        if (!pay) issues.add(rowNo, at('payment').column, `医保支付类别“${payRaw}”无效（应为甲类、乙类、丙类或自费）`, 'invalid payment class');
      }
      // the row's 执行日期, else --effective-date; undefined when the cell was reported
      let validFrom = cols.effective ? parse.date(cell(cells, cols.effective), at('effective'), !options.effectiveDate) : null;
      if (validFrom === null) validFrom = options.effectiveDate ?? null;
      const shares: { level: 1 | 2 | 3; pct: string; col: HeaderColumn | undefined }[] = [];
      let bad = false;
      if (long) {
        const level = parse.level(cell(cells, cols.level), at('level'));
        const pct = percentText(ctx, cell(cells, cols.share), cols.share, rowNo);
        if (level === undefined || pct === undefined) bad = true;
        else shares.push({ level, pct, col: cols.level });
      } else {
        for (const x of levelCols) {
          const pct = percentText(ctx, cell(cells, x.col), x.col, rowNo);
          if (pct === undefined) bad = true;
          else shares.push({ level: x.level, pct, col: x.col });
        }
      }
      if (!region || !pay || !validFrom || bad) continue;
      regions.add(region);
      for (const s of shares) {
        if (dup(`${region}|${pay}|${s.level}|${validFrom}`, rowNo, s.col?.letter ?? null, `${region} ${pay}类 ${LEVEL_ZH[s.level]} ${validFrom} 的支付比例`)) continue;
        rows.push([rowNo, region, pay, s.level, validFrom, s.pct]);
      }
    }

    await db.query(`create temp table stg_reimbursement (row_no int, region_code text, payment_class text, hospital_level smallint,
      valid_from date, pct text) on commit drop`);
    await copyRows(db, 'stg_reimbursement', ['row_no', 'region_code', 'payment_class', 'hospital_level', 'valid_from', 'pct'], rows);
    await reportUnknownRegions(db, 'stg_reimbursement', issues, cols.region);
    const clash = await db.query(
      `select s.row_no, s.region_code, s.payment_class, s.hospital_level, s.valid_from::text as d, r.batch_id, b.file_name
         from stg_reimbursement s join reimbursement_rate r using (region_code, payment_class, hospital_level, valid_from)
         left join load_batch b on b.id = r.batch_id
        order by s.row_no limit 1000`,
    );
    for (const c of clash.rows) {
      issues.add(c.row_no, cols.effective?.letter ?? null,
        `${c.region_code} ${c.payment_class}类 ${LEVEL_ZH[c.hospital_level as 1]} 自 ${c.d} 起的支付比例已由${c.batch_id ? `批次 #${c.batch_id}（${c.file_name ?? ''}）` : '其他方式'}导入`,
        `rate from ${c.d} already loaded by batch ${c.batch_id ?? '?'}`);
    }
    await dropBadRows(db, 'stg_reimbursement', issues);
    if (issues.count > 0 && !options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    const ins = await db.query(
      `insert into reimbursement_rate (region_code, payment_class, hospital_level, valid_from, fund_share, batch_id)
       select region_code, payment_class, hospital_level, valid_from, pct::numeric / 100, $1 from stg_reimbursement`,
      [ctx.batchId],
    );
    const loaded = await db.query('select count(distinct row_no)::int as n from stg_reimbursement');
    return {
      rowsRead,
      rowsLoaded: loaded.rows[0].n,
      regionCode: regions.size === 1 ? [...regions][0] : null,
      details: { rates: ins.rowCount, regions: [...regions] },
    };
  },
};
