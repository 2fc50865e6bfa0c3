import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../etl/src/issues';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv, writeXlsx } from '../support/etl';

const HEAD = ['序号', '项目编码', '项目名称', '项目内涵', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）', '计价说明', '医保支付类别'];
const OK_ROWS = [
  [1, '22', '超声检查', null, null, null, null, null, null, null],
  [2, '220301001', '彩色多普勒超声常规检查', '含图文报告', '次', 70, 60, 50, null, '甲类'],
  [3, '220301001a', '彩色多普勒超声常规检查加收', null, '部位', '10.5', 9, '—', null, '乙类'],
];

describe('price-table loader', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir();
  });
  const opts = { region: '320500', effectiveDate: '2022-01-01' };

  it('loads a GBK csv with per-level columns, parent rows and a level not offered', async () => {
    const f = writeCsv(path.join(dir, 'gbk.csv'), [HEAD, ...OK_ROWS], { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions(opts));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.rowsLoaded).toBe(3);
    const prices = await db().pool.query(`select item_code, hospital_level, price_fen from price where region_code = '320500' order by 1, 2 desc`);
    expect(prices.rows).toEqual([
      { item_code: '220301001', hospital_level: 3, price_fen: '7000' },
      { item_code: '220301001', hospital_level: 2, price_fen: '6000' },
      { item_code: '220301001', hospital_level: 1, price_fen: '5000' },
      { item_code: '220301001a', hospital_level: 3, price_fen: '1050' },
      { item_code: '220301001a', hospital_level: 2, price_fen: '900' },
    ]);
    const items = await db().pool.query(`select item_code, is_group, payment_class, category_code from region_item where region_code = '320500' order by 1`);
    expect(items.rows).toEqual([
      { item_code: '22', is_group: true, payment_class: null, category_code: 'ultrasound' },
      { item_code: '220301001', is_group: false, payment_class: '甲', category_code: 'ultrasound' },
      { item_code: '220301001a', is_group: false, payment_class: '乙', category_code: 'ultrasound' },
    ]);
    // the same file again changes nothing
    const before = await snapshot(db().pool);
    const again = await loadFile(db().pool, f, etlOptions(opts));
    expect(again.status).toBe('unchanged');
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('loads an xlsx with title rows and a merged two-level price header', async () => {
    const f = await writeXlsx(path.join(dir, 'xm.xlsx'), [
      ['厦门市医疗服务价格表'],
      ['序号', '项目编码', '项目名称', '计价单位', '价格（元）', null, null, '医保支付类别'],
      [null, null, null, null, '三级', '二级', '一级', null],
      [1, '120100001', '特级护理', '日', 150, 130, 110, '甲'],
    ], ['A1:H1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:D3', 'E2:G2', 'H2:H3']);
    const s = await loadFile(db().pool, f, etlOptions({ region: '350200', effectiveDate: '2023-01-01' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    const r = await db().pool.query(`select hospital_level, price_fen from price where region_code = '350200' order by 1 desc`);
    expect(r.rows.map((x) => Number(x.price_fen))).toEqual([15000, 13000, 11000]);
  });

  it('replaces the previous batch when the same file changes', async () => {
    const f = writeCsv(path.join(dir, 'tangshan.csv'), [HEAD, OK_ROWS[1]]);
    const first = await loadFile(db().pool, f, etlOptions({ ...opts, region: '130200' }));
    expect(first.status).toBe('loaded');
    writeCsv(f, [HEAD, [2, '220301001', '彩色多普勒超声常规检查', null, '次', 72, 61, 50, null, '甲类']]);
    const second = await loadFile(db().pool, f, etlOptions({ ...opts, region: '130200' }));
    expect(second.status).toBe('loaded');
    expect(second.replacedBatchId).toBe(first.batchId);
    const r = await db().pool.query(`select price_fen, batch_id from price where region_code = '130200' and hospital_level = 3`);
    expect(r.rows).toEqual([{ price_fen: '7200', batch_id: String(second.batchId) }]);
    const b = await db().pool.query(`select status, replaced_by from load_batch where id = $1`, [first.batchId]);
    expect(b.rows[0]).toEqual({ status: 'replaced', replaced_by: String(second.batchId) });
  });

  describe('sub-item rows (parent code + a letter) with a blank 项目名称', () => {
    const SUB_HEAD = ['项目编码', '项目名称', '项目内涵', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'];

    it('take the name (and a blank 项目内涵) of their parent row, with a warning each; the file loads', async () => {
      const f = writeCsv(path.join(dir, 'sub-items.csv'), [
        SUB_HEAD,
        ['110200001', '普通门诊诊察费', '挂号、诊察', '次', 10, 8, 6],
        ['110200001a', null, null, '次', 12, 10, 8],
        ['110200001b', null, '含病历本', '次', 14, 12, 10],
        ['110200001ax', null, null, '次', 15, 13, 11],
        ['120100001', '特级护理', null, '日', 100, 90, 80],
        ['120100001x', null, null, '日', 120, 100, 90],
        ['120100002', '一级护理', '含生活护理', '日', 30, 25, 20],
      ]);
      const s = await loadFile(db().pool, f, etlOptions({ ...opts, region: '321100' }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      expect(s.errorCount).toBe(0);
      expect(s.rowsLoaded).toBe(7);
      expect(s.warningCount).toBe(4);
      expect(s.warnings.map(formatIssue)).toEqual([
        `${f}:3:2: 项目名称为空，已取上级项目 110200001（第 2 行）的项目名称“普通门诊诊察费”和项目内涵 (blank item name: took the name and content of parent item 110200001, row 2)`,
        `${f}:4:2: 项目名称为空，已取上级项目 110200001（第 2 行）的项目名称“普通门诊诊察费” (blank item name: took the name of parent item 110200001, row 2)`,
        `${f}:5:2: 项目名称为空，已取上级项目 110200001（第 2 行）的项目名称“普通门诊诊察费”和项目内涵 (blank item name: took the name and content of parent item 110200001, row 2)`,
        `${f}:7:2: 项目名称为空，已取上级项目 120100001（第 6 行）的项目名称“特级护理” (blank item name: took the name of parent item 120100001, row 6)`,
      ]);
      const items = await db().pool.query(`select item_code, name, content from region_item where region_code = '321100' order by 1`);
      expect(items.rows).toEqual([
        { item_code: '110200001', name: '普通门诊诊察费', content: '挂号、诊察' },
        { item_code: '110200001a', name: '普通门诊诊察费', content: '挂号、诊察' },
        { item_code: '110200001ax', name: '普通门诊诊察费', content: '挂号、诊察' },
        { item_code: '110200001b', name: '普通门诊诊察费', content: '含病历本' },
        { item_code: '120100001', name: '特级护理', content: null },
        { item_code: '120100001x', name: '特级护理', content: null },
        { item_code: '120100002', name: '一级护理', content: '含生活护理' },
      ]);
      const prices = await db().pool.query(`select count(*)::int as n from price where region_code = '321100'`);
      expect(prices.rows[0].n).toBe(21);
    });

    it('take the name of a parent row further down the file', async () => {
      const f = writeCsv(path.join(dir, 'sub-items-before-parent.csv'), [
        SUB_HEAD,
        ['250101001a', null, null, '项', 3, 3, 3],
        ['250101001', '血红蛋白测定', null, '项', 2, 2, 2],
      ]);
      const s = await loadFile(db().pool, f, etlOptions({ ...opts, region: '320200' }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      expect(s.warnings.map(formatIssue)).toEqual([
        `${f}:2:2: 项目名称为空，已取上级项目 250101001（第 3 行）的项目名称“血红蛋白测定” (blank item name: took the name of parent item 250101001, row 3)`,
      ]);
      const items = await db().pool.query(`select item_code, name from region_item where region_code = '320200' order by 1`);
      expect(items.rows).toEqual([{ item_code: '250101001', name: '血红蛋白测定' }, { item_code: '250101001a', name: '血红蛋白测定' }]);
    });

    it('are an error naming the parent looked for when the file has no parent row; nothing is written', async () => {
      const f = writeCsv(path.join(dir, 'sub-items-orphan.csv'), [
        SUB_HEAD,
        ['110200001', '普通门诊诊察费', null, '次', 10, 8, 6],
        ['110200002ax', null, null, '次', 12, 10, 8],
        ['310100001', null, null, '次', 5, 4, 3],
        ['110200003a', null, null, '次', 12, 10, 8],
        ['110200003ax', null, null, '次', 12, 10, 8],
      ]);
      const s = await expectRejected(db().pool, f, { ...opts, region: '320300' },
        /项目名称为空，且文件中没有上级项目 110200002a 或 110200002 的行（子项目取上级项目的名称） \(blank item name and no row for its parent item 110200002a or 110200002 in the file\)/,
        'sub-items-orphan.csv:3:2');
      // a blank name on a code that is not a sub-item stays the plain error
      expect(s.errors.map(formatIssue)).toEqual([
        `${f}:4:2: “项目名称”不能为空 (项目名称 is required)`,
        `${f}:3:2: 项目名称为空，且文件中没有上级项目 110200002a 或 110200002 的行（子项目取上级项目的名称） (blank item name and no row for its parent item 110200002a or 110200002 in the file)`,
        `${f}:5:2: 项目名称为空，且文件中没有上级项目 110200003 的行（子项目取上级项目的名称） (blank item name and no row for its parent item 110200003 in the file)`,
        `${f}:6:2: 项目名称为空，且上级项目 110200003a（第 5 行）也没有项目名称 (blank item name, and its parent item 110200003a (row 5) has no name either)`,
      ]);
      expect(s.warningCount).toBe(0);
    });

    it('--skip-invalid leaves out a sub-item without a parent and loads the others', async () => {
      const f = writeCsv(path.join(dir, 'sub-items-skip.csv'), [
        SUB_HEAD,
        ['110200001', '普通门诊诊察费', null, '次', 10, 8, 6],
        ['110200001a', null, null, '次', 12, 10, 8],
        ['110200002a', null, null, '次', 12, 10, 8],
      ]);
      const s = await loadFile(db().pool, f, etlOptions({ ...opts, region: '320400', skipInvalid: true }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      expect(s.rowsLoaded).toBe(2);
      expect(s.rowsRejected).toBe(1);
      expect(s.warningCount).toBe(1);
      const items = await db().pool.query(`select item_code, name from region_item where region_code = '320400' order by 1`);
      expect(items.rows).toEqual([{ item_code: '110200001', name: '普通门诊诊察费' }, { item_code: '110200001a', name: '普通门诊诊察费' }]);
    });
  });

  describe('a file without a 执行日期 column, loaded without --effective-date', () => {
    const NO_DATE_HEAD = ['序号', '项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'];
    // 145 rows: 10 category rows, 135 priced items
    const rows = Array.from({ length: 145 }, (_, i): (string | number | null)[] =>
      i % 15 === 0 ? [i + 1, `2${String(i).padStart(2, '0')}`, `类别${i}`, null, null, null, null] : [i + 1, `2103${String(i).padStart(5, '0')}`, `项目${i}`, '次', 30, 25, 20]);
    const message = '缺少“执行日期”列：表头中没有 执行日期、生效日期、执行时间 中的任何一列，也没有用 --effective-date 指定；整个文件未导入 ' +
      '(missing column 执行日期 (accepted headers: 执行日期, 生效日期, 执行时间) and no --effective-date; the file was not loaded)';

    it('is one problem of the whole file, not one per row; nothing is written', async () => {
      const f = writeCsv(path.join(dir, 'no-date.csv'), [NO_DATE_HEAD, ...rows]);
      const s = await expectRejected(db().pool, f, { region: '320500' }, /缺少“执行日期”列/);
      expect(s.errors.map(formatIssue)).toEqual([`${f}: ${message}`]);
      expect(s.errorCount).toBe(1);
      expect(s.rowsRejected).toBe(0);
    });

    it('is not loaded with --skip-invalid either', async () => {
      const f = writeCsv(path.join(dir, 'no-date-skip.csv'), [NO_DATE_HEAD, ...rows.slice(0, 20)]);
      const s = await expectRejected(db().pool, f, { region: '320500', skipInvalid: true }, /缺少“执行日期”列/);
      expect(s.errors.map(formatIssue)).toEqual([`${f}: ${message}`]);
    });

    it('loads when it has category rows only (no price needs a date)', async () => {
      const f = writeCsv(path.join(dir, 'no-date-categories.csv'), [NO_DATE_HEAD, rows[0]!, rows[15]!]);
      const s = await loadFile(db().pool, f, etlOptions({ region: '320600' }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
      expect(s.rowsLoaded).toBe(2);
    });

    it('a blank or invalid 执行日期 cell stays an error of its row', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'blank-date.csv'), [[...NO_DATE_HEAD, '执行日期'],
        [1, '110200001', '普通门诊诊察费', '次', 10, 8, 6, '2022-01-01'],
        [2, '110200002', '专家门诊诊察费', '次', 30, 25, 20, null],
      ]), { region: '320500' }, /“执行日期”不能为空/, 'blank-date.csv:3:8'));
  });

  describe('rejects malformed files and writes nothing', () => {
    const bad = (name: string, rows: (string | number | null)[][]) => writeCsv(path.join(dir, name), rows);

    it('negative price', () =>
      expectRejected(db().pool, bad('neg.csv', [HEAD, [1, '110200001', '普通门诊诊察费', null, '次', -5, 4, 3, null, null]]), opts,
        /三级医院价格（元）”不能为负数/, 'neg.csv:2:6'));
    it('text in a price cell', () =>
      expectRejected(db().pool, bad('text.csv', [HEAD, [1, '110200001', '普通门诊诊察费', null, '次', '五元', 4, 3, null, null]]), opts,
        /不是有效金额/, 'text.csv:2:6'));
    it('NaN price', () =>
      expectRejected(db().pool, bad('nan.csv', [HEAD, [1, '110200001', '普通门诊诊察费', null, '次', 'NaN', 4, 3, null, null]]), opts,
        /不是有效金额/, 'nan.csv:2:6'));
    it('blank price at one level of a priced row', () =>
      expectRejected(db().pool, bad('blank.csv', [HEAD, [1, '110200001', '普通门诊诊察费', null, '次', 5, null, 3, null, null]]), opts,
        /二级医院价格（元）”不能为空/, 'blank.csv:2:7'));
    it('duplicate item code', () =>
      expectRejected(db().pool, bad('dup.csv', [HEAD, OK_ROWS[1], OK_ROWS[1]]), opts, /项目编码 220301001 重复（与第 2 行相同）/, 'dup.csv:3:2'));
    it('missing column', () =>
      expectRejected(db().pool, bad('nocode.csv', [HEAD.filter((h) => h !== '项目编码'), [1, '普通门诊诊察费', null, '次', 5, 4, 3, null, null]]),
        { ...opts, kind: 'price-table' }, /缺少必需的列“项目编码”/));
    it('a hospital level that does not exist', () =>
      expectRejected(db().pool, bad('level4.csv', [[...HEAD, '四级医院价格（元）'], [...OK_ROWS[1], 80]]), opts, /医院等级“四级”不存在/, 'level4.csv:1:11'));
    it('unknown region', () =>
      expectRejected(db().pool, bad('region.csv', [HEAD, OK_ROWS[1]]), { ...opts, region: '999900' }, /地区代码 999900 不存在/));
    it('invalid payment class', () =>
      expectRejected(db().pool, bad('pay.csv', [HEAD, [2, '220301001', 'x', null, '次', 70, 60, 50, null, '丁类']]), opts, /医保支付类别“丁类”无效/, 'pay.csv:2:10'));
    it('overlapping effective period with an already loaded batch', async () => {
      const a = bad('period-a.csv', [HEAD, OK_ROWS[1]]);
      expect((await loadFile(db().pool, a, etlOptions({ ...opts, region: '360700' }))).status).toBe('loaded');
      await expectRejected(db().pool, bad('period-b.csv', [HEAD, [9, '220301001', '彩色多普勒超声常规检查', null, '次', 71, 60, 50, null, '甲类']]), { ...opts, region: '360700' }, /执行期间重叠/, 'period-b.csv:2');
    });
    it('header only', async () => {
      const s = await loadFile(db().pool, bad('header-only.csv', [HEAD]), etlOptions(opts));
      expect(s.status).toBe('loaded');
      expect(s.rowsLoaded).toBe(0);
    });
  });

  it('--skip-invalid loads the valid rows and lists the rejected ones', async () => {
    const f = writeCsv(path.join(dir, 'mixed.csv'), [HEAD, OK_ROWS[1], [3, '110200001', '普通门诊诊察费', null, '次', 'abc', 4, 3, null, null]]);
    const s = await loadFile(db().pool, f, etlOptions({ region: '511100', effectiveDate: '2022-01-01', skipInvalid: true }));
    expect(s.status).toBe('loaded');
    expect(s.rowsLoaded).toBe(1);
    expect(s.rowsRejected).toBe(1);
    expect(s.rejectFile).toBe(f + '.rejects.csv');
    const r = await db().pool.query(`select item_code from region_item where region_code = '511100'`);
    expect(r.rows).toEqual([{ item_code: '220301001' }]);
  });
});
