import type { PoolClient } from 'pg';
import { copyRows } from '../copy';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import { dropBadRows, duplicateTracker, reportUnknownRegions } from './common';

type Key = 'region' | 'regionName' | 'period' | 'indicator' | 'value' | 'unit' | 'source' | 'release' | 'nature';

const COLUMNS = [
  { key: 'region', names: ['行政区划代码', '地区代码', '区划代码', '统筹区代码'], required: true },
  { key: 'regionName', names: ['地区名称', '地区', '统筹区'] },
  { key: 'period', names: ['期间', '统计期', '年份', '时期', '统计期间'], required: true },
  { key: 'indicator', names: ['指标', '指标代码', '指标名称'], required: true },
  { key: 'value', names: ['数值', '值', '指标值'], required: true },
  { key: 'unit', names: ['单位', '计量单位'], required: true },
  { key: 'source', names: ['来源', '数据来源'], required: true },
  { key: 'release', names: ['发布类型', '数据类型'], required: true },
  { key: 'nature', names: ['数据性质'] },
] as const;

type Release = 'express' | 'final' | 'yearbook' | 'estimate';

const QUARTER: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 1: 1, 2: 2, 3: 3, 4: 4 };

/**
 * A period: `2024` / `2024年` (year), `2024-03` / `2024/3` / `2024.03` / `2024年3月` / `202403` (month),
 * `2024Q1` / `2024 Q1` / `2024年第一季度` / `2024年1季度` (quarter). Null when not a valid period.
 */
export function parsePeriod(v: string): string | null {
  const s = v.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  let m = /^(\d{4})年?(?:度)?$/.exec(s);
  if (m) return yearOk(m[1]!) ? m[1]! : null;
  m = /^(\d{4})(?:[-/.]|年)(\d{1,2})月?$/.exec(s) ?? /^(\d{4})(\d{2})$/.exec(s);
  if (m) {
    const mo = Number(m[2]);
    return yearOk(m[1]!) && mo >= 1 && mo <= 12 ? `${m[1]}-${String(mo).padStart(2, '0')}` : null;
  }
  m = /^(\d{4})(?:-|年)?(?:Q|第)?([1-4一二三四])(?:季度|季)?$/.exec(s);
  if (m && (/Q/.test(s) || /季/.test(s))) return yearOk(m[1]!) ? `${m[1]}Q${QUARTER[m[2]!]}` : null;
  return null;
}

function yearOk(y: string): boolean {
  const n = Number(y);
  return n >= 1990 && n <= 2100;
}

/** 快报 / 公报 / 统计年鉴 / 测算 (and longer names containing them) → release type; null when unknown. */
export function releaseOf(v: string): Release | null {
  const t = v.replace(/\s/g, '');
  if (/^(express|final|yearbook|estimate)$/i.test(t)) return t.toLowerCase() as Release;
  if (/快报/.test(t)) return 'express';
  if (/公报/.test(t)) return 'final';
  if (/年鉴/.test(t)) return 'yearbook';
  if (/测算|估算|生成|预测|推算/.test(t)) return 'estimate';
  return null;
}

/** 真实 → false, 生成 → true; null when unknown. */
function natureOf(v: string): boolean | null {
  const t = v.replace(/\s/g, '');
  if (/^(真实|实际|实际数据|真实数据|real)$/i.test(t)) return false;
  if (/^(生成|模拟|演示|生成数据|模拟数据|generated)$/i.test(t)) return true;
  return null;
}

/** Unit families convertible among themselves, each unit as a power of ten of the family's base. */
const SCALES: Record<string, Record<string, number>> = {
  money: { 元: 0, 人民币元: 0, 千元: 3, 万元: 4, 百万元: 6, 亿元: 8, 万亿元: 12 },
  persons: { 人: 0, 万人: 4, 亿人: 8 },
  count: { 个: 0, 万个: 4 },
};
const SAME: string[][] = [['%', '％', '百分比', 'percent'], ['是/否', '0/1', '是否', '1/0'], ['月', '个月'], ['分', '得分']];

function normUnit(u: string): string {
  const t = u.normalize('NFKC').replace(/\s+/g, '').replace(/[()（）]/g, '');
  const same = SAME.find((g) => g.includes(t));
  return same ? same[0]! : t;
}

