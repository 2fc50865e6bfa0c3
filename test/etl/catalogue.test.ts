import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { categoryOfText } from '../../etl/src/loaders/catalogue';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv, writeXlsx } from '../support/etl';

const REF = path.resolve(__dirname, '../../data/reference/cn-msi-catalog');
const HEAD = ['项目编码', '项目名称', '计价单位', '分类', '人力资源消耗相对值', '技术难度', '风险程度', '基本人力消耗及耗时', '说明', '2012版编码', '2001版编码'];
type Row = (string | number | null)[];

function tsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(path.join(REF, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = head!.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v.trim()])));
}

/**
 * The real chapter A of the 2023 specification in the catalogue layout: section rows (A, AA, AAA, AAAA-AAAD …) as
 * in the crosswalk, one row per 2023 item with its 2012 and 2001 codes (continuation rows of the crosswalk folded in).
 */
function chapterA(): { rows: Row[]; items: Map<string, { c2012: string[]; c2001: string[] }> } {
  const spec = new Map(tsv('nhc_2023_tech_spec_chapterA_excerpt.tsv').map((r) => [r.item_code!, r]));
  const rows: Row[] = [];
  const items = new Map<string, { c2012: string[]; c2001: string[]; row: Row }>();
  let anchor: { c2012: string[]; c2001: string[]; row: Row } | null = null;
  for (const r of tsv('code_crosswalk_2023_2012_2001_chapterA.tsv')) {
    const c23 = r.code_2023 ?? '';
    if (c23 && !/^[A-Z]{4}\d{4}$/.test(c23)) {
      rows.push([c23, r.name_2023 ?? '', null, null, null, null, null, null, null, null, null]);
      anchor = null;
      continue;
    }
    if (c23) {
      let it = items.get(c23);
      if (!it) {
        const s = spec.get(c23);
        const row: Row = [c23, s?.item_name || r.name_2023 || '', s?.unit || null, s?.cat_name || null, s?.hr_value ? Number(s.hr_value) : null,
          s?.tech_difficulty ? Number(s.tech_difficulty) : null, s?.risk_level ? Number(s.risk_level) : null, s?.hr_time || null, s?.remark || null, null, null];
        it = { c2012: [], c2001: [], row };
        items.set(c23, it);
        rows.push(row);
      }
      if (r.code_2012 && !it.c2012.includes(r.code_2012)) it.c2012.push(r.code_2012);
      if (r.code_2001 && !it.c2001.includes(r.code_2001)) it.c2001.push(r.code_2001);
      anchor = it;
    } else if (!r.code_2012 && r.code_2001 && anchor) {
      if (!anchor.c2001.includes(r.code_2001)) anchor.c2001.push(r.code_2001);
    } else anchor = null;
  }
  for (const it of items.values()) {
    it.row[9] = it.c2012.join(' ') || null;
    it.row[10] = it.c2001.join(' ') || null;
  }
  return { rows, items };
}

