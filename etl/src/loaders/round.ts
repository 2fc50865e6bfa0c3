import path from 'node:path';
import type { PoolClient } from 'pg';
import { encodeVersionBody, type StoredRow } from '../../../api/src/database/scenario-version-body';
import { fenToYuanString } from '../../../api/src/domain/money';
import { copyRows } from '../copy';
import type { IssueCollector } from '../issues';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import type { HeaderColumn } from '../read';
import {
  dropBadRows, duplicateTracker, ITEM_CODE_COLUMN, ITEM_NAME_COLUMN, REGION_COLUMN, reportMissingDateColumn, reportUnknownLevelColumns, reportUnknownRegions,
  rowRegion,
} from './common';

type Level = 3 | 2 | 1;
const LEVELS: readonly Level[] = [3, 2, 1];
const LEVEL_ZH: Record<Level, string> = { 3: '三级', 2: '二级', 1: '一级' };

type Key = 'seq' | 'region' | 'code' | 'name' | 'unit' | 'old3' | 'old2' | 'old1' | 'new3' | 'new2' | 'new1' | 'old' | 'new' | 'effective';

const OLD_GROUP = ['原价（元）', '原价', '原价格（元）', '原价格', '调整前价格（元）', '调整前价格', '现行价格（元）', '现行价格'];
const NEW_GROUP = ['新价（元）', '新价', '新价格（元）', '新价格', '调整后价格（元）', '调整后价格'];

/**
 * Per-level column labels: flat (`三级原价（元）`, `三级医院原价`) and, under a two-level header, the sub-label
 * (`三级`, `三级医院`) is found inside these variants.
 */
function levelNames(l: Level, which: 'old' | 'new'): string[] {
  const lv = LEVEL_ZH[l];
  const words = which === 'old' ? ['原价', '原价格', '调整前价格', '现行价格'] : ['新价', '新价格', '调整后价格'];
  return words.flatMap((w) => [`${lv}${w}（元）`, `${lv}${w}`, `${lv}医院${w}（元）`, `${lv}医院${w}`, `${w}${lv}`]);
}

const EFFECTIVE_COLUMN = { key: 'effective', names: ['执行日期', '生效日期', '执行时间', '调整日期'] } as const;

const COLUMNS = [
  { key: 'seq', names: ['序号'] },
  REGION_COLUMN,
  ITEM_CODE_COLUMN,
  ITEM_NAME_COLUMN,
  { key: 'unit', names: ['计价单位', '单位'], required: true },
  ...LEVELS.flatMap((l) => [
    { key: `old${l}`, names: levelNames(l, 'old'), group: OLD_GROUP },
    { key: `new${l}`, names: levelNames(l, 'new'), group: NEW_GROUP },
  ]),
  { key: 'old', names: OLD_GROUP },
  { key: 'new', names: NEW_GROUP },
  EFFECTIVE_COLUMN,
] as const;

/** A cell meaning "not priced at this level". */
const NOT_OFFERED = /^[—\-－/／]+$|^不适用$/;

interface PriceColumns {
  level: Level;
  old: HeaderColumn;
  new: HeaderColumn;
}