/**
 * The factor (a power of ten, as text for exact numeric arithmetic) turning a value in `given` into the catalogue
 * unit `target`: '1' when the units agree, e.g. '1e-4' for 万元 → 亿元; null when they cannot be converted.
 */
export function unitFactor(given: string, target: string): string | null {
  const g = normUnit(given);
  const t = normUnit(target);
  if (g === t) return '1';
  for (const scale of Object.values(SCALES)) {
    if (g in scale && t in scale) {
      const e = scale[g]! - scale[t]!;
      return e === 0 ? '1' : `1e${e}`;
    }
  }
  return null;
}

interface CatalogueEntry {
  code: string;
  name_zh: string;
  name_en: string;
  unit: string;
  kind: string;
}

/** Matching key of an indicator code or name: no whitespace, no bracketed unit (`医保基金收入（亿元）`), lower case. */
const keyOf = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').replace(/[(（][^()（）]*[)）]/g, '').toLowerCase();

/**
 * 指标: one value per region, indicator (code or Chinese name of the indicator catalogue), period and release type.
 * Values are stored in the catalogue unit: 元 / 万元 / 亿元 (and 人 / 万人) convert by powers of ten, exactly; % only
 * for rates and shares; any other unit must equal the catalogue unit. 快报 and 公报 of the same period are kept side
 * by side. A key already loaded by another file is an error (a changed version of the same file replaces it).
 */
