import type { PoolClient } from 'pg';
import { CATEGORIES, categoryOfLegacyCode } from '../../../api/src/domain/reference';
import { copyRows } from '../copy';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import type { CellRef } from '../parse';
import { dropBadRows, duplicateTracker } from './common';

/*
 * Code formats shared by the catalogue and mapping loaders.
 * - NHC 2023 (and 2012) 技术规范 codes: 8 characters, a letter then letters/digits (`AAAA0001`, `CAA05EC1`);
 * - NHSA 医保医疗服务项目 codes: 15 digits (`003107010010000`);
 * - legacy 2001 national / provincial codes: 9 digits, optionally a letter suffix for sub-items and province-added
 *   items (`110200001`, `120100006a`, `430000020x`).
 */
export const SPEC_CODE = /^[A-Z][A-Z0-9]{7}$/;
export const NHSA_CODE = /^\d{15}$/;
export const LEGACY_CODE = /^\d{9}[a-z]{0,2}$/;

/** Splits a cell holding several codes (or names) separated by whitespace, 、, ; or ，. */
export function splitList(v: string | null): string[] {
  if (!v) return [];
  return v.split(/[\s\u3000、;；,，]+/u).filter((x) => x !== '');
}

/** A spec code in upper case, a legacy code with its suffix in lower case; other text unchanged. */
export function normalizeCode(code: string): string {
  const t = code.normalize('NFKC').trim();
  if (/^[A-Za-z][A-Za-z0-9]{7}$/.test(t)) return t.toUpperCase();
  if (/^\d{9}[A-Za-z]{1,2}$/.test(t)) return t.toLowerCase();
  return t;
}

/** Describes why a code does not have the expected format (digit count, characters). */
export function codeFormatProblem(code: string, expected: 'spec' | 'nhsa' | 'legacy'): { zh: string; en: string } | null {
  if (expected === 'nhsa') {
    if (NHSA_CODE.test(code)) return null;
    const digits = /^\d+$/.test(code) ? `（${code.length}位）` : '（含非数字字符）';
    return { zh: `医保医疗服务项目编码应为15位数字：${code}${digits}`, en: `NHSA service code must have 15 digits: ${code}` };
  }
  if (expected === 'spec') {
    if (SPEC_CODE.test(code)) return null;
    return { zh: `技术规范项目编码应为8位字母数字（如 AAAA0001）：${code}（${[...code].length}位）`, en: `technical-specification code must be 8 letters/digits: ${code}` };
  }
  if (LEGACY_CODE.test(code)) return null;
  return {
    zh: `原价格项目编码应为9位数字（可带字母后缀，如 120100006a）：${code}`,
    en: `legacy item code must be 9 digits with an optional letter suffix: ${code}`,
  };
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Categories: the 分类 text of a catalogue row → a category code of reference.ts                               */
/* ------------------------------------------------------------------------------------------------------------ */

/** Chapter and section names of the 2023 specification and of the 2001 catalogue, beside the category names. */
const CATEGORY_ALIASES: Record<string, string> = {
  综合医疗: 'general', 一般医疗服务: 'general', 一般治疗操作: 'general', 诊察: 'general', 床位: 'general',
  护理: 'nursing',
  临床各系统诊疗: 'clinical', 临床诊查: 'clinical', 临床非手术治疗: 'clinical', 临床诊疗: 'clinical',
  经血管介入诊疗: 'interventional', 介入: 'interventional',
  临床手术: 'surgery', 手术: 'surgery',
  康复理疗: 'rehab', 临床物理治疗: 'rehab', 物理治疗: 'rehab', 康复: 'rehab',
  中医医疗: 'tcm', 中医: 'tcm', 民族医: 'tcm',
  影像学诊查: 'imaging', 影像: 'imaging',
  超声: 'ultrasound',
  实验室诊查: 'lab', 实验室检验: 'lab', 检验: 'lab',
  输血: 'blood', 配血: 'blood', 血型: 'blood',
  病理学诊断: 'pathology', 病理: 'pathology',
};

const categoryNames: [string, string][] = (() => {
  const m = new Map<string, string>();
  for (const c of CATEGORIES) {
    m.set(c.name_zh, c.code);
    m.set(c.code, c.code);
  }
  for (const [k, v] of Object.entries(CATEGORY_ALIASES)) m.set(k, v);
  // longest first, so 放射治疗 wins over a shorter name inside it
  return [...m.entries()].sort((a, b) => b[0].length - a[0].length);
})();

/** A path segment without its numbering (`一、` `(三)` `1.` `（一）`) and a trailing 类. */
function segmentCore(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^[(（]?[一二三四五六七八九十\d]+[)）]?[、.．]?/u, '')
    .replace(/类$/u, '');
}

