import type { PoolClient } from 'pg';
import { copyRows } from '../copy';
import { LoadAbort } from '../issues';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import { codeFormatProblem, normalizeCode, splitList } from './catalogue';
import { dropBadRows, duplicateTracker } from './common';

type Key = 'seq' | 'gname' | 'gtype' | 'nhsaCode' | 'nhsaName' | 'specCode' | 'specName' | 'legacyCode' | 'legacyName';

const G_GUIDE = ['立项指南', '立项指南项目', '价格项目立项指南', '新价格项目', '立项指南价格项目'];
const G_NHSA = ['医保医疗服务项目', '医保医疗服务项目分类与代码', '国家医保医疗服务项目', '医保项目'];
const G_SPEC = ['全国医疗服务项目技术规范（2023年版）', '全国医疗服务项目技术规范', '医疗服务项目技术规范（2023年版）', '技术规范（2023年版）', '技术规范', '2023版技术规范'];
const G_LEGACY = ['原价格项目', '原医疗服务价格项目', '现行价格项目', '原项目'];
const CODE = ['项目编码', '编码', '项目代码', '代码'];
const NAME = ['项目名称', '名称'];

const COLUMNS = [
  { key: 'seq', names: ['序号'] },
  { key: 'gname', names: ['项目名称', '价格项目名称', '名称'], group: G_GUIDE, required: true },
  { key: 'gtype', names: ['项目类型', '类型', '映射类型'], group: G_GUIDE },
  { key: 'gtype', names: ['项目类型', '映射类型'] },
  { key: 'nhsaCode', names: CODE, group: G_NHSA },
  { key: 'nhsaName', names: NAME, group: G_NHSA },
  { key: 'specCode', names: CODE, group: G_SPEC },
  { key: 'specName', names: NAME, group: G_SPEC },
  { key: 'legacyCode', names: CODE, group: G_LEGACY },
  { key: 'legacyName', names: NAME, group: G_LEGACY },
] as const;

type MappingType = 'main' | 'addon' | 'extension';
type SourceSystem = 'nhsa15' | 'nhc2023' | 'legacy';

/** 主项目 / 加收项 / 扩展项 (and short forms) → main / addon / extension; blank → main; null when unknown. */
export function mappingTypeOf(v: string | null): MappingType | null {
  if (v === null || v === '') return 'main';
  const t = v.replace(/\s/g, '');
  if (/^(主项目|主项|主要项目|main)$/i.test(t)) return 'main';
  if (/^(加收项|加收项目|加收|addon)$/i.test(t)) return 'addon';
  if (/^(扩展项|扩展项目|扩展|extension)$/i.test(t)) return 'extension';
  return null;
}

const GROUPS: { code: Key; name: Key; system: SourceSystem; format: 'nhsa' | 'spec' | 'legacy'; label: string }[] = [
  { code: 'nhsaCode', name: 'nhsaName', system: 'nhsa15', format: 'nhsa', label: '医保医疗服务项目' },
  { code: 'specCode', name: 'specName', system: 'nhc2023', format: 'spec', label: '全国医疗服务项目技术规范（2023年版）' },
  { code: 'legacyCode', name: 'legacyName', system: 'legacy', format: 'legacy', label: '原价格项目' },
];

/** Normalised item name for matching: no whitespace. The same expression is used in SQL. */
const NAME_KEY_SQL = (expr: string) => `regexp_replace(${expr}, '[[:space:]\u3000]+', '', 'g')`;

/**
 * 立项指南 附件2 映射关系表: each row names a guideline item (it must exist in a loaded guideline batch; with
 * --guideline-batch in that batch, else the name must be unique across batches), its 项目类型 and the old items
 * mapped onto it, by NHSA 15-digit code, 2023 specification code and/or legacy 9-digit code. A cell may hold several
 * codes (whitespace, 、 or ;) and then as many names. A row with no code at all is a new item without predecessor.
 */
