import type { PoolClient } from 'pg';
import { fenToYuanString } from '../../../api/src/domain/money';
import { copyRows } from '../copy';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import { dropBadRows, duplicateTracker, ITEM_CODE_COLUMN, REGION_COLUMN, reportUnknownRegions, rowRegion } from './common';

type Key = 'year' | 'region' | 'institution' | 'code' | 'name' | 'labour' | 'material' | 'depreciation' | 'other' | 'total';

/** The four cost components, in the order of the layout; 单位成本 is their sum. */
const COMPONENTS = ['labour', 'material', 'depreciation', 'other'] as const;

const COLUMNS = [
  { key: 'year', names: ['年度', '年份', '成本年度', '核算年度'], required: true },
  REGION_COLUMN,
  { key: 'institution', names: ['机构编码', '医疗机构编码', '医院编码'] },
  ITEM_CODE_COLUMN,
  { key: 'name', names: ['项目名称'] },
  { key: 'labour', names: ['人员经费（元）', '人员经费'], required: true },
  { key: 'material', names: ['卫生材料费（元）', '卫生材料费', '材料费'], required: true },
  { key: 'depreciation', names: ['固定资产折旧（元）', '固定资产折旧', '折旧费'], required: true },
  { key: 'other', names: ['其他费用（元）', '其他费用'], required: true },
  { key: 'total', names: ['单位成本（元）', '单位成本', '成本合计'], required: true },
] as const;

/** Largest accepted difference between 单位成本 and the sum of its four components: 1 分 (rounding of the source). */
const SUM_TOLERANCE_FEN = 1;

/**
 * 项目成本: unit cost of an item per year, for a region (blank 机构编码: the regional average, stored as '') or one
 * of its loaded institutions, split into 人员经费 / 卫生材料费 / 固定资产折旧 / 其他费用 (元, stored as 分). The item
 * must be in the region's item list (price table) or the national catalogue; 单位成本 must equal the sum of the four
 * components within 1 分.
 */