/** The round's name: the title row naming the adjustment (`唐山市2023年医疗服务价格调整项目表`), else the file name. */
export function roundName(titleRows: readonly string[], file: string): string {
  const titles = titleRows.map((t) => t.trim()).filter((t) => t !== '' && !/^[（(]/.test(t));
  const named = titles.find((t) => /调整|调价|项目表|价格/.test(t)) ?? titles[0];
  return (named ?? path.basename(file, path.extname(file))).slice(0, 200);
}

/** Reports problems of the header: per-level price columns without their counterpart, no price columns at all. */
function checkHeader(ctx: LoadContext<Key>): { pairs: PriceColumns[]; single: { old: HeaderColumn; new: HeaderColumn } | null } {
  const { cols, issues, table } = ctx;
  const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1] ?? null;
  reportUnknownLevelColumns(table, issues, /原价|新价|价格/, '价格列');
  const pairs: PriceColumns[] = [];
  for (const l of LEVELS) {
    const o = cols[`old${l}` as Key];
    const n = cols[`new${l}` as Key];
    if (o && n) pairs.push({ level: l, old: o, new: n });
    else if (o || n) {
      const [has, lacks] = o ? [`${LEVEL_ZH[l]}原价`, `${LEVEL_ZH[l]}新价`] : [`${LEVEL_ZH[l]}新价`, `${LEVEL_ZH[l]}原价`];
      issues.add(headerRow, (o ?? n)!.letter ?? null, `有“${has}”列但缺少“${lacks}（元）”列`, `column ${has} has no matching ${lacks} column`);
    }
  }
  let single: { old: HeaderColumn; new: HeaderColumn } | null = null;
  if (pairs.length === 0 && issues.count === 0) {
    if (cols.old && cols.new) single = { old: cols.old, new: cols.new };
    else {
      issues.add(headerRow, null, '缺少原价和新价列（“原价（元）/新价（元）”下分三级、二级、一级，或“三级原价（元）”“三级新价（元）”等）',
        'missing the old and new price columns');
    }
  }
  if (!cols.effective && !ctx.options.effectiveDate) reportMissingDateColumn(issues, EFFECTIVE_COLUMN.names);
  return { pairs, single };
}

const levelZh = (l: number) => LEVEL_ZH[l as Level] ?? `${l}级`;

/** Reports the rows of a query, one issue each. */
async function report(
  db: PoolClient,
  issues: IssueCollector,
  sql: string,
  issue: (r: Record<string, unknown>) => [column: string | null, zh: string, en: string],
): Promise<number> {
  const r = await db.query(sql);
  for (const x of r.rows) {
    const [column, zh, en] = issue(x);
    issues.add(Number(x.row_no), column, zh, en);
  }
  return r.rowCount ?? 0;
}

const yuan = (fen: unknown) => fenToYuanString(Number(fen));

/**
 * 历史调价项目表: the item list of an implemented price adjustment (项目编码, 项目名称, 计价单位, 原价 and 新价 per
 * hospital level, 执行日期). 原价 must be the price in force the day before 执行日期. Loading records the round
 * (kind historic, implemented), its approved scenario 实施方案 with one change per (item, level) whose price moves,
 * and the new prices from 执行日期. A row whose 新价 equals 原价 at every level is not a change: it is checked and
 * then left out (counted in details.unchangedRows).
 */
