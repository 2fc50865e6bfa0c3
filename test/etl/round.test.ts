import path from 'node:path';
import type { Pool } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../etl/src/issues';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, writeCsv, writeXlsx } from '../support/etl';

type Row = (string | number | null)[];

const PRICE_HEAD = ['项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'];
const PRICES: Row[] = [
  ['210300001', 'X线计算机体层(CT)平扫', '次', 180, 160, 140],
  ['311201001', '阑尾切除术', '次', 234, 210, 190],
  ['110200001', '普通门诊诊察费', '次', 10, 8, 6],
  ['120100002', '特级护理', '日', 100, 90, 80],
  ['250307006', 'B型钠尿肽测定', '项', 330, 330, 330],
  ['330100001', '心脏移植术', '次', 5000, '—', '—'],
];

/** Flat header of a csv 调价项目表. */
const HEAD = ['序号', '行政区划代码', '项目编码', '项目名称', '计价单位', '三级原价（元）', '二级原价（元）', '一级原价（元）',
  '三级新价（元）', '二级新价（元）', '一级新价（元）', '执行日期'];

/** The price in force at a date: the row with the latest valid_from on or before it. */
async function inForce(pool: Pool, region: string, item: string, level: number, date: string): Promise<number | null> {
  const r = await pool.query(
    `select price_fen from price where region_code = $1 and item_code = $2 and hospital_level = $3 and valid_from <= $4
      order by valid_from desc limit 1`,
    [region, item, level, date],
  );
  return r.rowCount ? Number(r.rows[0].price_fen) : null;
}

