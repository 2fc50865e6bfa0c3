import type { PoolClient } from 'pg';
import { parseYuanToFen } from '../../../api/src/domain/money';
import { copyRows } from '../copy';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import type { HeaderColumn } from '../read';
import { dropBadRows, duplicateTracker, REGION_COLUMN, reportMissingDateColumn, reportUnknownLevelColumns, reportUnknownRegions, rowRegion } from './common';

const levelNames = (l: string) => [l, `${l}医院`, `${l}医疗机构`, `${l}定点医疗机构`];
const DEDUCTIBLE_GROUP = ['住院起付线（元）', '住院起付线', '住院起付标准（元）', '住院起付标准'];
const RATE_GROUP = ['住院报销比例（%）', '住院报销比例', '住院政策范围内报销比例（%）', '政策范围内报销比例（%）', '住院支付比例（%）'];

type Key =
  | 'region' | 'regionName' | 'scheme'
  | 'ded3' | 'ded2' | 'ded1' | 'rate3' | 'rate2' | 'rate1' | 'ceiling'
  | 'outDed' | 'outRate' | 'outCeiling'
  | 'ciThr' | 'ciBreaks' | 'ciRates' | 'ciCeiling' | 'aidCiThr' | 'aidCiUplift' | 'aidCiNoCeiling'
  | 'aidDed' | 'aidRate' | 'aidCeiling'
  | 'hmbDed' | 'hmbRate' | 'hmbCeiling'
  | 'effective';

const EFFECTIVE_COLUMN = { key: 'effective', names: ['执行日期', '生效日期', '执行时间'] } as const;

const COLUMNS = [
  REGION_COLUMN,
  { key: 'regionName', names: ['地区名称', '统筹区名称', '统筹区'] },
  { key: 'scheme', names: ['险种', '参保类别', '医保类型', '保险类型'] },
  { key: 'ded3', names: levelNames('三级'), group: DEDUCTIBLE_GROUP, required: true },
  { key: 'ded2', names: levelNames('二级'), group: DEDUCTIBLE_GROUP, required: true },
  { key: 'ded1', names: levelNames('一级'), group: DEDUCTIBLE_GROUP, required: true },
  { key: 'rate3', names: levelNames('三级'), group: RATE_GROUP },
  { key: 'rate2', names: levelNames('二级'), group: RATE_GROUP },
  { key: 'rate1', names: levelNames('一级'), group: RATE_GROUP },
  { key: 'ceiling', names: ['年度最高支付限额（元）', '基本医保年度最高支付限额（元）', '基本医保封顶线（元）', '封顶线（元）', '住院封顶线（元）'], required: true },
  { key: 'outDed', names: ['门诊统筹起付线（元）', '普通门诊起付线（元）', '门诊起付线（元）'] },
  { key: 'outRate', names: ['门诊统筹报销比例（%）', '普通门诊报销比例（%）', '门诊报销比例（%）'] },
  { key: 'outCeiling', names: ['门诊统筹年度限额（元）', '普通门诊年度限额（元）', '门诊年度限额（元）'] },
  { key: 'ciThr', names: ['大病保险起付线（元）', '大病保险起付标准（元）'], required: true },
  { key: 'ciBreaks', names: ['大病保险分段点（元）', '大病保险分段标准（元）'] },
  { key: 'ciRates', names: ['大病保险报销比例（%）', '大病保险支付比例（%）'], required: true },
  { key: 'ciCeiling', names: ['大病保险年度最高支付限额（元）', '大病保险封顶线（元）'] },
  { key: 'aidCiThr', names: ['救助对象大病保险起付线（元）'] },
  { key: 'aidCiUplift', names: ['救助对象大病保险报销比例提高（百分点）'] },
  { key: 'aidCiNoCeiling', names: ['救助对象大病保险取消封顶线'] },
  { key: 'aidDed', names: ['医疗救助起付线（元）', '医疗救助起付标准（元）'] },
  { key: 'aidRate', names: ['医疗救助比例（%）', '医疗救助报销比例（%）', '医疗救助支付比例（%）'], required: true },
  { key: 'aidCeiling', names: ['医疗救助年度限额（元）', '医疗救助年度最高支付限额（元）', '医疗救助封顶线（元）'], required: true },
  { key: 'hmbDed', names: ['惠民保起付线（元）', '惠民保免赔额（元）'] },
  { key: 'hmbRate', names: ['惠民保报销比例（%）', '惠民保赔付比例（%）'] },
  { key: 'hmbCeiling', names: ['惠民保年度限额（元）', '惠民保保障额度（元）'] },
  EFFECTIVE_COLUMN,
] as const;

