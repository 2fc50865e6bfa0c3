import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mappingTypeOf } from '../../etl/src/loaders/mapping';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv, writeXlsx } from '../support/etl';

type Row = (string | number | null)[];
const G_HEAD = ['序号', '项目名称', '服务产出', '计价单位'];
const NURSING = '护理类医疗服务价格项目立项指南（试行）';
const OTHER = '综合类医疗服务价格项目立项指南（试行）';
const TOP: Row = ['序号', '立项指南', null, '医保医疗服务项目', null, '全国医疗服务项目技术规范（2023年版）', null, '原价格项目', null];
const SUB: Row = [null, '项目名称', '项目类型', '项目编码', '项目名称', '项目编码', '项目名称', '项目编码', '项目名称'];

describe('mapping loader', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(async () => {
    dir = fixtureDir();
    const g1 = writeCsv(path.join(dir, 'nursing-guideline.csv'), [[NURSING], G_HEAD,
      [1, '特级护理费', '特级护理服务', '日'], [2, '隔离护理费', '隔离护理服务', '日'], [3, '吸痰护理费', '吸痰护理', '次'], [4, '安宁疗护费', '安宁疗护', '日']]);
    const g2 = writeCsv(path.join(dir, 'other-guideline.csv'), [[OTHER], G_HEAD, [1, '安宁疗护费', '安宁疗护', '日'], [2, '上门服务费', '上门服务', '次']]);
    for (const f of [g1, g2]) expect((await loadFile(db().pool, f, etlOptions())).status).toBe('loaded');
  });

  it('reads 项目类型', () => {
    expect(mappingTypeOf(null)).toBe('main');
    expect(mappingTypeOf('主项目')).toBe('main');
    expect(mappingTypeOf('加收项')).toBe('addon');
    expect(mappingTypeOf('扩展项')).toBe('extension');
    expect(mappingTypeOf('附加项')).toBeNull();
  });

  it('loads an xlsx with a merged two-level header, several codes per cell and a merged item name', async () => {
    const f = await writeXlsx(path.join(dir, 'nursing-mapping.xlsx'), [
      [`${NURSING}　附件2　映射关系表`],
      TOP,
      SUB,
      [1, '特级护理费', '主项目', '001201000020000', '特级护理', 'ACAD0001', '特级护理', '120100002', '特级护理'],
      [2, '隔离护理费', '主项目', '001201000060000', '特殊疾病护理', 'ACBD0001', '一般传染病护理', '120100006', '特殊疾病护理'],
      [3, '隔离护理费', '扩展项', null, null, 'ACBD0002 ACBD0003', '严密隔离护理 保护性隔离护理', '120100006a', '特殊疾病护理（严密隔离）'],
      [4, '吸痰护理费', null, null, null, 'ABZA0001', '经口鼻吸痰', '120100011', '吸痰护理'],
      [5, null, '加收项', null, null, 'ABZA0002、ABZA0003', '经气管插管吸痰', '120100011a', '吸痰护理（经人工气道加收）'],
    ], ['A1:I1', 'A2:A3', 'B2:C2', 'D2:E2', 'F2:G2', 'H2:I2', 'B7:B8']);
    const s = await loadFile(db().pool, f, etlOptions({ guidelineBatch: NURSING }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('mapping');
    expect(s.rowsLoaded).toBe(5);
    const r = await db().pool.query(
      `select gi.name, m.mapping_type t, m.source_system sys, m.source_code code, m.source_name nm
         from guideline_mapping m join guideline_item gi on gi.id = m.guideline_item_id
        where gi.name in ('隔离护理费', '吸痰护理费') order by gi.name, m.mapping_type, m.source_system, m.source_code`,
    );
    expect(r.rows).toEqual([
      { name: '吸痰护理费', t: 'addon', sys: 'legacy', code: '120100011a', nm: '吸痰护理（经人工气道加收）' },
      // two codes, one name: the names are not paired
      { name: '吸痰护理费', t: 'addon', sys: 'nhc2023', code: 'ABZA0002', nm: null },
      { name: '吸痰护理费', t: 'addon', sys: 'nhc2023', code: 'ABZA0003', nm: null },
      { name: '吸痰护理费', t: 'main', sys: 'legacy', code: '120100011', nm: '吸痰护理' },
      { name: '吸痰护理费', t: 'main', sys: 'nhc2023', code: 'ABZA0001', nm: '经口鼻吸痰' },
      { name: '隔离护理费', t: 'extension', sys: 'legacy', code: '120100006a', nm: '特殊疾病护理（严密隔离）' },
      { name: '隔离护理费', t: 'extension', sys: 'nhc2023', code: 'ACBD0002', nm: '严密隔离护理' },
      { name: '隔离护理费', t: 'extension', sys: 'nhc2023', code: 'ACBD0003', nm: '保护性隔离护理' },
      { name: '隔离护理费', t: 'main', sys: 'legacy', code: '120100006', nm: '特殊疾病护理' },
      { name: '隔离护理费', t: 'main', sys: 'nhc2023', code: 'ACBD0001', nm: '一般传染病护理' },
      { name: '隔离护理费', t: 'main', sys: 'nhsa15', code: '001201000060000', nm: '特殊疾病护理' },
    ]);
    const before = await snapshot(db().pool);
    expect((await loadFile(db().pool, f, etlOptions({ guidelineBatch: NURSING }))).status).toBe('unchanged');
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('loads a GBK csv with two header rows; a name unique across batches needs no --guideline-batch', async () => {
    const f = writeCsv(path.join(dir, 'other-mapping.csv'), [TOP, SUB,
      [1, '上门服务费', '主项目', null, null, 'AAAN0004 AAAN0008', '护理出诊 家庭病床巡诊', '130700001;130600002', '出诊;家庭病床巡诊费'],
      [2, '上门服务费', '主项目', null, null, null, null, '130700002x', '上门服务费']], { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    const r = await db().pool.query(
      `select m.source_code code, m.source_name nm from guideline_mapping m join guideline_item gi on gi.id = m.guideline_item_id
        where gi.name = '上门服务费' order by 1`,
    );
    expect(r.rows).toEqual([
      { code: '130600002', nm: '家庭病床巡诊费' },
      { code: '130700001', nm: '出诊' },
      { code: '130700002x', nm: '上门服务费' },
      { code: 'AAAN0004', nm: '护理出诊' },
      { code: 'AAAN0008', nm: '家庭病床巡诊' },
    ]);
  });

  it('a changed file replaces its mappings', async () => {
    const f = writeCsv(path.join(dir, 'replace.csv'), [TOP, SUB, [1, '特级护理费', '加收项', null, null, null, null, '120100002a', '特级护理加收']]);
    const first = await loadFile(db().pool, f, etlOptions({ guidelineBatch: NURSING }));
    expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
    writeCsv(f, [TOP, SUB, [1, '特级护理费', '加收项', null, null, null, null, '120100002b', '特级护理加收（夜间）']]);
    const second = await loadFile(db().pool, f, etlOptions({ guidelineBatch: NURSING }));
    expect(second.replacedBatchId).toBe(first.batchId);
    const r = await db().pool.query(`select source_code from guideline_mapping where source_code like '120100002_'`);
    expect(r.rows).toEqual([{ source_code: '120100002b' }]);
  });

  describe('rejects malformed files and writes nothing', () => {
    const bad = (name: string, rows: Row[]) => writeCsv(path.join(dir, name), [TOP, SUB, ...rows]);
    const opts = { guidelineBatch: NURSING };

    it('a guideline item that is not in the batch', () =>
      expectRejected(db().pool, bad('unknown.csv', [[1, '特级护理', '主项目', null, null, null, null, '120100002', '特级护理']]), opts,
        /立项指南批次“护理类医疗服务价格项目立项指南（试行）”中没有项目“特级护理”/, 'unknown.csv:3:2'));
    it('a guideline item in no batch at all', () =>
      expectRejected(db().pool, bad('unknown-all.csv', [[1, '脑机接口适配费', '主项目', null, null, null, null, '310000001', 'x']]), {},
        /立项指南中没有项目“脑机接口适配费”/, 'unknown-all.csv:3:2'));
    it('a name in two batches without --guideline-batch', () =>
      expectRejected(db().pool, bad('ambiguous.csv', [[1, '安宁疗护费', '主项目', null, null, null, null, '120100017x', '安宁疗护']]), {},
        /项目“安宁疗护费”在多个立项指南批次中出现/, 'ambiguous.csv:3:2'));
    it('a --guideline-batch that does not exist', () =>
      expectRejected(db().pool, bad('batch.csv', [[1, '特级护理费', '主项目', null, null, null, null, '120100002', '特级护理']]), { guidelineBatch: '不存在的指南' },
        /立项指南批次“不存在的指南”不存在/, 'batch.csv'));
    it('a 15-digit code with 14 digits', () =>
      expectRejected(db().pool, bad('nhsa14.csv', [[1, '特级护理费', '主项目', '00120100002000', '特级护理', null, null, null, null]]), opts,
        /医保医疗服务项目编码应为15位数字：00120100002000（14位）/, 'nhsa14.csv:3:4'));
    it('a 2023 code of the wrong length', () =>
      expectRejected(db().pool, bad('spec.csv', [[1, '特级护理费', '主项目', null, null, 'ACAD00001', '特级护理', null, null]]), opts,
        /技术规范项目编码应为8位字母数字.*ACAD00001/, 'spec.csv:3:6'));
    it('a legacy code with letters inside', () =>
      expectRejected(db().pool, bad('legacy.csv', [[1, '特级护理费', '主项目', null, null, null, null, '12010A002', '特级护理']]), opts,
        /原价格项目编码应为9位数字.*12010A002/, 'legacy.csv:3:8'));
    it('an unknown 项目类型', () =>
      expectRejected(db().pool, bad('type.csv', [[1, '特级护理费', '附加项', null, null, null, null, '120100002', '特级护理']]), opts,
        /项目类型“附加项”无效（应为主项目、加收项或扩展项）/, 'type.csv:3:3'));
    it('the same mapping twice', () =>
      expectRejected(db().pool, bad('dup.csv', [[1, '吸痰护理费', '主项目', null, null, null, null, '120100099', 'x'], [2, '吸痰护理费', '主项目', null, null, null, null, '120100099', 'x']]), opts,
        /映射（吸痰护理费 ← 120100099）重复（与第 3 行相同）/, 'dup.csv:4:8'));
    it('a mapping another file already loaded', () =>
      expectRejected(db().pool, bad('clash.csv', [[1, '特级护理费', '主项目', null, null, null, null, '120100002', '特级护理']]), opts,
        /映射（特级护理费 ← 120100002）已由批次 #\d+（nursing-mapping\.xlsx）导入/, 'clash.csv:3'));
    it('no code column at all', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'nocode.csv'), [['序号', '立项指南', null], [null, '项目名称', '项目类型'], [1, '特级护理费', '主项目']]),
        { ...opts, kind: 'mapping' }, /缺少编码列/, 'nocode.csv:2'));
  });

  it('--skip-invalid loads the rows naming known items; --dry-run writes nothing', async () => {
    const rows = [TOP, SUB, [1, '安宁疗护费', '主项目', null, null, null, null, '120100017x', '安宁疗护'], [2, '不存在的项目', '主项目', null, null, null, null, '120100018x', 'x']];
    const f = writeCsv(path.join(dir, 'mixed.csv'), rows);
    const before = await snapshot(db().pool);
    const dry = await loadFile(db().pool, f, etlOptions({ guidelineBatch: OTHER, skipInvalid: true, dryRun: true }));
    expect(dry.status).toBe('dry-run');
    expect(await snapshot(db().pool)).toEqual(before);
    const s = await loadFile(db().pool, f, etlOptions({ guidelineBatch: OTHER, skipInvalid: true }));
    expect(s.status).toBe('loaded');
    expect([s.rowsLoaded, s.rowsRejected]).toEqual([1, 1]);
    const r = await db().pool.query(
      `select gb.name, m.source_code from guideline_mapping m join guideline_item gi on gi.id = m.guideline_item_id
         join guideline_batch gb on gb.id = gi.guideline_batch_id where m.batch_id = $1`, [s.batchId],
    );
    expect(r.rows).toEqual([{ name: OTHER, source_code: '120100017x' }]);
  });
});