describe('round loader (历史调价项目表)', () => {
  const db = useTestDatabase();
  let dir: string;

  beforeAll(async () => {
    dir = fixtureDir();
    for (const region of ['130200', '350200', '360700']) {
      const f = writeCsv(path.join(dir, `prices-${region}.csv`), [PRICE_HEAD, ...PRICES]);
      const s = await loadFile(db().pool, f, etlOptions({ region, effectiveDate: '2022-01-01' }));
      expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    }
  });

  it('loads a flat-header csv: round, approved scenario, changes and new prices', async () => {
    const pool = db().pool;
    const f = writeCsv(path.join(dir, 'tangshan-2023.csv'), [
      ['唐山市2023年医疗服务价格调整项目表'],
      HEAD,
      [1, '130200', '210300001', 'X线计算机体层(CT)平扫', '次', 180, 160, 140, 135, 120, 105, '2023-01-01'],
      [2, '130200', '311201001', '阑尾切除术', '次', '234.00', '210.00', '190.00', '560.00', '500.00', '450.00', '2023-01-01'],
      [3, '130200', '110200001', '普通门诊诊察费', '次', 10, 8, 6, 10, 8, 6, '2023-01-01'], // no change: left out
      [4, '130200', '120100002', '特级护理', '日', 100, 90, 80, 150, 90, 80, '2023/1/1'], // only 三级 moves
    ]);
    const s = await loadFile(pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('round');
    expect(s.region).toBe('130200');
    expect(s.rowsRead).toBe(4);
    expect(s.rowsLoaded).toBe(3);
    expect(s.details).toMatchObject({
      name: '唐山市2023年医疗服务价格调整项目表', effectiveDate: '2023-01-01', items: 3, itemPrices: 7, unchangedRows: 1,
      up: 4, down: 3, upFen: (326 + 290 + 260 + 50) * 100, downFen: (45 + 40 + 35) * 100, netFen: (926 - 120) * 100,
    });
    expect((s.details as { byLevel: unknown[] }).byLevel).toEqual([
      { level: 3, itemPrices: 3, up: 2, down: 1, upFen: 37600, downFen: 4500, netFen: 33100 },
      { level: 2, itemPrices: 2, up: 1, down: 1, upFen: 29000, downFen: 4000, netFen: 25000 },
      { level: 1, itemPrices: 2, up: 1, down: 1, upFen: 26000, downFen: 3500, netFen: 22500 },
    ]);

    const round = (await pool.query(`select * from round where batch_id = $1`, [s.batchId])).rows;
    expect(round).toHaveLength(1);
    expect(round[0]).toMatchObject({
      region_code: '130200', year: 2023, name: '唐山市2023年医疗服务价格调整项目表', kind: 'historic', status: 'implemented',
      params: { itemPrices: 7, items: 3, sourceFile: 'tangshan-2023.csv' },
    });
    expect(String((await pool.query(`select effective_date::text as d from round where id = $1`, [round[0].id])).rows[0].d)).toBe('2023-01-01');
    const scen = (await pool.query(`select id, name, method, status, region_code from scenario where round_id = $1`, [round[0].id])).rows;
    expect(scen).toEqual([{ id: round[0].approved_scenario_id, name: '实施方案', method: 'historic', status: 'approved', region_code: '130200' }]);
    const changes = await pool.query(
      `select item_code, hospital_level, old_price_fen::int as old, new_price_fen::int as new from scenario_change
        where scenario_id = $1 order by item_code, hospital_level desc`,
      [scen[0].id],
    );
    expect(changes.rows).toEqual([
      { item_code: '120100002', hospital_level: 3, old: 10000, new: 15000 },
      { item_code: '210300001', hospital_level: 3, old: 18000, new: 13500 },
      { item_code: '210300001', hospital_level: 2, old: 16000, new: 12000 },
      { item_code: '210300001', hospital_level: 1, old: 14000, new: 10500 },
      { item_code: '311201001', hospital_level: 3, old: 23400, new: 56000 },
      { item_code: '311201001', hospital_level: 2, old: 21000, new: 50000 },
      { item_code: '311201001', hospital_level: 1, old: 19000, new: 45000 },
    ]);
    const prices = await pool.query(
      `select item_code, hospital_level, valid_from::text as d, valid_to, price_fen::int as fen, round_id from price
        where batch_id = $1 order by item_code, hospital_level desc`,
      [s.batchId],
    );
    expect(prices.rows).toHaveLength(7);
    for (const p of prices.rows) expect(p).toMatchObject({ d: '2023-01-01', valid_to: null, round_id: round[0].id });
    // the price in force: the old one the day before, the new one from 执行日期; unchanged levels keep theirs
    expect(await inForce(pool, '130200', '210300001', 3, '2022-12-31')).toBe(18000);
    expect(await inForce(pool, '130200', '210300001', 3, '2023-01-01')).toBe(13500);
    expect(await inForce(pool, '130200', '311201001', 1, '2023-06-30')).toBe(45000);
    expect(await inForce(pool, '130200', '120100002', 2, '2023-06-30')).toBe(9000);
    expect(await inForce(pool, '130200', '110200001', 3, '2023-06-30')).toBe(1000);
  });

  it('loads a two-level xlsx (merged 原价（元）/ 新价（元） groups) whose 原价 are the prices after the previous round', async () => {
    const pool = db().pool;
    const f = await writeXlsx(path.join(dir, 'tangshan-2024.xlsx'), [
      ['唐山市2024年医疗服务价格调整项目表'],
      ['序号', '项目编码', '项目名称', '计价单位', '原价（元）', null, null, '新价（元）', null, null, '执行日期'],
      [null, null, null, null, '三级', '二级', '一级', '三级', '二级', '一级', null],
      [1, '210300001', 'X线计算机体层(CT)平扫', '次', 135, 120, 105, 130, 115, 100, '2024-01-01'],
      [2, '120100002', '特级护理', '日', 150, 90, 80, 160, 120, 100, '2024-01-01'],
      [3, '330100001', '心脏移植术', '次', 5000, '—', '—', 6000, '—', '—', '2024-01-01'],
    ], ['A1:K1', 'A2:A3', 'B2:B3', 'C2:C3', 'D2:D3', 'E2:G2', 'H2:J2', 'K2:K3']);
    const s = await loadFile(pool, f, etlOptions({ region: '130200' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('round');
    expect(s.details).toMatchObject({ name: '唐山市2024年医疗服务价格调整项目表', items: 3, itemPrices: 7, up: 4, down: 3 });
    const rounds = await pool.query(`select name, year, effective_date::text as d from round where region_code = '130200' order by effective_date`);
    expect(rounds.rows).toEqual([
      { name: '唐山市2023年医疗服务价格调整项目表', year: 2023, d: '2023-01-01' },
      { name: '唐山市2024年医疗服务价格调整项目表', year: 2024, d: '2024-01-01' },
    ]);
    expect(await inForce(pool, '130200', '210300001', 1, '2023-12-31')).toBe(10500);
    expect(await inForce(pool, '130200', '210300001', 1, '2024-01-01')).toBe(10000);
    expect(await inForce(pool, '130200', '120100002', 2, '2024-02-01')).toBe(12000);
    expect(await inForce(pool, '130200', '330100001', 3, '2024-02-01')).toBe(600000);
    expect(await inForce(pool, '130200', '330100001', 2, '2024-02-01')).toBeNull();
  });

  it('loads a GBK csv (Chinese title row and names in GB18030 bytes)', async () => {
    const pool = db().pool;
    const f = writeCsv(path.join(dir, 'xiamen-gbk.csv'), [
      ['厦门市2023年医疗服务价格调整项目表'],
      HEAD,
      [1, '350200', '250307006', 'B型钠尿肽测定', '项', 330, 330, 330, 180, 180, 180, '2023-01-01'],
    ], { encoding: 'gbk' });
    const s = await loadFile(pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.details).toMatchObject({ name: '厦门市2023年医疗服务价格调整项目表', itemPrices: 3, down: 3, downFen: 3 * 15000 });
    expect(await inForce(pool, '350200', '250307006', 3, '2023-01-01')).toBe(18000);
    expect(await inForce(pool, '350200', '250307006', 3, '2022-12-31')).toBe(33000);
  });

  it('loads a single 原价/新价 pair that applies to every level the item is priced at', async () => {
    const pool = db().pool;
    const f = writeCsv(path.join(dir, 'ganzhou-single.csv'), [
      ['项目编码', '项目名称', '计价单位', '原价（元）', '新价（元）', '执行日期'],
      ['250307006', 'B型钠尿肽测定', '项', 330, 180, '2023-01-01'],
      ['330100001', '心脏移植术', '次', 5000, 5600, '2023-01-01'],
    ]);
    const s = await loadFile(pool, f, etlOptions({ region: '360700' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.details).toMatchObject({ items: 2, itemPrices: 4, up: 1, down: 3, downFen: 3 * 15000, upFen: 60000 });
    // the round is named after the file when there is no title row
    expect((await pool.query(`select name from round where batch_id = $1`, [s.batchId])).rows).toEqual([{ name: 'ganzhou-single' }]);
    for (const l of [3, 2, 1]) expect(await inForce(pool, '360700', '250307006', l, '2023-01-01')).toBe(18000);
    expect(await inForce(pool, '360700', '330100001', 3, '2023-01-01')).toBe(560000);
    expect(await inForce(pool, '360700', '330100001', 1, '2023-01-01')).toBeNull();
  });

  it('rejects a change between two loaded rounds that contradicts the 原价 of the later one', () =>
    expectRejected(db().pool, writeCsv(path.join(dir, 'tangshan-2023-07.csv'), [
      HEAD,
      [1, '130200', '210300001', 'X线计算机体层(CT)平扫', '次', 135, 120, 105, 140, 120, 105, '2023-07-01'],
    ]), {}, /三级新价 140.00 元与后续调价不一致：批次 #\d+（tangshan-2024\.xlsx）自 2024-01-01 起的调价以 135.00 元为原价（项目 210300001）/,
    'tangshan-2023-07.csv:2:9'));

  describe('rejects malformed files and writes nothing', () => {
    const opts = { region: '350200' };
    const ct: Row = [1, '350200', '210300001', 'X线计算机体层(CT)平扫', '次', 180, 160, 140, 135, 120, 105, '2023-01-01'];
    const nursing: Row = [2, '350200', '120100002', '特级护理', '日', 100, 90, 80, 150, 100, 90, '2023-01-01'];
    const bad = (name: string, rows: Row[]) => writeCsv(path.join(dir, name), [['厦门市2023年医疗服务价格调整项目表'], HEAD, ...rows]);
    const with_ = (r: Row, i: number, v: string | number | null): Row => r.map((x, j) => (j === i ? v : x));

    it('原价 that is not the price in force the day before', () =>
      expectRejected(db().pool, bad('mismatch.csv', [with_(ct, 5, 170)]), opts,
        /三级原价 170.00 元与执行日期前一天（2022-12-31）的现行价格 180.00 元不符（项目 210300001，2022-01-01 起执行）/, 'mismatch.csv:3:6'));
    it('an item that is not in the region\'s price table', () =>
      expectRejected(db().pool, bad('unknown.csv', [ct, with_(nursing, 2, '999999999')]), opts,
        /项目编码 999999999 不在地区 350200 的价格项目中/, 'unknown.csv:4:3'));
    it('two different 执行日期', () =>
      expectRejected(db().pool, bad('dates.csv', [ct, with_(nursing, 11, '2023-02-01')]), opts,
        /执行日期 2023-02-01 与第 3 行的 2023-01-01 不同：一个调价项目表只能有一个执行日期/, 'dates.csv:4:12'));
    it('a blank 新价 at a level the item is priced at', () =>
      expectRejected(db().pool, bad('blank.csv', [with_(ct, 9, null)]), opts,
        /二级新价不能为空：项目 210300001 在二级有现行价格 160.00 元/, 'blank.csv:3:10'));
    it('a negative 新价', () =>
      expectRejected(db().pool, bad('negative.csv', [with_(ct, 8, '-135')]), opts, /“三级新价（元）”不能为负数/, 'negative.csv:3:9'));
    it('a price at a level the item is not priced at', () =>
      expectRejected(db().pool, bad('level.csv', [[1, '350200', '330100001', '心脏移植术', '次', 5000, 4000, null, 6000, 4500, null, '2023-01-01']]), opts,
        /项目 330100001 在二级医疗机构没有现行价格（2022-12-31），不能调价/, 'level.csv:3:7'));
    it('an item without any price before 执行日期', () =>
      expectRejected(db().pool, bad('early.csv', [with_(ct, 11, '2021-07-01')]), opts,
        /项目 210300001 在执行日期前一天（2021-06-30）没有现行价格，不能调价/, 'early.csv:3:3'));
    it('a duplicate item', () =>
      expectRejected(db().pool, bad('dup.csv', [ct, ct]), opts, /项目编码 210300001 重复（与第 3 行相同）/, 'dup.csv:4:3'));
    it('text in a price cell', () =>
      expectRejected(db().pool, bad('text.csv', [with_(ct, 10, '一百')]), opts, /“一级新价（元）”不是有效金额/, 'text.csv:3:11'));
    it('an invalid date', () =>
      expectRejected(db().pool, bad('baddate.csv', [with_(ct, 11, '2023-02-30')]), opts, /“执行日期”不是有效日期/, 'baddate.csv:3:12'));
    it('two regions in one file', () =>
      expectRejected(db().pool, bad('regions.csv', [ct, with_(nursing, 1, '360700')]), opts, /一个调价项目表只能属于一个地区/, 'regions.csv:4:2'));
    it('a file without any price change', () =>
      expectRejected(db().pool, bad('nochange.csv', [[1, '350200', '110200001', '普通门诊诊察费', '次', 10, 8, 6, 10, 8, 6, '2023-01-01']]), opts,
        /没有价格变动/));
    it('原价 columns without their 新价 columns', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'nonew.csv'), [[...HEAD.slice(0, 8), '执行日期'], [...ct.slice(0, 8), '2023-01-01']]),
        { ...opts, kind: 'round' }, /有“三级原价”列但缺少“三级新价（元）”列/, 'nonew.csv:1:6'));
    it('a price table loaded as a round', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'pt.csv'), [[...PRICE_HEAD, '执行日期'], [...PRICES[0]!, '2023-01-01']]), { ...opts, kind: 'round' },
        /缺少原价和新价列/));
    it('a file without a 执行日期 column and no --effective-date: one problem of the file, even with --skip-invalid', async () => {
      const f = writeCsv(path.join(dir, 'nodate.csv'), [HEAD.slice(0, 11), ct.slice(0, 11), nursing.slice(0, 11)]);
      const message = `${f}: 缺少“执行日期”列：表头中没有 执行日期、生效日期、执行时间、调整日期 中的任何一列，也没有用 --effective-date 指定；整个文件未导入 ` +
        '(missing column 执行日期 (accepted headers: 执行日期, 生效日期, 执行时间, 调整日期) and no --effective-date; the file was not loaded)';
      for (const skipInvalid of [false, true]) {
        const s = await expectRejected(db().pool, f, { ...opts, kind: 'round', skipInvalid }, /缺少“执行日期”列/);
        expect(s.errors.map(formatIssue)).toEqual([message]);
      }
    });
    it('a blank 执行日期 cell', () =>
      expectRejected(db().pool, bad('blankdate.csv', [ct, with_(nursing, 11, null)]), opts, /“执行日期”不能为空/, 'blankdate.csv:4:12'));
    it('an overlapping period: another file with the same date for the same prices', async () => {
      const a = bad('xiamen-a.csv', [ct]);
      const first = await loadFile(db().pool, a, etlOptions(opts));
      expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
      await expectRejected(db().pool, bad('xiamen-b.csv', [nursing, with_(ct, 8, 130)]), opts,
        new RegExp(`执行期间重叠：项目 210300001 三级 自 2023-01-01 起的价格已由批次 #${first.batchId}（xiamen-a\\.csv）导入`), 'xiamen-b.csv:4:12');
    });
  });
});