export const roundLoader: Loader<Key> = {
  kind: 'round',
  analyze: () => ['price', 'round', 'scenario', 'scenario_change'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 'auto',

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from price where batch_id = $1', [batchId]);
    await db.query('update round set approved_scenario_id = null where batch_id = $1', [batchId]);
    await db.query('delete from round where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db } = ctx;
    const { pairs, single } = checkHeader(ctx);
    if (issues.count > 0) return { rowsRead: 0, rowsLoaded: 0 };

    const rows: unknown[][] = [];
    const prices: unknown[][] = [];
    const dup = duplicateTracker(issues);
    let first: { date: string; row: number; region: string } | null = null;
    let rowsRead = 0;
    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const code = parse.text(cell(cells, cols.code), at('code'), true);
      const name = parse.text(cell(cells, cols.name), at('name'), true);
      const unit = parse.text(cell(cells, cols.unit), at('unit'), true);
      const region = rowRegion(ctx, cells, rowNo, cols.region);
      const date = cols.effective ? parse.date(cell(cells, cols.effective), at('effective'), !ctx.options.effectiveDate) : null;
      const validFrom = date ?? (date === undefined ? undefined : ctx.options.effectiveDate);
      let bad = !code || !name || !unit || !region || !validFrom;
      if (code && !/^[0-9A-Za-z][0-9A-Za-z.\-]*$/.test(code)) {
        issues.add(rowNo, at('code').column, `项目编码含有无效字符：${code}`, 'item code has invalid characters');
        bad = true;
      }
      // prices of the row: [level, old, new, old column, new column, per level]
      const rowPrices: [Level, number | null, number | null, string, string, boolean][] = [];
      if (single) {
        const o = parse.money(cell(cells, single.old), refOf(single.old, rowNo), true);
        const n = parse.money(cell(cells, single.new), refOf(single.new, rowNo), true);
        if (o === undefined || o === null || n === undefined || n === null) bad = true;
        else for (const l of LEVELS) rowPrices.push([l, o, n, refOf(single.old, rowNo).column, refOf(single.new, rowNo).column, false]);
      } else {
        for (const p of pairs) {
          const amount = (col: HeaderColumn) => {
            const v = cell(cells, col);
            return v === null || NOT_OFFERED.test(v) ? null : parse.money(v, refOf(col, rowNo), false);
          };
          const o = amount(p.old);
          const n = amount(p.new);
          if (o === undefined || n === undefined) bad = true;
          else rowPrices.push([p.level, o, n, refOf(p.old, rowNo).column, refOf(p.new, rowNo).column, true]);
        }
      }
      if (validFrom && region && !bad) {
        if (!first) first = { date: validFrom, row: rowNo, region };
        else {
          if (validFrom !== first.date) {
            issues.add(rowNo, at('effective').column,
              `执行日期 ${validFrom} 与第 ${first.row} 行的 ${first.date} 不同：一个调价项目表只能有一个执行日期`,
              `effective date ${validFrom} differs from ${first.date} on row ${first.row}; one file holds one round with one date`);
            bad = true;
          }
          if (region !== first.region) {
            issues.add(rowNo, cols.region?.letter ?? null,
              `地区代码 ${region} 与第 ${first.row} 行的 ${first.region} 不同：一个调价项目表只能属于一个地区`,
              `region ${region} differs from ${first.region} on row ${first.row}; one file holds the round of one region`);
            bad = true;
          }
        }
      }
      if (bad || !code || !region || !validFrom) continue;
      if (dup(`${region}|${code}`, rowNo, at('code').column, `项目编码 ${code} `)) continue;
      rows.push([rowNo, region, code, validFrom]);
      for (const [level, o, n, oc, nc, perLevel] of rowPrices) prices.push([rowNo, region, code, level, validFrom, o, n, oc, nc, perLevel]);
      if (rowsRead % 5000 === 0) ctx.options.onProgress?.(rowsRead, null);
    }

    await db.query(`create temp table stg_round (row_no int, region_code text, item_code text, valid_from date) on commit drop`);
    await db.query(`create temp table stg_round_price (row_no int, region_code text, item_code text, hospital_level smallint,
      valid_from date, old_fen bigint, new_fen bigint, old_col text, new_col text, per_level boolean, cur_fen bigint, cur_from date)
      on commit drop`);
    await copyRows(db, 'stg_round', ['row_no', 'region_code', 'item_code', 'valid_from'], rows);
    await copyRows(db, 'stg_round_price', ['row_no', 'region_code', 'item_code', 'hospital_level', 'valid_from', 'old_fen', 'new_fen',
      'old_col', 'new_col', 'per_level'], prices);

    // Regions and items must be known; such rows are not checked further.
    if ((await reportUnknownRegions(db, 'stg_round', issues, cols.region)) > 0) {
      await db.query('delete from stg_round s where not exists (select 1 from region g where g.code = s.region_code)');
    }
    const codeCol = cols.code?.letter ?? null;
    await report(db, issues,
      `select s.row_no, s.item_code, s.region_code from stg_round s
        where not exists (select 1 from region_item ri where ri.region_code = s.region_code and ri.item_code = s.item_code)
        order by s.row_no limit 100000`,
      (x) => [codeCol, `项目编码 ${x.item_code} 不在地区 ${x.region_code} 的价格项目中（请先导入价格表）`,
        `unknown item ${x.item_code}: not in the price table of region ${x.region_code}`]);
    await db.query(`delete from stg_round s
      where not exists (select 1 from region_item ri where ri.region_code = s.region_code and ri.item_code = s.item_code)`);
    await db.query('delete from stg_round_price p where not exists (select 1 from stg_round s where s.row_no = p.row_no)');

    // The price in force the day before 执行日期: the latest valid_from before it.
    await db.query(`update stg_round_price s set (cur_fen, cur_from) = (
      select p.price_fen, p.valid_from from price p
       where p.region_code = s.region_code and p.item_code = s.item_code and p.hospital_level = s.hospital_level
         and p.valid_from < s.valid_from
       order by p.valid_from desc limit 1)`);
    // A single 原价/新价 pair applies to the levels the item is priced at.
    await db.query('delete from stg_round_price where not per_level and cur_fen is null');

    const dayBefore = `(s.valid_from - 1)::text as day`;
    // Every row needs at least one level priced the day before; then each level is checked.
    const unpriced = await db.query(
      `select r.row_no, r.item_code, (r.valid_from - 1)::text as day from stg_round r
        where not exists (select 1 from stg_round_price s where s.row_no = r.row_no and s.cur_fen is not null)
        order by r.row_no limit 100000`,
    );
    for (const x of unpriced.rows) {
      issues.add(x.row_no, codeCol, `项目 ${x.item_code} 在执行日期前一天（${x.day}）没有现行价格，不能调价`,
        `item ${x.item_code} has no price in force on ${x.day}`);
    }
    await report(db, issues,
      `select s.row_no, s.item_code, s.hospital_level, s.old_fen, s.new_fen, s.old_col, s.new_col, ${dayBefore} from stg_round_price s
        where s.cur_fen is null and (s.old_fen is not null or s.new_fen is not null)
          and exists (select 1 from stg_round_price t where t.row_no = s.row_no and t.cur_fen is not null)
        order by s.row_no, s.hospital_level desc limit 100000`,
      (x) => [String(x.old_fen !== null ? x.old_col : x.new_col),
        `项目 ${x.item_code} 在${levelZh(Number(x.hospital_level))}医疗机构没有现行价格（${x.day}），不能调价`,
        `item ${x.item_code} has no price in force at level ${x.hospital_level} on ${x.day}`]);
    await report(db, issues,
      `select s.row_no, s.item_code, s.hospital_level, s.new_col, s.cur_fen from stg_round_price s
        where s.cur_fen is not null and s.new_fen is null order by s.row_no, s.hospital_level desc limit 100000`,
      (x) => [String(x.new_col),
        `${levelZh(Number(x.hospital_level))}新价不能为空：项目 ${x.item_code} 在${levelZh(Number(x.hospital_level))}有现行价格 ${yuan(x.cur_fen)} 元`,
        `new price at level ${x.hospital_level} is required: item ${x.item_code} is priced at that level`]);
    await report(db, issues,
      `select s.row_no, s.item_code, s.hospital_level, s.old_col, s.cur_fen from stg_round_price s
        where s.cur_fen is not null and s.old_fen is null and s.new_fen is not null order by s.row_no, s.hospital_level desc limit 100000`,
      (x) => [String(x.old_col),
        `${levelZh(Number(x.hospital_level))}原价不能为空：项目 ${x.item_code} 的现行价格为 ${yuan(x.cur_fen)} 元`,
        `old price at level ${x.hospital_level} is required`]);
    await report(db, issues,
      `select s.row_no, s.item_code, s.hospital_level, s.old_col, s.old_fen, s.cur_fen, s.cur_from::text as cur_from, ${dayBefore}
         from stg_round_price s
        where s.cur_fen is not null and s.old_fen is not null and s.old_fen <> s.cur_fen
        order by s.row_no, s.hospital_level desc limit 100000`,
      (x) => [String(x.old_col),
        `${levelZh(Number(x.hospital_level))}原价 ${yuan(x.old_fen)} 元与执行日期前一天（${x.day}）的现行价格 ${yuan(x.cur_fen)} 元不符（项目 ${x.item_code}，${x.cur_from} 起执行）`,
        `old price ${yuan(x.old_fen)} differs from the price in force on ${x.day}, ${yuan(x.cur_fen)} yuan (item ${x.item_code}, level ${x.hospital_level})`]);
    // A changed price must not clash with a price already loaded from the same date.
    await report(db, issues,
      `select s.row_no, s.item_code, s.hospital_level, s.new_col, s.valid_from::text as d, p.batch_id, b.file_name
         from stg_round_price s
         join price p on p.region_code = s.region_code and p.item_code = s.item_code and p.hospital_level = s.hospital_level
                     and p.valid_from = s.valid_from
         left join load_batch b on b.id = p.batch_id
        where s.old_fen is not null and s.new_fen is not null and s.new_fen <> s.old_fen
        order by s.row_no, s.hospital_level desc limit 1000`,
      (x) => [cols.effective?.letter ?? String(x.new_col),
        `执行期间重叠：项目 ${x.item_code} ${levelZh(Number(x.hospital_level))} 自 ${x.d} 起的价格已由批次 #${x.batch_id}（${x.file_name ?? ''}）导入`,
        `overlapping effective period: price from ${x.d} already loaded by batch ${x.batch_id}`]);
    // A later round already loaded took the price in force before it as its 原价: a change in between must agree.
    await report(db, issues,
      `select s.row_no, s.item_code, s.hospital_level, s.new_col, s.new_fen, c.old_price_fen, n.valid_from::text as d, n.batch_id, b.file_name
         from stg_round_price s
         join lateral (select p.valid_from, p.batch_id, p.round_id from price p
                        where p.region_code = s.region_code and p.item_code = s.item_code and p.hospital_level = s.hospital_level
                          and p.valid_from > s.valid_from
                        order by p.valid_from limit 1) n on true
         join round r on r.id = n.round_id
         join scenario_change c on c.scenario_id = r.approved_scenario_id and c.region_code = s.region_code
                               and c.item_code = s.item_code and c.hospital_level = s.hospital_level
         left join load_batch b on b.id = n.batch_id
        where s.old_fen is not null and s.new_fen is not null and s.new_fen <> s.old_fen and c.old_price_fen <> s.new_fen
        order by s.row_no, s.hospital_level desc limit 1000`,
      (x) => [String(x.new_col),
        `${levelZh(Number(x.hospital_level))}新价 ${yuan(x.new_fen)} 元与后续调价不一致：批次 #${x.batch_id}（${x.file_name ?? ''}）自 ${x.d} 起的调价以 ${yuan(x.old_price_fen)} 元为原价（项目 ${x.item_code}）`,
        `new price ${yuan(x.new_fen)} contradicts the later round of batch ${x.batch_id} from ${x.d}, whose old price is ${yuan(x.old_price_fen)} yuan`]);

    await dropBadRows(db, 'stg_round', issues);
    await dropBadRows(db, 'stg_round_price', issues);
    if (issues.count > 0 && !ctx.options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    // Only the levels whose price moves are changes.
    await db.query('delete from stg_round_price where old_fen is null or new_fen is null or new_fen = old_fen');
    const counts = await db.query(
      `select (select count(*)::int from stg_round) as rows, (select count(distinct row_no)::int from stg_round_price) as items,
              (select count(*)::int from stg_round_price) as item_prices`,
    );
    const { rows: rowsValid, items, item_prices: itemPrices } = counts.rows[0] as { rows: number; items: number; item_prices: number };
    if (itemPrices === 0) {
      if (issues.count === 0) {
        issues.fatal('调价项目表中没有价格变动的项目（没有数据行，或每一行的新价都等于原价）',
          'the file has no price change (no data rows, or 新价 equals 原价 on every row)');
      }
      return { rowsRead, rowsLoaded: 0 };
    }

    const region = first!.region;
    const effective = first!.date;
    const fileName = path.basename(ctx.file);
    const name = roundName(table.titleRows, ctx.file);
    const round = await db.query(
      `insert into round (region_code, year, name, kind, status, params, effective_date, batch_id, created_by)
       values ($1, $2, $3, 'historic', 'implemented', $4, $5, $6, $7) returning id`,
      [region, Number(effective.slice(0, 4)), name, JSON.stringify({ itemPrices, items, sourceFile: fileName }), effective, ctx.batchId,
        ctx.options.user],
    );
    const roundId = Number(round.rows[0].id);
    const scenario = await db.query(
      `insert into scenario (round_id, region_code, name, method, status, params, notes, created_by)
       values ($1, $2, '实施方案', 'historic', 'approved', $3, $4, $5) returning id`,
      [roundId, region, JSON.stringify({ sourceFile: fileName }), `由历史调价项目表 ${fileName} 导入`, ctx.options.user],
    );
    const scenarioId = Number(scenario.rows[0].id);
    await db.query(
      `insert into scenario_change (region_code, scenario_id, item_code, hospital_level, old_price_fen, new_price_fen, source)
       select region_code, $1, item_code, hospital_level, old_fen, new_fen, $2 from stg_round_price`,
      [scenarioId, fileName],
    );
    // the scenario's one version (action historic): its change list as the scenario's version history stores it
    const stored = await db.query(
      `select item_code, hospital_level::int as level, old_price_fen::text as old, new_price_fen::text as new, reason, source
         from scenario_change where scenario_id = $1 order by item_code, hospital_level desc`,
      [scenarioId],
    );
    const versionRows = stored.rows.map((x): StoredRow => [x.item_code, x.level, Number(x.old), Number(x.new), x.reason, x.source]);
    await db.query(
      `insert into scenario_version (scenario_id, version, action, kind, body, row_count, actor, name, params)
       select id, version, 'historic', 'full', $2, $3, created_by, name, params from scenario where id = $1`,
      [scenarioId, await encodeVersionBody({ kind: 'full', rows: versionRows }), versionRows.length],
    );
    await db.query(
      `insert into price (region_code, item_code, hospital_level, valid_from, price_fen, batch_id, round_id)
       select region_code, item_code, hospital_level, valid_from, new_fen, $1, $2 from stg_round_price`,
      [ctx.batchId, roundId],
    );
    await db.query('update round set approved_scenario_id = $2 where id = $1', [roundId, scenarioId]);

    const byLevel = await db.query(
      `select hospital_level as level, count(*)::int as item_prices,
              count(*) filter (where new_fen > old_fen)::int as up, count(*) filter (where new_fen < old_fen)::int as down,
              coalesce(sum(new_fen - old_fen) filter (where new_fen > old_fen), 0)::bigint as up_fen,
              coalesce(sum(old_fen - new_fen) filter (where new_fen < old_fen), 0)::bigint as down_fen
         from stg_round_price group by hospital_level order by hospital_level desc`,
    );
    const levels = byLevel.rows.map((x) => ({
      level: Number(x.level),
      itemPrices: x.item_prices as number,
      up: x.up as number,
      down: x.down as number,
      upFen: Number(x.up_fen),
      downFen: Number(x.down_fen),
      netFen: Number(x.up_fen) - Number(x.down_fen),
    }));
    const sum = (k: 'up' | 'down' | 'upFen' | 'downFen' | 'netFen') => levels.reduce((s, l) => s + l[k], 0);
    return {
      rowsRead,
      rowsLoaded: items,
      regionCode: region,
      details: {
        roundId,
        scenarioId,
        name,
        effectiveDate: effective,
        items,
        itemPrices,
        unchangedRows: rowsValid - items,
        up: sum('up'),
        down: sum('down'),
        upFen: sum('upFen'),
        downFen: sum('downFen'),
        netFen: sum('netFen'),
        byLevel: levels,
      },
    };
  },
};