/**
 * The category of a 分类 text: a category name or code, a chapter/section name of the 2023 specification, or a
 * path (`一、综合医疗 > (三)护理 > 1.分级护理`) read from its deepest segment up. Null when nothing matches.
 */
export function categoryOfText(text: string | null): string | null {
  if (!text) return null;
  const segments = text.split(/\s*(?:>|＞|\/|／|→)\s*/u).map(segmentCore).filter((s) => s !== '');
  for (const seg of segments.reverse()) {
    const exact = categoryNames.find(([n]) => n === seg || n.toLowerCase() === seg.toLowerCase());
    if (exact) return exact[1];
    const inside = categoryNames.find(([n]) => /\p{Script=Han}/u.test(n) && n.length >= 2 && seg.includes(n));
    if (inside) return inside[1];
  }
  return null;
}

/* ------------------------------------------------------------------------------------------------------------ */

type Key = 'code' | 'name' | 'nameEn' | 'unit' | 'category' | 'rv' | 'difficulty' | 'risk' | 'hrTime' | 'note' | 'code2012' | 'code2001' | 'code2023' | 'edition';

const COLUMNS = [
  { key: 'code', names: ['项目编码', '项目代码', '编码'], required: true },
  { key: 'name', names: ['项目名称', '名称'], required: true },
  { key: 'nameEn', names: ['英文名称', '项目英文名称'] },
  { key: 'unit', names: ['计价单位', '单位'] },
  { key: 'category', names: ['分类', '项目分类', '类别', '所属分类', '章节'] },
  { key: 'rv', names: ['人力资源消耗相对值', '相对值'] },
  { key: 'difficulty', names: ['技术难度'] },
  { key: 'risk', names: ['风险程度'] },
  { key: 'hrTime', names: ['基本人力消耗及耗时', '人力消耗及耗时'] },
  { key: 'note', names: ['说明', '备注', '计价说明'] },
  { key: 'code2012', names: ['2012版编码', '2012年版编码', '2012版项目编码'] },
  { key: 'code2001', names: ['2001版编码', '2001年版编码', '2001版项目编码'] },
  { key: 'code2023', names: ['2023版编码', '2023年版编码', '2023版项目编码'] },
  { key: 'edition', names: ['目录版本', '版本'] },
] as const;

type CodeSystem = 'nhc2023' | 'nhc2012' | 'legacy2001' | 'nhsa15';

/** Chapter/section rows of a catalogue: `A`, `AA`, `AAAN`, `AAAA-AAAD`, or short numeric codes `1`, `11`, `2101`. */
const GROUP_CODE = /^([A-Z]{1,4}|[A-Z]{4}-[A-Z]{4}|\d{1,7})$/;

interface Group {
  code: string;
  name: string;
}

function inGroup(code: string, g: Group): boolean {
  const range = /^([A-Z]{4})-([A-Z]{4})$/.exec(g.code);
  if (range) {
    const head = code.slice(0, 4);
    return head >= range[1]! && head <= range[2]!;
  }
  return code.startsWith(g.code) && code.length > g.code.length;
}

/**
 * 项目目录 (technical specification or a code list): one item per row (2023 8-character codes → nhc2023, 15-digit NHSA
 * codes → nhsa15, 9-digit codes with an optional letter suffix → legacy2001) with its relative value, difficulty,
 * risk and staff time, and crosswalk rows from the 2023 code to each 2012 / 2001 code of the row. Chapter and
 * section rows (`A`, `AA`, `AAAN`, `AAAA-AAAD`; `1`, `11`, `2101`) carry no item: they are skipped, and their names
 * give the category of the items below them when the row has no 分类. An item already loaded by another file is
 * updated (reference data) and takes this batch.
 */