const LIST_SEPARATOR = /[;；,，、/\s]+/;

/** A percentage 0–100 with at most two decimals as a decimal text of the share (`56.4` → `0.564`); undefined after reporting. */
function percent(ctx: LoadContext<Key>, v: string | null, col: HeaderColumn | undefined, row: number, required: boolean): string | null | undefined {
  const at = refOf(col, row);
  const t = ctx.parse.text(v, at, required);
  if (t === undefined || t === null) return t;
  return percentValue(ctx, t, at, t);
}

function percentValue(ctx: LoadContext<Key>, t: string, at: { row: number; column: string; label: string }, shown: string): string | undefined {
  const s = t.normalize('NFKC').replace(/\s+/g, '').replace(/%$/, '');
  if (!/^\d+(\.\d+)?$/.test(s)) {
    ctx.issues.add(at.row, at.column, `“${at.label}”不是 0–100 的百分比数值：${shown}`, `${at.label} is not a percentage`);
    return undefined;
  }
  if (/\.\d{3,}$/.test(s)) {
    ctx.issues.add(at.row, at.column, `“${at.label}”最多两位小数：${shown}`, `${at.label}: at most two decimals`);
    return undefined;
  }
  if (Number(s) > 100) {
    ctx.issues.add(at.row, at.column, `“${at.label}”应在 0–100（%）之间：${shown}`, `${at.label} must be between 0 and 100 (%)`);
    return undefined;
  }
  // a percentage with at most two decimals is a share with at most four: toFixed(4) is exact here
  return (Number(s) / 100).toFixed(4);
}

/** A list of 元 amounts (`100000；300000`) in fen; undefined after reporting. */
function amountList(ctx: LoadContext<Key>, v: string | null, col: HeaderColumn | undefined, row: number): number[] | undefined {
  const at = refOf(col, row);
  if (v === null || v.trim() === '' || v.trim() === '无' || v.trim() === '-') return [];
  const out: number[] = [];
  for (const part of v.trim().split(LIST_SEPARATOR)) {
    const fen = parseYuanToFen(part);
    if (fen === null) {
      ctx.issues.add(row, at.column, `“${at.label}”中的“${part}”不是有效金额（元，最多两位小数，多个分段点用“；”分隔）：${v}`, `${at.label}: "${part}" is not an amount in yuan`);
      return undefined;
    }
    out.push(fen);
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i] <= 0 || (i > 0 && out[i] <= out[i - 1])) {
      ctx.issues.add(row, at.column, `“${at.label}”的分段点应为正数且从小到大：${v}`, `${at.label}: breakpoints must be positive and ascending`);
      return undefined;
    }
  }
  return out;
}

function yesNo(ctx: LoadContext<Key>, v: string | null, col: HeaderColumn | undefined, row: number): boolean | undefined {
  const at = refOf(col, row);
  if (v === null || v.trim() === '') return false;
  const t = v.trim().toLowerCase();
  if (['是', 'y', 'yes', 'true', '1', '取消'].includes(t)) return true;
  if (['否', 'n', 'no', 'false', '0', '不取消'].includes(t)) return false;
  ctx.issues.add(row, at.column, `“${at.label}”应为“是”或“否”：${v}`, `${at.label} must be 是 or 否`);
  return undefined;
}

