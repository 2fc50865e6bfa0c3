import { copyRows } from '../copy';
import { cell, LoadContext, Loader, LoaderResult, refOf } from '../loader';
import { dropBadRows, duplicateTracker, REGION_COLUMN, reportUnknownRegions, rowRegion } from './common';

type Key = 'code' | 'name' | 'region' | 'level' | 'ownership' | 'type' | 'beds';

/** 医疗机构: code, name, region, level (三级/二级/一级), ownership (公立/非公立), type, beds. */
export const institutionsLoader: Loader<Key> = {
  kind: 'institutions',
  analyze: () => ['institution'],
  columns: [
    { key: 'code', names: ['机构编码', '医疗机构编码', '定点医药机构编码', '医院编码'], required: true },
    { key: 'name', names: ['机构名称', '医疗机构名称', '医院名称'], required: true },
    REGION_COLUMN,
    { key: 'level', names: ['医院等级', '机构等级', '等级'], required: true },
    { key: 'ownership', names: ['经营性质', '所有制', '举办性质'], required: true },
    { key: 'type', names: ['机构类别', '类别', '医院类型'] },
    { key: 'beds', names: ['床位数', '编制床位', '实有床位'] },
  ],
  headerRows: 1,

  async remove(db, batchId) {
    await db.query('delete from institution where batch_id = $1', [batchId]);
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
      const code = parse.text(cell(cells, cols.code), at('code'), true);
      const name = parse.text(cell(cells, cols.name), at('name'), true);
      const region = rowRegion(ctx, cells, rowNo, cols.region);
      const level = parse.level(cell(cells, cols.level), at('level'));
      const own = parse.text(cell(cells, cols.ownership), at('ownership'), true);
      let isPublic: boolean | undefined;
      if (own) {
        if (/^(公立|公办|国有|政府办)/.test(own)) isPublic = true;
        else if (/^(非公立|民营|社会办|私立|非公)/.test(own)) isPublic = false;
        else issues.add(rowNo, at('ownership').column, `经营性质“${own}”无效（应为公立或非公立）`, 'ownership must be 公立 or 非公立');
      }
      const beds = parse.integer(cell(cells, cols.beds), at('beds'), false, 0, 100000);
      if (!code || !name || !region || !level || isPublic === undefined || beds === undefined) continue;
      if (dup(`${region}|${code}`, rowNo, at('code').column, `机构编码 ${code} `)) continue;
      regions.add(region);
      rows.push([rowNo, region, code, name, level, isPublic, cell(cells, cols.type), beds]);
    }
    await db.query(`create temp table stg_inst (row_no int, region_code text, code text, name text, hospital_level smallint,
      is_public boolean, type text, beds int) on commit drop`);
    await copyRows(db, 'stg_inst', ['row_no', 'region_code', 'code', 'name', 'hospital_level', 'is_public', 'type', 'beds'], rows);
    await reportUnknownRegions(db, 'stg_inst', issues, cols.region);
    const clash = await db.query(
      `select s.row_no, s.code, i.batch_id from stg_inst s join institution i on i.region_code = s.region_code and i.code = s.code
        order by s.row_no limit 1000`,
    );
    for (const c of clash.rows) {
      issues.add(c.row_no, cols.code?.letter ?? null, `机构编码 ${c.code} 已由批次 #${c.batch_id} 导入`, `institution ${c.code} already loaded by batch ${c.batch_id}`);
    }
    await dropBadRows(db, 'stg_inst', issues);
    if (issues.count > 0 && !ctx.options.skipInvalid) return { rowsRead, rowsLoaded: 0 };
    const ins = await db.query(
      `insert into institution (region_code, code, name, hospital_level, is_public, type, beds, batch_id)
       select region_code, code, name, hospital_level, is_public, type, beds, $1 from stg_inst`,
      [ctx.batchId],
    );
    return { rowsRead, rowsLoaded: ins.rowCount ?? 0, regionCode: regions.size === 1 ? [...regions][0] : null };
  },
};
