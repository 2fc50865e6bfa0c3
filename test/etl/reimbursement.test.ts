import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../etl/src/issues';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, writeCsv, writeXlsx } from '../support/etl';

type Row = (string | number | null)[];
const FLAT = ['行政区划代码', '医保支付类别', '三级医院基金支付比例（%）', '二级医院基金支付比例（%）', '一级医院基金支付比例（%）', '执行日期'];

describe('reimbursement loader (医保支付比例表)', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir();
  });
  const rates = async (region: string) =>
    (await db().pool.query(
      `select payment_class as c, hospital_level::int as l, fund_share::text as s, valid_from::text as d, batch_id is not null as batched
         from reimbursement_rate where region_code = $1 order by payment_class, hospital_level desc`,
      [region],
    )).rows;

  it('loads a wide CSV in GBK: percentages become exact fund shares, each pointing to its batch; a reload changes nothing', async () => {
    const f = writeCsv(path.join(dir, 'rates-gbk.csv'), [
      FLAT,
      ['320500', '甲类', '52', '64', '74', '2022-01-01'],
      ['320500', '乙', '46.8%', '57.6', '66.6', '2022/1/1'],
      ['320500', '自费', '0', '0', '0', '2022年1月1日'],
    ], { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('reimbursement');
    expect(s.rowsLoaded).toBe(3);
    expect(s.details).toMatchObject({ rates: 9 });
    expect(await rates('320500')).toEqual([
      { c: '乙', l: 3, s: '0.4680', d: '2022-01-01', batched: true },
      { c: '乙', l: 2, s: '0.5760', d: '2022-01-01', batched: true },
      { c: '乙', l: 1, s: '0.6660', d: '2022-01-01', batched: true },
      { c: '甲', l: 3, s: '0.5200', d: '2022-01-01', batched: true },
      { c: '甲', l: 2, s: '0.6400', d: '2022-01-01', batched: true },
      { c: '甲', l: 1, s: '0.7400', d: '2022-01-01', batched: true },
      { c: '自费', l: 3, s: '0.0000', d: '2022-01-01', batched: true },
      { c: '自费', l: 2, s: '0.0000', d: '2022-01-01', batched: true },
      { c: '自费', l: 1, s: '0.0000', d: '2022-01-01', batched: true },
    ]);
    const again = await loadFile(db().pool, f, etlOptions());
    expect(again.status).toBe('unchanged');
    expect(await rates('320500')).toHaveLength(9);
  });

  it('loads an xlsx with a merged two-level header, and a long layout (医院等级 + 支付比例) with --region and --effective-date', async () => {
    const x = await writeXlsx(path.join(dir, 'rates.xlsx'), [
      ['厦门市医疗服务项目医保基金支付比例表'],
      ['行政区划代码', '医保支付类别', '基金支付比例（%）', null, null, '执行日期'],
      [null, null, '三级', '二级', '一级', null],
      ['350200', '甲类', 55, 66.5, 80, '2024-01-01'],
    ], ['A1:F1', 'A2:A3', 'B2:B3', 'C2:E2', 'F2:F3']);
    const s = await loadFile(db().pool, x, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect((await rates('350200')).map((r) => [r.c, r.l, r.s])).toEqual([['甲', 3, '0.5500'], ['甲', 2, '0.6650'], ['甲', 1, '0.8000']]);

    const long = writeCsv(path.join(dir, 'rates-long.csv'), [
      ['医保支付类别', '医院等级', '基金支付比例（%）'],
      ['甲类', '三级', '50'],
      ['乙类', '三级', '45'],
    ], { bom: true });
    const l = await loadFile(db().pool, long, etlOptions({ kind: 'reimbursement', region: '130200', effectiveDate: '2023-01-01' }));
    expect(l.status, JSON.stringify(l.errors)).toBe('loaded');
    expect((await rates('130200')).map((r) => [r.c, r.l, r.s, r.d])).toEqual([['乙', 3, '0.4500', '2023-01-01'], ['甲', 3, '0.5000', '2023-01-01']]);
  });

  it('replaces the rows of its previous batch when the same file changes', async () => {
    const f = path.join(dir, 'rates-ganzhou.csv');
    writeCsv(f, [FLAT, ['360700', '甲类', '52', '64', '74', '2022-01-01']]);
    expect((await loadFile(db().pool, f, etlOptions())).status).toBe('loaded');
    writeCsv(f, [FLAT, ['360700', '甲类', '53', '64', '74', '2022-01-01']]);
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.replacedBatchId).not.toBeNull();
    expect((await rates('360700')).map((r) => r.s)).toEqual(['0.5300', '0.6400', '0.7400']);
  });

  const bad: [string, Row[], RegExp, string | undefined, Record<string, string>?][] = [
    ['a share over 100%', [FLAT, ['511100', '甲类', '120', '64', '74', '2022-01-01']], /应在 0–100/, 'bad1.csv:2:3'],
    ['a negative share', [FLAT, ['511100', '甲类', '52', '-1', '74', '2022-01-01']], /应在 0–100/, 'bad2.csv:2:4'],
    ['text in a share cell', [FLAT, ['511100', '甲类', '五成', '64', '74', '2022-01-01']], /不是百分比数值/, 'bad3.csv:2:3'],
    ['more than two decimals', [FLAT, ['511100', '甲类', '52.125', '64', '74', '2022-01-01']], /最多两位小数/, 'bad4.csv:2:3'],
    ['a blank share', [FLAT, ['511100', '甲类', '', '64', '74', '2022-01-01']], /不能为空/, 'bad5.csv:2:3'],
    ['an unknown payment class', [FLAT, ['511100', '丁类', '52', '64', '74', '2022-01-01']], /医保支付类别“丁类”无效/, 'bad6.csv:2:2'],
    ['the same class twice', [FLAT, ['511100', '甲类', '52', '64', '74', '2022-01-01'], ['511100', '甲', '50', '60', '70', '2022-01-01']], /重复（与第 2 行相同）/, 'bad7.csv:3:3'],
    ['an unknown region', [FLAT, ['999999', '甲类', '52', '64', '74', '2022-01-01']], /地区代码 999999 不存在/, 'bad8.csv:2:1'],
    ['a level that does not exist', [[...FLAT, '四级医院基金支付比例（%）'], ['511100', '甲类', '52', '64', '74', '2022-01-01', '80']], /医院等级“四级”不存在/, 'bad9.csv:1:7'],
    ['no date column and no --effective-date', [FLAT.slice(0, 5), ['511100', '甲类', '52', '64', '74']], /缺少“执行日期”列/, undefined],
    ['an invalid date', [FLAT, ['511100', '甲类', '52', '64', '74', '2022-13-01']], /不是有效日期/, 'bad11.csv:2:6'],
    ['no share columns', [['行政区划代码', '医保支付类别', '执行日期'], ['511100', '甲类', '2022-01-01']], /缺少支付比例列/, undefined, { kind: 'reimbursement' }],
  ];
  bad.forEach(([what, rows, message, place, opts], i) => {
    it(`rejects ${what} and writes nothing`, async () => {
      const f = writeCsv(path.join(dir, `bad${i + 1}.csv`), rows);
      await expectRejected(db().pool, f, opts ?? {}, message, place);
    });
  });

  it('reports a file without a 执行日期 column (and no --effective-date) once, even with --skip-invalid, and writes nothing', async () => {
    const f = writeCsv(path.join(dir, 'no-date.csv'), [
      FLAT.slice(0, 5),
      ['511100', '甲类', '52', '64', '74'],
      ['511100', '乙类', '46.8', '57.6', '66.6'],
      ['511100', '丙类', '0', '0', '0'],
    ]);
    const message = `${f}: 缺少“执行日期”列：表头中没有 执行日期、生效日期、执行时间 中的任何一列，也没有用 --effective-date 指定；整个文件未导入 ` +
      '(missing column 执行日期 (accepted headers: 执行日期, 生效日期, 执行时间) and no --effective-date; the file was not loaded)';
    for (const skipInvalid of [false, true]) {
      const s = await expectRejected(db().pool, f, { skipInvalid }, /缺少“执行日期”列/);
      expect(s.errors.map(formatIssue)).toEqual([message]);
    }
  });

  it('rejects a blank 执行日期 cell at its row', async () => {
    const f = writeCsv(path.join(dir, 'blank-date.csv'), [FLAT, ['511100', '甲类', '52', '64', '74', '2022-01-01'], ['511100', '乙类', '46.8', '57.6', '66.6', null]]);
    await expectRejected(db().pool, f, {}, /“执行日期”不能为空/, 'blank-date.csv:3:6');
  });

  it('rejects a rate already loaded by another file for the same region, class, level and date, and writes nothing', async () => {
    const first = writeCsv(path.join(dir, 'leshan-a.csv'), [FLAT, ['511100', '甲类', '52', '64', '74', '2022-01-01']]);
    expect((await loadFile(db().pool, first, etlOptions())).status).toBe('loaded');
    const other = writeCsv(path.join(dir, 'leshan-b.csv'), [FLAT, ['511100', '甲类', '55', '64', '74', '2022-01-01']]);
    const s = await expectRejected(db().pool, other, {}, /自 2022-01-01 起的支付比例已由批次 #\d+（leshan-a\.csv）导入/, 'leshan-b.csv:2:6');
    expect(s.errors).toHaveLength(3);
  });
});
