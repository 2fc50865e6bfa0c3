import type { PoolClient } from 'pg';
import { categoryOfLegacyCode } from '../../../api/src/domain/reference';
import { copyRows } from '../copy';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import {
  dropBadRows, duplicateTracker, ITEM_CODE_COLUMN, ITEM_NAME_COLUMN, paymentClass, REGION_COLUMN, reportMissingDateColumn, reportUnknownLevelColumns,
  reportUnknownRegions, rowRegion,
} from './common';

const PRICE_GROUP = ['价格（元）', '价格', '收费标准（元）', '收费标准', '医疗服务价格（元）', '政府指导价（元）', '基准价（元）'];
const levelNames = (l: string) => [l, `${l}医院`, `${l}医疗机构`, `${l}医院价格（元）`, `${l}医院价格`, `${l}价格（元）`, `${l}价格`, `${l}收费标准（元）`, `${l}基准价（元）`];

type Key = 'seq' | 'code' | 'name' | 'content' | 'excluded' | 'unit' | 'price3' | 'price2' | 'price1' | 'price' | 'note' | 'payment' | 'region' | 'effective';

const EFFECTIVE_COLUMN = { key: 'effective', names: ['执行日期', '生效日期', '执行时间'] } as const;

const COLUMNS = [
  { key: 'seq', names: ['序号'] },
  ITEM_CODE_COLUMN,
  ITEM_NAME_COLUMN,
  { key: 'content', names: ['项目内涵', '服务产出'] },
  { key: 'excluded', names: ['除外内容'] },
  { key: 'unit', names: ['计价单位', '单位'] },
  { key: 'price3', names: levelNames('三级'), group: PRICE_GROUP },
  { key: 'price2', names: levelNames('二级'), group: PRICE_GROUP },
  { key: 'price1', names: levelNames('一级'), group: PRICE_GROUP },
  { key: 'price', names: ['价格（元）', '价格', '收费标准（元）', '单价（元）', '单价', '基准价（元）'] },
  { key: 'note', names: ['计价说明', '说明', '备注'] },
  { key: 'payment', names: ['医保支付类别', '支付类别', '医保类别', '支付分类', '医保支付分类'] },
  REGION_COLUMN,
  EFFECTIVE_COLUMN,
] as const;

const NOT_OFFERED = /^[—\-－/／]+$|^不适用$/;

/**
 * The parent codes of a sub-item, nearest first. A legacy code of 9 digits with a letter suffix is a sub-item of the
 * code without its last letter: `110200001a` of `110200001`, the province-added `120100001x` of `120100001`, and
 * `110200001ax` of `110200001a`, else of `110200001`. Other codes have none.
 */
export function parentCodes(code: string): string[] {
  if (!/^\d{9}[A-Za-z]{1,2}$/.test(code)) return [];
  const out: string[] = [];
  for (let n = code.length - 1; n >= 9; n--) out.push(code.slice(0, n));
  return out;
}

/** A row of the file as a possible parent: its own name and 项目内涵. */
interface ParentRow {
  row: number;
  name: string | null;
  content: string | null;
}

/** Index of the name and content in a staged item row (stg_item's columns). */
const ITEM_NAME = 3;
const ITEM_CONTENT = 5;

/**
 * 价格表: a provincial or city price list. Rows without any price are category (parent) rows. One price per level
 * (三级/二级/一级) or a single price for all levels. A '—' or '/' in a level column means "not priced at that level".
 */