export const catalogueLoader: Loader<Key> = {
  kind: 'catalogue',
  analyze: () => ['item', 'code_crosswalk'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 1,

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from code_crosswalk where batch_id = $1', [batchId]);
    await db.query('delete from item where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db } = ctx;
    const items: unknown[][] = [];
    const links = new Map<string, unknown[]>();
    const dup = duplicateTracker(issues);
    const groups: Group[] = [];
    let rowsRead = 0;
    let parents = 0;

    const score = (v: string | null, at: CellRef): number | null | undefined => {
      const n = parse.decimal(v, at, false);
      if (n === undefined || n === null) return n;
      if (/%/.test(v ?? '') || n < 0 || n > 100) {
        issues.add(at.row, at.column, `“${at.label}”应为 0–100 之间的数值：${v}`, `${at.label} must be a number from 0 to 100`);
        return undefined;
      }
      if (!/^-?\d+(\.\d{1,2})?$/.test((v ?? '').replace(/,/g, ''))) {
        issues.add(at.row, at.column, `“${at.label}”最多两位小数：${v}`, `${at.label} takes at most two decimals`);
        return undefined;
      }
      return n;
    };

    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const rawCode = parse.text(cell(cells, cols.code), at('code'), true);
      const name = parse.text(cell(cells, cols.name), at('name'), true);
      if (!rawCode || !name) continue;
      const code = normalizeCode(rawCode);
      const unit = cell(cells, cols.unit);

      // chapter / section rows
      if (GROUP_CODE.test(code) && !unit && !cell(cells, cols.rv)) {
        if (!groups.some((g) => g.code === code)) groups.push({ code, name });
        parents++;
        continue;
      }

      const edition = cell(cells, cols.edition) ?? '';
      let system: CodeSystem;
      if (SPEC_CODE.test(code)) system = /2012/.test(edition) ? 'nhc2012' : 'nhc2023';
      else if (NHSA_CODE.test(code)) system = 'nhsa15';
      else if (LEGACY_CODE.test(code)) system = 'legacy2001';
      else {
        issues.add(rowNo, at('code').column,
          `项目编码格式无法识别：${rawCode}（应为8位技术规范编码、15位医保编码或9位项目编码）`,
          'unrecognised item code: expected an 8-character specification code, a 15-digit NHSA code or a 9-digit code');
        continue;
      }

      const rv = score(cell(cells, cols.rv), at('rv'));
      const difficulty = score(cell(cells, cols.difficulty), at('difficulty'));
      const risk = score(cell(cells, cols.risk), at('risk'));

      // category: legacy codes by their prefix (as price tables do), else the 分类 text, else the section rows above
      const catText = cell(cells, cols.category);
      const legacyPrefix = system === 'legacy2001' ? code : system === 'nhsa15' && code.startsWith('00') ? code.slice(2, 11) : null;
      let category = legacyPrefix ? categoryOfLegacyCode(legacyPrefix) : null;
      if (!category && catText) {
        category = categoryOfText(catText);
        if (!category) {
          issues.add(rowNo, at('category').column,
            `分类“${catText}”无法对应到服务类别（${CATEGORIES.map((c) => c.name_zh).join('、')}）`,
            `category "${catText}" matches none of the service categories`);
          continue;
        }
      }
      if (!category) {
        const above = groups.filter((g) => inGroup(code, g)).map((g) => g.name);
        category = above.length > 0 ? categoryOfText(above.join(' > ')) : null;
      }

      // crosswalk: the row's code → each 2012 / 2001 code; each 2023 code → the row's code
      let bad = rv === undefined || difficulty === undefined || risk === undefined;
      const rowLinks: [string, string, string, string][] = [];
      const older: [Key, 'spec' | 'legacy', CodeSystem][] = [['code2012', 'spec', 'nhc2012'], ['code2001', 'legacy', 'legacy2001']];
      for (const [k, fmt, toSystem] of older) {
        for (const raw of splitList(cell(cells, cols[k]))) {
          const c = normalizeCode(raw);
          const p = codeFormatProblem(c, fmt);
          if (p) {
            issues.add(rowNo, at(k).column, p.zh, p.en);
            bad = true;
          } else if (!(c === code && toSystem === system)) rowLinks.push([code, system, c, toSystem]);
        }
      }
      for (const raw of splitList(cell(cells, cols.code2023))) {
        const c = normalizeCode(raw);
        const p = codeFormatProblem(c, 'spec');
        if (p) {
          issues.add(rowNo, at('code2023').column, p.zh, p.en);
          bad = true;
        } else if (!(c === code && system === 'nhc2023')) rowLinks.push([c, 'nhc2023', code, system]);
      }
      if (bad) continue;
      if (dup(`item|${code}`, rowNo, at('code').column, `项目编码 ${code} `)) continue;
      items.push([rowNo, code, system, name, cell(cells, cols.nameEn), unit, category, rv, difficulty, risk,
        cell(cells, cols.hrTime), cell(cells, cols.note)]);
      for (const [from, fs, to, ts] of rowLinks) {
        if (!links.has(`${from}|${to}`)) links.set(`${from}|${to}`, [rowNo, from, fs, to, ts]);
      }
      if (rowsRead % 5000 === 0) ctx.options.onProgress?.(rowsRead, null);
    }

    await db.query(`create temp table stg_cat_item (row_no int, code text, code_system text, name text, name_en text, unit text,
      category_code text, relative_value numeric, tech_difficulty numeric, risk_level numeric, hr_time text, note text) on commit drop`);
    await db.query(`create temp table stg_cat_link (row_no int, from_code text, from_system text, to_code text, to_system text)
      on commit drop`);
    await copyRows(db, 'stg_cat_item', ['row_no', 'code', 'code_system', 'name', 'name_en', 'unit', 'category_code', 'relative_value',
      'tech_difficulty', 'risk_level', 'hr_time', 'note'], items);
    await copyRows(db, 'stg_cat_link', ['row_no', 'from_code', 'from_system', 'to_code', 'to_system'], links.values());

    // An item code already loaded under another code system (a 2012 code equal to a 2023 code) is not overwritten.
    const clash = await db.query(
      `select s.row_no, s.code, s.code_system, i.code_system as other, i.batch_id, b.file_name
         from stg_cat_item s join item i on i.code = s.code and i.code_system <> s.code_system
         left join load_batch b on b.id = i.batch_id order by s.row_no limit 1000`,
    );
    for (const c of clash.rows) {
      issues.add(c.row_no, cols.code?.letter ?? null,
        `项目编码 ${c.code} 已作为 ${c.other} 编码由批次 #${c.batch_id ?? '?'}（${c.file_name ?? ''}）导入，与本行的 ${c.code_system} 冲突`,
        `item code ${c.code} is already loaded as a ${c.other} code by batch ${c.batch_id}`);
    }
    const badCategory = await db.query(
      `select s.row_no, s.category_code from stg_cat_item s left join category c on c.code = s.category_code
        where s.category_code is not null and c.code is null order by s.row_no limit 1000`,
    );
    for (const c of badCategory.rows) {
      issues.add(c.row_no, cols.category?.letter ?? null, `服务类别 ${c.category_code} 不存在`, `unknown category ${c.category_code}`);
    }
    await dropBadRows(db, 'stg_cat_item', issues);
    await dropBadRows(db, 'stg_cat_link', issues);
    if (issues.count > 0 && !ctx.options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    const ins = await db.query(
      `insert into item (code, code_system, name, name_en, unit, category_code, relative_value, tech_difficulty, risk_level, hr_time,
                         note, batch_id)
       select code, code_system, name, name_en, unit, category_code, relative_value, tech_difficulty, risk_level, hr_time, note, $1
         from stg_cat_item
       on conflict (code) do update set code_system = excluded.code_system, name = excluded.name, name_en = excluded.name_en,
         unit = excluded.unit, category_code = excluded.category_code, relative_value = excluded.relative_value,
         tech_difficulty = excluded.tech_difficulty, risk_level = excluded.risk_level, hr_time = excluded.hr_time,
         note = excluded.note, batch_id = excluded.batch_id`,
      [ctx.batchId],
    );
    const xw = await db.query(
      `insert into code_crosswalk (from_code, from_system, to_code, to_system, batch_id)
       select from_code, from_system, to_code, to_system, $1 from stg_cat_link
       on conflict (from_code, to_code) do update set from_system = excluded.from_system, to_system = excluded.to_system,
         batch_id = excluded.batch_id`,
      [ctx.batchId],
    );
    const bySystem = await db.query(`select code_system, count(*)::int as n from stg_cat_item group by 1 order by 1`);
    return {
      rowsRead,
      rowsLoaded: ins.rowCount ?? 0,
      details: {
        crosswalk: xw.rowCount ?? 0,
        groupRows: parents,
        codeSystems: Object.fromEntries(bySystem.rows.map((r) => [r.code_system, r.n])),
      },
    };
  },
};