export const mappingLoader: Loader<Key> = {
  kind: 'mapping',
  analyze: () => ['guideline_mapping'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 'auto',

  async remove(db: PoolClient, batchId: number) {
    await db.query('delete from guideline_mapping where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db, options } = ctx;
    const headerRow = table.headerRowNumbers[table.headerRowNumbers.length - 1] ?? null;
    if (!cols.nhsaCode && !cols.specCode && !cols.legacyCode) {
      issues.add(headerRow, null,
        '缺少编码列：至少需要“医保医疗服务项目/项目编码”“全国医疗服务项目技术规范（2023年版）/项目编码”“原价格项目/项目编码”之一',
        'missing code columns: at least one of the NHSA, 2023 specification or legacy code columns is required');
      return { rowsRead: 0, rowsLoaded: 0 };
    }

    // The guideline batch named by --guideline-batch must exist.
    const wanted = options.guidelineBatch ?? null;
    if (wanted) {
      const gb = await db.query('select id from guideline_batch where name = $1', [wanted]);
      if (!gb.rowCount) {
        const all = await db.query('select name from guideline_batch order by id');
        const list = all.rows.map((r) => r.name).join('、') || '无';
        issues.fatal(`立项指南批次“${wanted}”不存在（--guideline-batch；已导入的批次：${list}）`,
          `guideline batch "${wanted}" not found (--guideline-batch)`);
        if (options.skipInvalid) throw new LoadAbort(issues.items[issues.items.length - 1]!);
        return { rowsRead: 0, rowsLoaded: 0 };
      }
    }

    const names: unknown[][] = [];
    const maps: unknown[][] = [];
    const dup = duplicateTracker(issues);
    let rowsRead = 0;
    for await (const { rowNo, cells } of table.rows()) {
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const gname = parse.text(cell(cells, cols.gname), at('gname'), true);
      const rawType = cell(cells, cols.gtype);
      const type = mappingTypeOf(rawType);
      let bad = !gname;
      if (!type) {
        issues.add(rowNo, at('gtype').column, `项目类型“${rawType}”无效（应为主项目、加收项或扩展项）`,
          `unknown mapping type "${rawType}" (expected 主项目 / 加收项 / 扩展项)`);
        bad = true;
      }
      const rowMaps: [SourceSystem, string, string | null][] = [];
      for (const g of GROUPS) {
        const codes = splitList(cell(cells, cols[g.code])).map(normalizeCode);
        if (codes.length === 0) continue;
        const nameCell = cell(cells, cols[g.name]);
        const parts = splitList(nameCell);
        const nameOf = (i: number): string | null =>
          codes.length === 1 ? nameCell : parts.length === codes.length ? parts[i]! : null;
        codes.forEach((c, i) => {
          const p = codeFormatProblem(c, g.format);
          if (p) {
            issues.add(rowNo, at(g.code).column, p.zh, p.en);
            bad = true;
          } else rowMaps.push([g.system, c, nameOf(i)]);
        });
      }
      if (bad || !gname || !type) continue;
      let dupRow = false;
      for (const [system, code] of rowMaps) {
        const key = `${gname.replace(/\s+/gu, '')}|${type}|${system}|${code}`;
        if (dup(key, rowNo, cols[GROUPS.find((g) => g.system === system)!.code]?.letter ?? null, `映射（${gname} ← ${code}）`)) dupRow = true;
      }
      if (dupRow) continue;
      names.push([rowNo, gname]);
      for (const [system, code, name] of rowMaps) maps.push([rowNo, type, system, code, name]);
      if (rowsRead % 5000 === 0) options.onProgress?.(rowsRead, null);
    }

    await db.query(`create temp table stg_map_row (row_no int, gname text, guideline_item_id bigint) on commit drop`);
    await db.query(`create temp table stg_map (row_no int, mapping_type text, source_system text, source_code text, source_name text)
      on commit drop`);
    await copyRows(db, 'stg_map_row', ['row_no', 'gname'], names);
    await copyRows(db, 'stg_map', ['row_no', 'mapping_type', 'source_system', 'source_code', 'source_name'], maps);

    // Resolve each guideline item name: exactly one item in the chosen batch (or across all batches).
    const resolved = await db.query(
      `with cand as (
         select s.row_no, s.gname, gi.id, gb.name as batch_name
           from stg_map_row s
           left join (guideline_item gi join guideline_batch gb on gb.id = gi.guideline_batch_id and ($1::text is null or gb.name = $1))
             on ${NAME_KEY_SQL('gi.name')} = ${NAME_KEY_SQL('s.gname')}
       )
       select row_no, gname, count(id)::int as n, min(id) as id, string_agg(batch_name, '、' order by batch_name) as batches
         from cand group by row_no, gname order by row_no`,
      [wanted],
    );
    const ok: [number, string][] = [];
    for (const r of resolved.rows) {
      if (r.n === 1) ok.push([r.row_no, r.id]);
      else if (r.n === 0) {
        issues.add(r.row_no, cols.gname?.letter ?? null,
          wanted
            ? `立项指南批次“${wanted}”中没有项目“${r.gname}”`
            : `立项指南中没有项目“${r.gname}”（请先导入立项指南附件1，或用 --guideline-batch 指定批次）`,
          `guideline item "${r.gname}" not found${wanted ? ` in batch "${wanted}"` : ''}`);
      } else {
        issues.add(r.row_no, cols.gname?.letter ?? null,
          `项目“${r.gname}”在多个立项指南批次中出现（${r.batches}），请用 --guideline-batch 指定批次`,
          `guideline item "${r.gname}" is in several batches; pass --guideline-batch`);
      }
    }
    if (ok.length > 0) {
      await db.query(
        `update stg_map_row s set guideline_item_id = x.id::bigint
           from unnest($1::int[], $2::bigint[]) as x(row_no, id) where x.row_no = s.row_no`,
        [ok.map((o) => o[0]), ok.map((o) => o[1])],
      );
    }
    const clash = await db.query(
      `select m.row_no, m.source_code, s.gname, g.batch_id, b.file_name
         from stg_map m join stg_map_row s using (row_no)
         join guideline_mapping g on g.guideline_item_id = s.guideline_item_id and g.source_system = m.source_system
          and g.source_code = m.source_code and g.mapping_type = m.mapping_type
         left join load_batch b on b.id = g.batch_id
        order by m.row_no limit 1000`,
    );
    for (const c of clash.rows) {
      issues.add(c.row_no, null, `映射（${c.gname} ← ${c.source_code}）已由批次 #${c.batch_id ?? '?'}（${c.file_name ?? ''}）导入`,
        `mapping ${c.gname} <- ${c.source_code} already loaded by batch ${c.batch_id}`);
    }
    await dropBadRows(db, 'stg_map_row', issues);
    await dropBadRows(db, 'stg_map', issues);
    if (issues.count > 0 && !options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    const ins = await db.query(
      `insert into guideline_mapping (guideline_item_id, mapping_type, source_system, source_code, source_name, batch_id)
       select s.guideline_item_id, m.mapping_type, m.source_system, m.source_code, m.source_name, $1
         from stg_map m join stg_map_row s using (row_no)
        where s.guideline_item_id is not null
        order by m.row_no`,
      [ctx.batchId],
    );
    const loadedRows = await db.query('select count(*)::int as n from stg_map_row where guideline_item_id is not null');
    const bySystem = await db.query('select source_system, count(*)::int as n from stg_map group by 1 order by 1');
    return {
      rowsRead,
      rowsLoaded: loadedRows.rows[0].n,
      details: {
        mappings: ins.rowCount ?? 0,
        bySystem: Object.fromEntries(bySystem.rows.map((r) => [r.source_system, r.n])),
        guidelineBatch: wanted,
      },
    };
  },
};