export const priceTableLoader: Loader<Key> = {
  kind: 'price-table',
  analyze: () => ['price', 'region_item'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 'auto',

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from price where batch_id = $1', [batchId]);
    await db.query(
      `delete from region_item ri where batch_id = $1
         and not exists (select 1 from price p where p.region_code = ri.region_code and p.item_code = ri.item_code)`,
      [batchId],
    );
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table } = ctx;
    const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1];
    // A price column for a level that does not exist (四级医院价格, 特级 …) is an error, not an ignored column.
    reportUnknownLevelColumns(table, issues, /价格|收费|标准|元/, '价格列');
    const levelCols = ([3, 2, 1] as const).map((l) => ({ level: l, col: cols[`price${l}` as 'price3'] })).filter((x) => x.col);
    if (levelCols.length === 0 && !cols.price) {
      issues.add(headerRow, null, '缺少价格列（“价格（元）”或“三级/二级/一级”价格）', 'missing price columns');
    }
    if (issues.count > 0) return { rowsRead: 0, rowsLoaded: 0 };

    const items: unknown[][] = [];
    const prices: unknown[][] = [];
    const dup = duplicateTracker(issues);
    const regions = new Set<string>();
    // every row by region and code, and the sub-items whose name is blank (index into items)
    const byCode = new Map<string, ParentRow>();
    const unnamed: { item: number; row: number; region: string; parents: string[] }[] = [];
    let rowsRead = 0;
    let sort = 0;
    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const code = parse.text(cell(cells, cols.code), at('code'), true);
      // a sub-item's blank name is taken from its parent row once the whole file is read
      const parents = code ? parentCodes(code) : [];
      const ownName = cell(cells, cols.name);
      const name = ownName === null && parents.length > 0 ? null : parse.text(ownName, at('name'), true);
      const region = rowRegion(ctx, cells, rowNo, cols.region);
      if (!code || name === undefined || !region) continue;
      if (!/^[0-9A-Za-z][0-9A-Za-z.\-]*$/.test(code)) {
        issues.add(rowNo, at('code').column, `项目编码含有无效字符：${code}`, 'item code has invalid characters');
        continue;
      }
      if (dup(`${region}|${code}`, rowNo, at('code').column, `项目编码 ${code} `)) continue;
      regions.add(region);
      const content = cell(cells, cols.content);
      byCode.set(`${region}|${code}`, { row: rowNo, name, content });
      // prices of this row
      const rowPrices: { level: 1 | 2 | 3; fen: number }[] = [];
      let anyPrice = false;
      let bad = false;
      if (levelCols.length > 0) {
        const raw = levelCols.map((x) => ({ ...x, v: cell(cells, x.col) }));
        anyPrice = raw.some((x) => x.v !== null && !NOT_OFFERED.test(x.v));
        if (anyPrice) {
          for (const x of raw) {
            if (x.v !== null && NOT_OFFERED.test(x.v)) continue;
            const fen = parse.money(x.v, refOf(x.col, rowNo), true);
            if (fen === undefined || fen === null) bad = true;
            else rowPrices.push({ level: x.level, fen });
          }
        }
      } else {
        const v = cell(cells, cols.price);
        anyPrice = v !== null && !NOT_OFFERED.test(v);
        if (anyPrice) {
          const fen = parse.money(v, at('price'), true);
          if (fen === undefined || fen === null) bad = true;
          else for (const level of [3, 2, 1] as const) rowPrices.push({ level, fen });
        }
      }
      const unit = cell(cells, cols.unit);
      if (anyPrice && !unit) {
        issues.add(rowNo, cols.unit?.letter ?? null, '有价格的项目必须填写计价单位', 'a priced item needs a pricing unit');
        bad = true;
      }
      let pay: string | null = null;
      const payRaw = cell(cells, cols.payment);
      if (payRaw) {
        pay = paymentClass(payRaw);
        if (!pay) {
          issues.add(rowNo, at('payment').column, `医保支付类别“${payRaw}”无效（应为甲类、乙类、丙类或自费）`, 'invalid payment class');
          bad = true;
        }
      }
      let validFrom: string | null | undefined = null;
      if (anyPrice && !cols.effective && !ctx.options.effectiveDate) {
        // no date for any priced row: said once, for the whole file
        if (!issues.hasFatal) reportMissingDateColumn(issues, EFFECTIVE_COLUMN.names);
        bad = true;
      } else if (anyPrice) {
        validFrom = cols.effective ? parse.date(cell(cells, cols.effective), at('effective'), !ctx.options.effectiveDate) : null;
        if (validFrom === undefined) bad = true;
        validFrom = validFrom ?? ctx.options.effectiveDate ?? null;
      }
      if (bad) continue;
      sort++;
      if (name === null) unnamed.push({ item: items.length, row: rowNo, region, parents });
      items.push([rowNo, region, code, name, unit, content, cell(cells, cols.excluded), cell(cells, cols.note), pay,
        categoryOfLegacyCode(code), !anyPrice, sort]);
      for (const p of rowPrices) prices.push([rowNo, region, code, p.level, validFrom, p.fen]);
      if (rowsRead % 5000 === 0) ctx.options.onProgress?.(rowsRead, null);
    }

    // Sub-items with a blank name take the name of their nearest parent row in the file that has one (and its
    // 项目内涵 when theirs is blank too), with a warning; without such a parent the row is an error.
    const nameColumn = refOf(cols.name, 0).column;
    for (const u of unnamed) {
      const found = u.parents.flatMap((code) => {
        const r = byCode.get(`${u.region}|${code}`);
        return r ? [{ code, ...r }] : [];
      });
      const parent = found.find((p) => p.name !== null);
      if (!parent) {
        const blank = found[0];
        if (blank) {
          issues.add(u.row, nameColumn, `项目名称为空，且上级项目 ${blank.code}（第 ${blank.row} 行）也没有项目名称`,
            `blank item name, and its parent item ${blank.code} (row ${blank.row}) has no name either`);
        } else {
          issues.add(u.row, nameColumn, `项目名称为空，且文件中没有上级项目 ${u.parents.join(' 或 ')} 的行（子项目取上级项目的名称）`,
            `blank item name and no row for its parent item ${u.parents.join(' or ')} in the file`);
        }
        continue;
      }
      const item = items[u.item]!;
      item[ITEM_NAME] = parent.name;
      const withContent = item[ITEM_CONTENT] === null && parent.content !== null;
      if (withContent) item[ITEM_CONTENT] = parent.content;
      issues.warn(u.row, nameColumn,
        `项目名称为空，已取上级项目 ${parent.code}（第 ${parent.row} 行）的项目名称“${parent.name}”${withContent ? '和项目内涵' : ''}`,
        `blank item name: took the name ${withContent ? 'and content ' : ''}of parent item ${parent.code}, row ${parent.row}`);
    }

    const db = ctx.db;
    await db.query(`create temp table stg_item (row_no int, region_code text, item_code text, name text, unit text, content text,
      excluded text, pricing_note text, payment_class text, category_code text, is_group boolean, sort_no int) on commit drop`);
    await db.query(`create temp table stg_price (row_no int, region_code text, item_code text, hospital_level smallint,
      valid_from date, price_fen bigint) on commit drop`);
    await copyRows(db, 'stg_item', ['row_no', 'region_code', 'item_code', 'name', 'unit', 'content', 'excluded', 'pricing_note',
      'payment_class', 'category_code', 'is_group', 'sort_no'], items);
    await copyRows(db, 'stg_price', ['row_no', 'region_code', 'item_code', 'hospital_level', 'valid_from', 'price_fen'], prices);

    await reportUnknownRegions(db, 'stg_item', issues, cols.region);
    const overlap = await db.query(
      `select s.row_no, s.item_code, s.hospital_level, s.valid_from::text as d, p.batch_id, b.file_name
         from stg_price s join price p using (region_code, item_code, hospital_level, valid_from)
         left join load_batch b on b.id = p.batch_id
        order by s.row_no limit 1000`,
    );
    for (const o of overlap.rows) {
      issues.add(o.row_no, cols.effective?.letter ?? null,
        `执行期间重叠：项目 ${o.item_code} ${['', '一级', '二级', '三级'][o.hospital_level]} 自 ${o.d} 起的价格已由批次 #${o.batch_id}（${o.file_name ?? ''}）导入`,
        `overlapping effective period: price from ${o.d} already loaded by batch ${o.batch_id}`);
    }
    await dropBadRows(db, 'stg_item', issues);
    await dropBadRows(db, 'stg_price', issues);
    if (issues.count > 0 && !ctx.options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    await db.query(
      `insert into region_item (region_code, item_code, name, unit, content, excluded, pricing_note, payment_class, category_code,
                                is_group, sort_no, batch_id)
       select region_code, item_code, name, unit, content, excluded, pricing_note, payment_class, category_code, is_group, sort_no, $1
         from stg_item
       on conflict (region_code, item_code) do update set name = excluded.name, unit = excluded.unit, content = excluded.content,
         excluded = excluded.excluded, pricing_note = excluded.pricing_note, payment_class = excluded.payment_class,
         category_code = coalesce(excluded.category_code, region_item.category_code), is_group = excluded.is_group,
         sort_no = excluded.sort_no, batch_id = excluded.batch_id`,
      [ctx.batchId],
    );
    const ins = await db.query(
      `insert into price (region_code, item_code, hospital_level, valid_from, price_fen, batch_id)
       select region_code, item_code, hospital_level, valid_from, price_fen, $1 from stg_price`,
      [ctx.batchId],
    );
    const loaded = await db.query('select count(*)::int as n from stg_item');
    return {
      rowsRead,
      rowsLoaded: loaded.rows[0].n,
      regionCode: regions.size === 1 ? [...regions][0] : null,
      details: { prices: ins.rowCount, regions: [...regions] },
    };
  },
};