export const indicatorsLoader: Loader<Key> = {
  kind: 'indicators',
  analyze: () => ['indicator_value'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 1,

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from indicator_value where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db, options } = ctx;
    const catalogue = (await db.query('select code, name_zh, name_en, unit, kind from indicator order by code')).rows as CatalogueEntry[];
    const byKey = new Map<string, CatalogueEntry>();
    for (const c of catalogue) for (const k of [c.code, c.name_zh, c.name_en]) byKey.set(keyOf(k), c);

    const rows: unknown[][] = [];
    const dup = duplicateTracker(issues);
    const regions = new Set<string>();
    let rowsRead = 0;
    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const region = parse.regionCode(cell(cells, cols.region), at('region'), true);
      const periodRaw = parse.text(cell(cells, cols.period), at('period'), true);
      const indRaw = parse.text(cell(cells, cols.indicator), at('indicator'), true);
      const valueRaw = parse.text(cell(cells, cols.value), at('value'), true);
      const unitRaw = parse.text(cell(cells, cols.unit), at('unit'), true);
      const source = parse.text(cell(cells, cols.source), at('source'), true);
      const releaseRaw = parse.text(cell(cells, cols.release), at('release'), true);
      const natureRaw = cell(cells, cols.nature);

      let period: string | null = null;
      if (periodRaw) {
        period = parsePeriod(periodRaw);
        if (!period) {
          issues.add(rowNo, at('period').column, `期间“${periodRaw}”无效（应为年 2024、月 2024-03 或季度 2024Q1）`,
            `invalid period "${periodRaw}" (expected 2024, 2024-03 or 2024Q1)`);
        }
      }
      let ind: CatalogueEntry | undefined;
      if (indRaw) {
        ind = byKey.get(keyOf(indRaw));
        if (!ind) {
          const near = catalogue.filter((c) => c.name_zh.includes(indRaw) || indRaw.includes(c.name_zh)).map((c) => c.name_zh);
          issues.add(rowNo, at('indicator').column,
            `指标“${indRaw}”不在指标目录中（指标目录 indicator，共 ${catalogue.length} 项；请用指标代码或中文名称${near.length ? `，是否为：${near.slice(0, 5).join('、')}` : ''}）`,
            `indicator "${indRaw}" is not in the indicator catalogue`);
        }
      }
      let release: Release | null = null;
      if (releaseRaw) {
        release = releaseOf(releaseRaw);
        if (!release) {
          issues.add(rowNo, at('release').column, `发布类型“${releaseRaw}”无效（应为快报、公报、统计年鉴或测算）`,
            `unknown release type "${releaseRaw}" (expected 快报 / 公报 / 统计年鉴 / 测算)`);
        }
      }
      let generated: boolean | null = options.origin === 'generated';
      if (natureRaw) {
        generated = natureOf(natureRaw);
        if (generated === null) {
          issues.add(rowNo, at('nature').column, `数据性质“${natureRaw}”无效（应为真实或生成）`, `data nature must be 真实 or 生成`);
        }
      }
      // value and unit, against the catalogue entry
      let value: string | null = null;
      let factor: string | null = null;
      if (valueRaw && ind) {
        if (ind.kind === 'flag' && /^(是|否|有|无)$/.test(valueRaw)) value = /^(是|有)$/.test(valueRaw) ? '1' : '0';
        else {
          const t = valueRaw.replace(/,/g, '').replace(/^[+]/, '');
          const n = parse.decimal(valueRaw, at('value'), true);
          if (n !== undefined && n !== null) {
            if (/%$/.test(t) && !['rate', 'share'].includes(ind.kind)) {
              issues.add(rowNo, at('value').column, `“${ind.name_zh}”不是比率类指标，数值不能带 %：${valueRaw}`, `${ind.code} is not a rate; no % allowed`);
            } else value = t.replace(/%$/, '');
          }
        }
        if (value !== null && ind.kind === 'flag' && (Number(value) === 0 || Number(value) === 1)) value = String(Number(value));
        else if (value !== null && ind.kind === 'flag') {
          issues.add(rowNo, at('value').column, `“${ind.name_zh}”应为 1（是）或 0（否）：${valueRaw}`, `${ind.code} must be 1 (yes) or 0 (no)`);
          value = null;
        }
      }
      if (unitRaw && ind) {
        factor = unitFactor(unitRaw, ind.unit);
        if (factor === null) {
          const pct = normUnit(unitRaw) === '%';
          issues.add(rowNo, at('unit').column,
            pct
              ? `单位“%”只用于比率和占比类指标；“${ind.name_zh}”的单位是“${ind.unit}”`
              : `单位“${unitRaw}”与指标“${ind.name_zh}”的单位“${ind.unit}”不一致，且无法换算`,
            `unit "${unitRaw}" does not match the unit of ${ind.code} (${ind.unit}) and cannot be converted`);
        }
      }
      if (!region || !period || !ind || value === null || factor === null || !source || !release || generated === null) continue;
      if (dup(`${region}|${ind.code}|${period}|${release}`, rowNo, null, `${region} ${ind.name_zh} ${period} ${releaseRaw} `)) continue;
      regions.add(region);
      rows.push([rowNo, region, ind.code, period, release, value, factor, ind.unit, source, generated]);
      if (rowsRead % 5000 === 0) options.onProgress?.(rowsRead, null);
    }

    await db.query(`create temp table stg_indicator (row_no int, region_code text, indicator_code text, period text, release_type text,
      value_text text, factor text, unit text, source text, is_generated boolean) on commit drop`);
    await copyRows(db, 'stg_indicator', ['row_no', 'region_code', 'indicator_code', 'period', 'release_type', 'value_text', 'factor',
      'unit', 'source', 'is_generated'], rows);
    await reportUnknownRegions(db, 'stg_indicator', issues, cols.region);
    const clash = await db.query(
      `select s.row_no, s.region_code, s.period, s.release_type, i.name_zh, v.batch_id, b.file_name
         from stg_indicator s join indicator_value v using (region_code, indicator_code, period, release_type)
         join indicator i on i.code = s.indicator_code
         left join load_batch b on b.id = v.batch_id
        order by s.row_no limit 1000`,
    );
    const RELEASE_ZH: Record<string, string> = { express: '快报', final: '公报', yearbook: '统计年鉴', estimate: '测算', other: '其他' };
    for (const c of clash.rows) {
      issues.add(c.row_no, null,
        `${c.region_code} ${c.name_zh} ${c.period} ${RELEASE_ZH[c.release_type]} 已由批次 #${c.batch_id ?? '?'}（${c.file_name ?? ''}）导入`,
        `value already loaded by batch ${c.batch_id}`);
    }
    await dropBadRows(db, 'stg_indicator', issues);
    if (issues.count > 0 && !options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    const ins = await db.query(
      `insert into indicator_value (region_code, indicator_code, period, release_type, value, unit, source, is_generated, batch_id)
       select region_code, indicator_code, period, release_type, trim_scale(value_text::numeric * factor::numeric), unit, source,
              is_generated, $1
         from stg_indicator`,
      [ctx.batchId],
    );
    return {
      rowsRead,
      rowsLoaded: ins.rowCount ?? 0,
      regionCode: regions.size === 1 ? [...regions][0] : null,
      details: { regions: [...regions] },
    };
  },
};