describe('catalogue loader', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir();
  });

  it('maps 分类 texts, chapter paths and section names onto the service categories', () => {
    expect(categoryOfText('一、综合医疗 > (一)一般医疗服务 > 1.诊察')).toBe('general');
    expect(categoryOfText('一、综合医疗 > (三)护理 > 2.专项护理')).toBe('nursing');
    expect(categoryOfText('超声检查')).toBe('ultrasound');
    expect(categoryOfText('临床各系统诊疗')).toBe('clinical');
    expect(categoryOfText('经血管介入诊疗')).toBe('interventional');
    expect(categoryOfText('放射治疗')).toBe('radiotherapy');
    expect(categoryOfText('实验室诊查')).toBe('lab');
    expect(categoryOfText('中医医疗')).toBe('tcm');
    expect(categoryOfText('surgery')).toBe('surgery');
    expect(categoryOfText('其他')).toBeNull();
  });

  it('loads the real chapter A of the 2023 specification (xlsx, section rows, crosswalk to 2012 and 2001 codes)', async () => {
    const { rows, items } = chapterA();
    const f = await writeXlsx(path.join(dir, 'spec-2023-a.xlsx'), [['全国医疗服务项目技术规范（2023年版）A章节选'], HEAD, ...rows], ['A1:K1']);
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('catalogue');
    expect(s.rowsLoaded).toBe(items.size);
    expect(items.size).toBe(167);
    expect(s.details).toMatchObject({ codeSystems: { nhc2023: 167 } });
    const r = await db().pool.query(
      `select code, code_system, name, unit, category_code, relative_value::text rv, tech_difficulty::text td, risk_level::text rl, hr_time
         from item where code in ('AAAA0001', 'ACAA0001', 'ACAD0001', 'ABMA0001') order by code`,
    );
    expect(r.rows).toEqual([
      { code: 'AAAA0001', code_system: 'nhc2023', name: '普通门诊诊察', unit: '次', category_code: 'general', rv: '33.10', td: '43.00', rl: '57.00', hr_time: '医1，平均耗时20分钟' },
      expect.objectContaining({ code: 'ABMA0001', category_code: 'general' }),
      expect.objectContaining({ code: 'ACAA0001', name: 'Ⅲ级护理', category_code: 'nursing' }),
      expect.objectContaining({ code: 'ACAD0001', name: '特级护理', category_code: 'nursing' }),
    ]);
    // crosswalk: 普通门诊诊察 ← 普通门诊诊查费 and 挂号费 (a continuation row), 抢救 ← 大/中/小抢救
    const x = await db().pool.query(
      `select from_code, to_code, to_system from code_crosswalk where from_code in ('AAAA0001', 'ABMA0001') order by 1, 2`,
    );
    expect(x.rows).toEqual([
      { from_code: 'AAAA0001', to_code: '110100001', to_system: 'legacy2001' },
      { from_code: 'AAAA0001', to_code: '110200001', to_system: 'legacy2001' },
      { from_code: 'AAAA0001', to_code: 'AAAA0001', to_system: 'nhc2012' },
      { from_code: 'ABMA0001', to_code: '120200001', to_system: 'legacy2001' },
      { from_code: 'ABMA0001', to_code: '120200002', to_system: 'legacy2001' },
      { from_code: 'ABMA0001', to_code: '120200003', to_system: 'legacy2001' },
      { from_code: 'ABMA0001', to_code: 'ABMA0001', to_system: 'nhc2012' },
    ]);
    // items only in the crosswalk have no 分类: their section rows give the category
    const noCat = await db().pool.query(`select count(*)::int n from item where code_system = 'nhc2023' and category_code is null`);
    expect(noCat.rows[0].n).toBe(0);
    const before = await snapshot(db().pool);
    expect((await loadFile(db().pool, f, etlOptions())).status).toBe('unchanged');
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('loads a GBK csv of legacy and NHSA codes; updates an item another file loaded; legacy categories follow the code', async () => {
    const head = ['项目编码', '项目名称', '计价单位', '分类', '说明', '2023版编码', '目录版本', '2001版编码'];
    const f = writeCsv(path.join(dir, 'legacy.csv'), [
      head,
      ['1', '综合医疗服务类', null, null, null, null, null, null],
      ['110200001', '普通门诊诊查费', '次', '综合医疗服务', '含挂号', 'AAAA0001', '2001版', null],
      ['250101001', '血常规', '次', '综合医疗服务', null, null, '2001版', null],
      ['120100006a', '特殊疾病护理（严密隔离）', '日', '综合医疗服务', null, 'ACBD0002、ACBD0003', '2001版', null],
      ['003107010010000', '常规心电图检查', '次', null, null, null, '医保版', '310701001'],
    ], { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.rowsLoaded).toBe(4);
    const r = await db().pool.query(`select code, code_system, category_code, note from item where code_system <> 'nhc2023' order by code`);
    expect(r.rows).toEqual([
      { code: '003107010010000', code_system: 'nhsa15', category_code: 'clinical', note: null },
      { code: '110200001', code_system: 'legacy2001', category_code: 'general', note: '含挂号' },
      { code: '120100006a', code_system: 'legacy2001', category_code: 'nursing', note: null },
      { code: '250101001', code_system: 'legacy2001', category_code: 'lab', note: null },
    ]);
    const x = await db().pool.query(
      `select from_code, from_system, to_code, to_system from code_crosswalk where batch_id = $1 order by 1, 3`, [s.batchId],
    );
    expect(x.rows).toEqual([
      { from_code: '003107010010000', from_system: 'nhsa15', to_code: '310701001', to_system: 'legacy2001' },
      { from_code: 'AAAA0001', from_system: 'nhc2023', to_code: '110200001', to_system: 'legacy2001' },
      { from_code: 'ACBD0002', from_system: 'nhc2023', to_code: '120100006a', to_system: 'legacy2001' },
      { from_code: 'ACBD0003', from_system: 'nhc2023', to_code: '120100006a', to_system: 'legacy2001' },
    ]);

    // another file with an already loaded code updates it (reference data) and takes the item over
    const g = writeCsv(path.join(dir, 'legacy-2.csv'), [head, ['250101001', '血细胞分析', '项', '检验', null, null, null, null]]);
    const s2 = await loadFile(db().pool, g, etlOptions());
    expect(s2.status, JSON.stringify(s2.errors)).toBe('loaded');
    const u = await db().pool.query(`select name, unit, batch_id from item where code = '250101001'`);
    expect(u.rows).toEqual([{ name: '血细胞分析', unit: '项', batch_id: String(s2.batchId) }]);
  });

  it('replaces the items of its previous version', async () => {
    const head = ['项目编码', '项目名称', '计价单位', '2001版编码'];
    const f = writeCsv(path.join(dir, 'replace.csv'), [head, ['ZZZA0001', '测试项目一', '次', '999000001'], ['ZZZA0002', '测试项目二', '次', null]]);
    const first = await loadFile(db().pool, f, etlOptions());
    expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
    writeCsv(f, [head, ['ZZZA0001', '测试项目一（修订）', '次', null]]);
    const second = await loadFile(db().pool, f, etlOptions());
    expect(second.replacedBatchId).toBe(first.batchId);
    const r = await db().pool.query(`select code, name from item where code like 'ZZZA%' order by code`);
    expect(r.rows).toEqual([{ code: 'ZZZA0001', name: '测试项目一（修订）' }]);
    const x = await db().pool.query(`select count(*)::int n from code_crosswalk where from_code like 'ZZZA%'`);
    expect(x.rows[0].n).toBe(0);
  });

  describe('rejects malformed files and writes nothing', () => {
    const bad = (name: string, rows: Row[]) => writeCsv(path.join(dir, name), [HEAD, ...rows]);
    const ok: Row = ['AAAA0001', '普通门诊诊察', '次', '综合医疗', 33.1, 43, 57, '医1', null, 'AAAA0001', '110200001'];

    it('relative value that is not a number', () =>
      expectRejected(db().pool, bad('rv.csv', [['AAAA0001', '普通门诊诊察', '次', '综合医疗', 'abc', 43, 57, null, null, null, null]]), {},
        /“人力资源消耗相对值”不是数字：abc/, 'rv.csv:2:5'));
    it('risk level above 100', () =>
      expectRejected(db().pool, bad('risk.csv', [['AAAA0001', '普通门诊诊察', '次', '综合医疗', 33.1, 43, 157, null, null, null, null]]), {},
        /“风险程度”应为 0–100 之间的数值：157/, 'risk.csv:2:7'));
    it('an item code of no known format', () =>
      expectRejected(db().pool, bad('code.csv', [['AAAA00011', '普通门诊诊察', '次', null, null, null, null, null, null, null, null]]), {},
        /项目编码格式无法识别：AAAA00011/, 'code.csv:2:1'));
    it('a 2001 code of eight digits', () =>
      expectRejected(db().pool, bad('c2001.csv', [['AAAA0001', '普通门诊诊察', '次', null, null, null, null, null, null, null, '11020000 110100001']]), {},
        /原价格项目编码应为9位数字.*11020000/, 'c2001.csv:2:11'));
    it('a category that matches none', () =>
      expectRejected(db().pool, bad('cat.csv', [['AAAA0001', '普通门诊诊察', '次', '行政后勤', null, null, null, null, null, null, null]]), {},
        /分类“行政后勤”无法对应到服务类别/, 'cat.csv:2:4'));
    it('a duplicate item code', () =>
      expectRejected(db().pool, bad('dup.csv', [ok, ok]), {}, /项目编码 AAAA0001 重复（与第 2 行相同）/, 'dup.csv:3:1'));
    it('a code already loaded under another code system', async () => {
      // 2012-edition rows reuse the 8-character format; AAAC0001 is a different 2023 item
      const f = writeCsv(path.join(dir, 'e2012.csv'), [['项目编码', '项目名称', '计价单位', '目录版本'], ['AAAC0001', '门/急诊留观诊察费', '日', '2012版']]);
      await expectRejected(db().pool, f, {}, /项目编码 AAAC0001 已作为 nhc2023 编码由批次 #\d+（spec-2023-a\.xlsx）导入/, 'e2012.csv:2:1');
    });
  });
});