export const costsLoader: Loader<Key> = {
  kind: 'costs',
  analyze: () => ['cost'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 1,

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from cost where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db } = ctx;
    const rows: unknown[][] = [];
    const dup = duplicateTracker(issues);
    const regions = new Set<string>();
    let rowsRead = 0;
    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const yearRaw = cell(cells, cols.year);
      const year = parse.integer(yearRaw === null ? null : yearRaw.replace(/\s*年$/, ''), at('year'), true, 1990, 2100);
      const region = rowRegion(ctx, cells, rowNo, cols.region);
      const institution = cell(cells, cols.institution) ?? '';
      const code = parse.text(cell(cells, cols.code), at('code'), true);
      const fen: Partial<Record<(typeof COMPONENTS)[number] | 'total', number | null | undefined>> = {};
      for (const k of [...COMPONENTS, 'total'] as const) fen[k] = parse.money(cell(cells, cols[k]), at(k), true);
      if (code && !/^[0-9A-Za-z][0-9A-Za-z.\-]*$/.test(code)) {
        issues.add(rowNo, at('code').column, `项目编码含有无效字符：${code}`, 'item code has invalid characters');
        continue;
      }
      if (!year || !region || !code) continue;
      const parts = COMPONENTS.map((k) => fen[k]);
      const total = fen.total;
      if (parts.some((p) => p === undefined || p === null) || total === undefined || total === null) continue;
      const sum = (parts as number[]).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - total) > SUM_TOLERANCE_FEN) {
        const diff = total - sum;
        issues.add(rowNo, at('total').column,
          `单位成本 ${fenToYuanString(total)} 元与人员经费、卫生材料费、固定资产折旧、其他费用之和 ${fenToYuanString(sum)} 元不符（相差 ${fenToYuanString(diff)} 元）`,
          `unit cost ${fenToYuanString(total)} differs from the sum of its four components ${fenToYuanString(sum)} by ${fenToYuanString(diff)} yuan`);
        continue;
      }
      const who = institution ? `机构 ${institution} ` : '地区平均';
      if (dup(`${region}|${institution}|${code}|${year}`, rowNo, at('code').column, `${year}年${who}项目 ${code} 的成本`)) continue;
      regions.add(region);
      rows.push([rowNo, region, institution, code, year, ...parts, total]);
      if (rowsRead % 5000 === 0) ctx.options.onProgress?.(rowsRead, null);
    }

    await db.query(`create temp table stg_cost (row_no int, region_code text, institution_code text, item_code text, year smallint,
      labour_fen bigint, material_fen bigint, depreciation_fen bigint, other_fen bigint, unit_cost_fen bigint) on commit drop`);
    await copyRows(db, 'stg_cost', ['row_no', 'region_code', 'institution_code', 'item_code', 'year', 'labour_fen', 'material_fen',
      'depreciation_fen', 'other_fen', 'unit_cost_fen'], rows);

    const unknownRegions = await reportUnknownRegions(db, 'stg_cost', issues, cols.region);
    if (unknownRegions > 0) {
      await db.query('delete from stg_cost s where not exists (select 1 from region g where g.code = s.region_code)');
    }
    const noInst = await db.query(
      `select s.row_no, s.region_code, s.institution_code from stg_cost s
        where s.institution_code <> ''
          and not exists (select 1 from institution i where i.region_code = s.region_code and i.code = s.institution_code)
        order by s.row_no limit 100000`,
    );
    for (const x of noInst.rows) {
      issues.add(x.row_no, cols.institution?.letter ?? null,
        `机构编码 ${x.institution_code} 不是地区 ${x.region_code} 已导入的医疗机构（请先导入医疗机构）`,
        `institution ${x.institution_code} is not a loaded institution of region ${x.region_code}`);
    }
    const noItem = await db.query(
      `select s.row_no, s.region_code, s.item_code from stg_cost s
        where not exists (select 1 from region_item ri where ri.region_code = s.region_code and ri.item_code = s.item_code)
          and not exists (select 1 from item i where i.code = s.item_code)
        order by s.row_no limit 100000`,
    );
    for (const x of noItem.rows) {
      issues.add(x.row_no, cols.code?.letter ?? null,
        `项目编码 ${x.item_code} 不在地区 ${x.region_code} 的价格项目中，也不在全国项目目录中`,
        `unknown item ${x.item_code}: not in the price table of region ${x.region_code} nor in the national catalogue`);
    }
    const clash = await db.query(
      `select s.row_no, s.item_code, s.institution_code, s.year, c.batch_id, b.file_name
         from stg_cost s join cost c using (region_code, institution_code, item_code, year)
         left join load_batch b on b.id = c.batch_id
        order by s.row_no limit 1000`,
    );
    for (const c of clash.rows) {
      const who = c.institution_code ? `机构 ${c.institution_code} ` : '地区平均';
      issues.add(c.row_no, cols.code?.letter ?? null,
        `${c.year}年${who}项目 ${c.item_code} 的成本已由批次 #${c.batch_id}（${c.file_name ?? ''}）导入`,
        `cost of item ${c.item_code} for ${c.year} already loaded by batch ${c.batch_id}`);
    }
    await dropBadRows(db, 'stg_cost', issues);
    if (issues.count > 0 && !ctx.options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    const ins = await db.query(
      `insert into cost (region_code, institution_code, item_code, year, labour_fen, material_fen, depreciation_fen, other_fen,
                         unit_cost_fen, batch_id)
       select region_code, institution_code, item_code, year, labour_fen, material_fen, depreciation_fen, other_fen, unit_cost_fen, $1
         from stg_cost`,
      [ctx.batchId],
    );
    const sums = await db.query(
      `select count(distinct institution_code) filter (where institution_code <> '')::int as institutions,
              count(*) filter (where institution_code = '')::int as regional,
              coalesce(array_agg(distinct year order by year), '{}') as years,
              coalesce(array_agg(distinct region_code order by region_code), '{}') as regions
         from stg_cost`,
    );
    const loadedRegions: string[] = sums.rows[0].regions;
    return {
      rowsRead,
      rowsLoaded: ins.rowCount ?? 0,
      regionCode: loadedRegions.length === 1 ? loadedRegions[0] : regions.size === 1 ? [...regions][0] : null,
      details: {
        costs: ins.rowCount ?? 0,
        regionalAverages: sums.rows[0].regional,
        institutions: sums.rows[0].institutions,
        years: (sums.rows[0].years as number[]).map(Number),
        regions: loadedRegions,
      },
    };
  },
};