function scheme(ctx: LoadContext<Key>, v: string | null, col: HeaderColumn | undefined, row: number): 'resident' | 'employee' | undefined {
  if (v === null || v.trim() === '') return 'resident';
  const t = v.replace(/\s/g, '');
  if (/^(城乡)?居民(基本)?(医保|医疗保险|基本医疗保险)?$|^城乡居民$/.test(t)) return 'resident';
  if (/^(城镇)?职工(基本)?(医保|医疗保险|基本医疗保险)?$/.test(t)) return 'employee';
  const at = refOf(col, row);
  ctx.issues.add(row, at.column, `险种“${v}”无效（应为城乡居民医保或职工医保）`, 'invalid scheme (城乡居民医保 or 职工医保)');
  return undefined;
}

const STAGE_COLUMNS = [
  'row_no', 'region_code', 'scheme', 'valid_from',
  'ded3', 'ded2', 'ded1', 'rate3', 'rate2', 'rate1', 'ceiling',
  'out_ded', 'out_rate', 'out_ceiling',
  'ci_thr', 'ci_from', 'ci_rates', 'ci_ceiling', 'aid_ci_thr', 'aid_ci_uplift', 'aid_ci_no_ceiling',
  'aid_ded', 'aid_rate', 'aid_ceiling',
  'hmb_ded', 'hmb_rate', 'hmb_ceiling',
] as const;

const SCHEME_ZH = { resident: '城乡居民医保', employee: '职工医保' } as const;

/**
 * 医保待遇政策表: per region (and 险种, default 城乡居民医保) from 执行日期, what each insurance layer pays — 基本医保
 * 住院起付线 by level, 住院报销比例 by level (optional: else the 医保支付比例表), 年度最高支付限额, 门诊统筹 (optional,
 * all three columns or none); 大病保险 起付线, 分段点 and 报销比例 (one rate more than breakpoints), 封顶线 (optional),
 * the tilt for 医疗救助 recipients (lower 起付线, points added, no 封顶线); 医疗救助 起付线, 比例 and 年度限额; 惠民保
 * (optional, all three or none). A policy already loaded by another file for the same region, 险种 and date is an
 * error; a changed version of the same file replaces its rows.
 */
