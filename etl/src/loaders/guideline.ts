import path from 'node:path';
import type { PoolClient } from 'pg';
import { copyRows } from '../copy';
import { LoadAbort } from '../issues';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import { dropBadRows, duplicateTracker } from './common';

type Key = 'seq' | 'code' | 'name' | 'output' | 'composition' | 'addons' | 'extensions' | 'unit' | 'note';

const COLUMNS = [
  { key: 'seq', names: ['序号', '编号'], required: true },
  { key: 'code', names: ['项目编码', '价格项目编码'] },
  { key: 'name', names: ['项目名称', '价格项目名称'], required: true },
  { key: 'output', names: ['服务产出', '项目内涵'], required: true },
  { key: 'composition', names: ['价格构成'] },
  { key: 'addons', names: ['加收项', '加收项目'] },
  { key: 'extensions', names: ['扩展项', '扩展项目'] },
  { key: 'unit', names: ['计价单位', '单位'], required: true },
  { key: 'note', names: ['计价说明', '说明', '备注'] },
] as const;

/** A row that is a note, not an item: its first text begins with 使用说明 / 说明 / 注. */
const NOTE_ROW = /^(使用说明|说明|注|备注)\s*[:：\s0-9１-９一（(]/u;

/** Mappings of a replaced guideline batch, kept (by item name) for the new version; see remove(). */
const KEPT = 'stg_guideline_kept_mapping';

/** The batch name from the title rows: the first one, without an `附件1` label before it. */
export function batchNameOf(titleRows: readonly string[]): string | null {
  for (const t of titleRows) {
    const s = t.replace(/^附件\s*\d*\s*[:：]?\s*/u, '').trim();
    if (s) return s;
  }
  return null;
}

/** The first `2024年8月` (or `2024年8月15日`) of the title rows, as a date. */
export function batchDateOf(titleRows: readonly string[]): string | null {
  for (const t of titleRows) {
    const m = /(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?/u.exec(t);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1990 || y > 2100) continue;
    return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return null;
}

function issuerOf(titleRows: readonly string[]): string | null {
  for (const t of titleRows) {
    const m = /(国家医疗保障局|国家医保局|[\p{Script=Han}]{2,12}医疗保障局)/u.exec(t);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * 立项指南 附件1: one guideline batch per file. The first title row names the batch (guideline_batch.name, unique),
 * a date in the title rows (`2024年8月`) is its publication date unless --batch-date is given; a trailing
 * 使用说明 row is a note. 序号 is a unique whole number, 项目名称 unique within the batch; 服务产出 and 计价单位 are
 * required. A changed file replaces its batch: the old guideline_batch row goes (items and mappings cascade) and the
 * mappings of items whose name is still in the new version are attached to the new items.
 */
export const guidelineLoader: Loader<Key> = {
  kind: 'guideline',
  analyze: () => ['guideline_batch', 'guideline_item', 'guideline_mapping'],
  columns: COLUMNS as unknown as Loader<Key>['columns'],
  headerRows: 1,

  async remove(db: PoolClient, batchId: number) {
    await db.query(`create temp table ${KEPT} (item_name text, mapping_type text, source_system text, source_code text,
      source_name text, batch_id bigint) on commit drop`);
    await db.query(
      `insert into ${KEPT}
       select gi.name, m.mapping_type, m.source_system, m.source_code, m.source_name, m.batch_id
         from guideline_mapping m join guideline_item gi on gi.id = m.guideline_item_id
         join guideline_batch gb on gb.id = gi.guideline_batch_id
        where gb.batch_id = $1`,
      [batchId],
    );
    await db.query('delete from guideline_batch where batch_id = $1', [batchId]);
  },

  async load(ctx: LoadContext<Key>): Promise<LoaderResult> {
    const { cols, issues, parse, table, db, options } = ctx;
    const name = batchNameOf(table.titleRows) ?? path.basename(ctx.file).replace(/\.[^.]+$/, '');
    const publishedOn = options.batchDate ?? batchDateOf(table.titleRows);

    const rows: unknown[][] = [];
    const dupSeq = duplicateTracker(issues);
    const dupName = duplicateTracker(issues);
    let rowsRead = 0;
    let notes = 0;
    for await (const { rowNo, cells } of table.rows()) {
      const first = cells.find((c) => c !== null) ?? '';
      if (NOTE_ROW.test(first + ' ') && !/^\d+$/.test(cell(cells, cols.seq) ?? '')) {
        notes++;
        continue;
      }
      rowsRead++;
      const at = (k: Key) => refOf(cols[k], rowNo);
      const seq = parse.integer(cell(cells, cols.seq), at('seq'), true, 1, 1_000_000);
      const itemName = parse.text(cell(cells, cols.name), at('name'), true);
      const output = parse.text(cell(cells, cols.output), at('output'), true);
      const unit = parse.text(cell(cells, cols.unit), at('unit'), true);
      if (seq === undefined || seq === null || !itemName || !output || !unit) continue;
      const d1 = dupSeq(String(seq), rowNo, at('seq').column, `序号 ${seq} `);
      const d2 = dupName(itemName.replace(/\s+/gu, ''), rowNo, at('name').column, `项目名称“${itemName}”`);
      if (d1 || d2) continue;
      rows.push([rowNo, seq, cell(cells, cols.code), itemName, output, cell(cells, cols.composition), cell(cells, cols.addons),
        cell(cells, cols.extensions), unit, cell(cells, cols.note)]);
    }

    await db.query(`create temp table stg_guideline (row_no int, seq int, code text, name text, service_output text,
      price_composition text, addons text, extensions text, unit text, pricing_note text) on commit drop`);
    await copyRows(db, 'stg_guideline', ['row_no', 'seq', 'code', 'name', 'service_output', 'price_composition', 'addons', 'extensions',
      'unit', 'pricing_note'], rows);

    const taken = await db.query(
      `select gb.id, gb.batch_id, b.file_name from guideline_batch gb left join load_batch b on b.id = gb.batch_id where gb.name = $1`,
      [name],
    );
    let fatal = false;
    if (taken.rowCount) {
      fatal = true;
      const t = taken.rows[0];
      issues.fatal(
        `立项指南批次“${name}”已由批次 #${t.batch_id ?? '?'}（${t.file_name ?? ''}）导入；修改后的文件请用相同文件名重新导入以替换`,
        `guideline batch "${name}" is already loaded by batch ${t.batch_id}; load the changed file under the same name to replace it`,
      );
    }
    if (rowsRead === 0 && issues.count === 0) {
      fatal = true;
      issues.fatal('立项指南中没有项目行', 'the guideline has no item rows');
    }
    await dropBadRows(db, 'stg_guideline', issues);
    // A problem of the whole file stops the load even with --skip-invalid (nothing to keep row by row).
    if (fatal && options.skipInvalid) throw new LoadAbort(issues.items[issues.items.length - 1]!);
    if (issues.count > 0 && !options.skipInvalid) return { rowsRead, rowsLoaded: 0 };

    const gb = await db.query(
      `insert into guideline_batch (name, published_on, issuer, batch_id) values ($1, $2, $3, $4) returning id`,
      [name, publishedOn, issuerOf(table.titleRows), ctx.batchId],
    );
    const guidelineBatchId = Number(gb.rows[0].id);
    const ins = await db.query(
      `insert into guideline_item (guideline_batch_id, seq, code, name, service_output, price_composition, addons, extensions, unit,
                                   pricing_note)
       select $1, seq, code, name, service_output, price_composition, addons, extensions, unit, pricing_note
         from stg_guideline order by seq`,
      [guidelineBatchId],
    );

    // A replaced version: attach the kept mappings to the items of the same name.
    let mappingsKept = 0;
    let mappingsDropped = 0;
    const kept = await db.query(`select to_regclass('pg_temp.${KEPT}') is not null as has`);
    if (kept.rows[0].has) {
      const re = await db.query(
        `insert into guideline_mapping (guideline_item_id, mapping_type, source_system, source_code, source_name, batch_id)
         select gi.id, k.mapping_type, k.source_system, k.source_code, k.source_name, k.batch_id
           from ${KEPT} k join guideline_item gi on gi.guideline_batch_id = $1
            and regexp_replace(gi.name, '\\s+', '', 'g') = regexp_replace(k.item_name, '\\s+', '', 'g')
         on conflict do nothing`,
        [guidelineBatchId],
      );
      mappingsKept = re.rowCount ?? 0;
      const total = await db.query(`select count(*)::int as n from ${KEPT}`);
      mappingsDropped = total.rows[0].n - mappingsKept;
      await db.query(`drop table ${KEPT}`);
    }
    return {
      rowsRead,
      rowsLoaded: ins.rowCount ?? 0,
      details: { guidelineBatch: name, guidelineBatchId, publishedOn, noteRows: notes, mappingsKept, mappingsDropped },
    };
  },
};