export const insurancePolicyLoader: Loader<Key> = {
  kind: 'insurance-policy',
  analyze: () => ['insurance_policy'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 'auto',

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from insurance_policy where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db, options } = ctx;
    const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1];
    reportUnknownLevelColumns(table, issues, /起付|比例/, '起付线和报销比例列');
    const rateCols = [cols.rate3, cols.rate2, cols.rate1].filter(Boolean).length;
    if (rateCols > 0 && rateCols < 3) {
      issues.add(headerRow, null, '“住院报销比例（%）”应有三级、二级、一级三列，或都没有（按医保支付比例表）', 'inpatient rates need all three levels or none');
    }
    const triple = (keys: Key[], what: string) => {
      const n = keys.filter((k) => cols[k]).length;
      if (n > 0 && n < keys.length) {
        const missing = keys.filter((k) => !cols[k]).map((k) => COLUMNS.find((c) => c.key === k)!.names[0]);
        issues.add(headerRow, null, `${what}的列不完整，缺少：${missing.join('、')}`, `incomplete ${what} columns`);
      }
    };
    triple(['outDed', 'outRate', 'outCeiling'], '门诊统筹');
    triple(['hmbDed', 'hmbRate', 'hmbCeiling'], '惠民保');
    if (!cols.effective && !options.effectiveDate) reportMissingDateColumn(issues, EFFECTIVE_COLUMN.names);
    if (issues.count > 0) return { rowsRead: 0, rowsLoaded: 0 };

    const rows: unknown[][] = [];
    const dup = duplicateTracker(issues);
    const regions = new Set<string>();
    let rowsRead = 0;
    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const c = (k: Key) => cell(cells, cols[k]);
      const money = (k: Key, required: boolean) => (cols[k] ? parse.money(c(k), at(k), required) : null);
      const pct = (k: Key, required: boolean) => (cols[k] ? percent(ctx, c(k), cols[k], rowNo, required) : null);
      const errorsBefore = issues.count;

      const region = rowRegion(ctx, cells, rowNo, cols.region);
      const sch = scheme(ctx, c('scheme'), cols.scheme, rowNo);
      let validFrom = cols.effective ? parse.date(c('effective'), at('effective'), !options.effectiveDate) : null;
      if (validFrom === null) validFrom = options.effectiveDate ?? null;

      const ded = [money('ded3', true), money('ded2', true), money('ded1', true)];
      const rates = rateCols === 3 ? [pct('rate3', false), pct('rate2', false), pct('rate1', false)] : [null, null, null];
      const given = rates.filter((r) => r !== null && r !== undefined).length;
      if (given > 0 && given < 3 && rates.every((r) => r !== undefined)) {
        issues.add(rowNo, at(rates[0] === null ? 'rate3' : rates[1] === null ? 'rate2' : 'rate1').column,
          '住院报销比例应三个等级都填写，或都留空（按医保支付比例表）', 'inpatient rates: all three levels or none');
      }
      const ceiling = money('ceiling', true);
      const out = [money('outDed', false), pct('outRate', false), money('outCeiling', false)] as const;
      const hmb = [money('hmbDed', false), pct('hmbRate', false), money('hmbCeiling', false)] as const;
      for (const [vals, keys, what] of [[out, ['outDed', 'outRate', 'outCeiling'], '门诊统筹'], [hmb, ['hmbDed', 'hmbRate', 'hmbCeiling'], '惠民保']] as const) {
        if (vals.some((x) => x === undefined)) continue;
        const filled = vals.filter((x) => x !== null).length;
        if (filled > 0 && filled < 3) {
          const k = keys[vals.findIndex((x) => x === null)];
          issues.add(rowNo, at(k).column, `${what}的起付线、报销比例和年度限额应都填写或都留空：缺少“${at(k).label}”`, `${what}: all three values or none`);
        }
      }

      const ciThr = money('ciThr', true);
      const breaks = amountList(ctx, c('ciBreaks'), cols.ciBreaks, rowNo);
      let ciRates: string[] | undefined;
      const ratesText = parse.text(c('ciRates'), at('ciRates'), true);
      if (ratesText) {
        const parts = ratesText.trim().split(LIST_SEPARATOR);
        const vals = parts.map((p) => percentValue(ctx, p, at('ciRates'), ratesText));
        if (vals.every((x) => x !== undefined)) ciRates = vals as string[];
      }
      if (breaks && ciRates && ciRates.length !== breaks.length + 1) {
        issues.add(rowNo, at('ciRates').column,
          `“${at('ciRates').label}”应比分段点多一个比例（${breaks.length} 个分段点，${ciRates.length} 个比例）：${ratesText}`, 'one rate more than breakpoints');
      }
      const ciCeiling = money('ciCeiling', false);
      const aidCiThr = money('aidCiThr', false);
      let uplift: string | null | undefined = null;
      if (cols.aidCiUplift) uplift = percent(ctx, c('aidCiUplift'), cols.aidCiUplift, rowNo, false);
      const noCeiling = cols.aidCiNoCeiling ? yesNo(ctx, c('aidCiNoCeiling'), cols.aidCiNoCeiling, rowNo) : false;
      const aidDed = money('aidDed', false);
      const aidRate = pct('aidRate', true);
      const aidCeiling = money('aidCeiling', true);

      if (!region || !sch || !validFrom || issues.count > errorsBefore) continue;
      regions.add(region);
      if (dup(`${region}|${sch}|${validFrom}`, rowNo, cols.effective?.letter ?? null, `${region} ${SCHEME_ZH[sch]} ${validFrom} 的待遇政策`)) continue;
      rows.push([
        rowNo, region, sch, validFrom,
        ded[0], ded[1], ded[2], rates[0], rates[1], rates[2], ceiling,
        out[0], out[1], out[2],
        ciThr, `{${[0, ...breaks!].join(',')}}`, `{${ciRates!.join(',')}}`, ciCeiling, aidCiThr ?? ciThr, uplift ?? '0', noCeiling ? 'true' : 'false',
        aidDed ?? 0, aidRate, aidCeiling,
        hmb[0], hmb[1], hmb[2],
      ]);
    }

    await db.query(`create temp table stg_policy (row_no int, region_code text, scheme text, valid_from date,
      ded3 bigint, ded2 bigint, ded1 bigint, rate3 numeric, rate2 numeric, rate1 numeric, ceiling bigint,
      out_ded bigint, out_rate numeric, out_ceiling bigint,
      ci_thr bigint, ci_from bigint[], ci_rates numeric[], ci_ceiling bigint, aid_ci_thr bigint, aid_ci_uplift numeric, aid_ci_no_ceiling boolean,
      aid_ded bigint, aid_rate numeric, aid_ceiling bigint,
      hmb_ded bigint, hmb_rate numeric, hmb_ceiling bigint) on commit drop`);
    await copyRows(db, 'stg_policy', STAGE_COLUMNS, rows);
    await reportUnknownRegions(db, 'stg_policy', issues, cols.region);
    const clash = await db.query(
      `select s.row_no, s.region_code, s.scheme, s.valid_from::text as d, p.batch_id, b.file_name
         from stg_policy s join insurance_policy p using (region_code, scheme, valid_from)
         left join load_batch b on b.id = p.batch_id
        order by s.row_no limit 1000`,
    );
    for (const x of clash.rows) {
      issues.add(x.row_no, cols.effective?.letter ?? null,
        `${x.region_code} ${SCHEME_ZH[x.scheme as 'resident']} 自 ${x.d} 起的待遇政策已由${x.batch_id ? `批次 #${x.batch_id}（${x.file_name ?? ''}）` : '其他方式'}导入`,
        `policy from ${x.d} already loaded by batch ${x.batch_id ?? '?'}`);
    }
    await dropBadRows(db, 'stg_policy', issues);
    if (issues.count > 0 && !options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    const ins = await db.query(
      `insert into insurance_policy (region_code, scheme, valid_from,
         inpatient_deductible_3_fen, inpatient_deductible_2_fen, inpatient_deductible_1_fen, inpatient_rate_3, inpatient_rate_2, inpatient_rate_1,
         inpatient_ceiling_fen, outpatient_deductible_fen, outpatient_rate, outpatient_ceiling_fen,
         critical_threshold_fen, critical_band_from_fen, critical_band_rate, critical_ceiling_fen,
         assisted_critical_threshold_fen, assisted_critical_rate_uplift, assisted_critical_no_ceiling,
         assistance_deductible_fen, assistance_rate, assistance_ceiling_fen,
         huiminbao_deductible_fen, huiminbao_rate, huiminbao_ceiling_fen, batch_id)
       select region_code, scheme, valid_from, ded3, ded2, ded1, rate3, rate2, rate1, ceiling, out_ded, out_rate, out_ceiling,
              ci_thr, ci_from, ci_rates, ci_ceiling, aid_ci_thr, aid_ci_uplift, aid_ci_no_ceiling, aid_ded, aid_rate, aid_ceiling,
              hmb_ded, hmb_rate, hmb_ceiling, $1
         from stg_policy`,
      [ctx.batchId],
    );
    return {
      rowsRead,
      rowsLoaded: ins.rowCount ?? 0,
      regionCode: regions.size === 1 ? [...regions][0] : null,
      details: { policies: ins.rowCount, regions: [...regions] },
    };
  },
};
