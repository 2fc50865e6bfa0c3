import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, writeCsv, writeXlsx } from '../support/etl';

const HEAD = ['年度', '行政区划代码', '机构编码', '项目编码', '项目名称', '人员经费（元）', '卫生材料费（元）', '固定资产折旧（元）', '其他费用（元）', '单位成本（元）'];
type Row = (string | number | null)[];

describe('costs loader', () => {
  const db = useTestDatabase();
  let dir: string;

  beforeAll(async () => {
    dir = fixtureDir();
    const pool = db().pool;
    // 苏州: a price table (the region's own items) and two institutions; one item only in the national catalogue.
    const prices = writeCsv(path.join(dir, 'prices-320500.csv'), [
      ['项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'],
      ['220301001', '彩色多普勒超声常规检查', '次', 70, 60, 50],
      ['120100001', '特级护理', '日', 150, 130, 110],
    ]);
    expect((await loadFile(pool, prices, etlOptions({ region: '320500', effectiveDate: '2022-01-01' }))).status).toBe('loaded');
    const inst = writeCsv(path.join(dir, 'inst-320500.csv'), [
      ['机构编码', '机构名称', '医院等级', '经营性质'],
      ['H32050001', '苏州市第一人民医院', '三级甲等', '公立'],
      ['H32050002', '苏州市第二人民医院', '二级', '公立'],
    ]);
    expect((await loadFile(pool, inst, etlOptions({ region: '320500' }))).status).toBe('loaded');
    await pool.query(`insert into item (code, code_system, name, unit) values ('CAAB0001', 'nhc2023', '一般诊疗', '次')`);
  });

  const costsOf = async (region: string) =>
    (
      await db().pool.query(
        `select institution_code, item_code, year, labour_fen::int, material_fen::int, depreciation_fen::int, other_fen::int,
                unit_cost_fen::int, batch_id::int from cost where region_code = $1 order by year, institution_code, item_code`,
        [region],
      )
    ).rows;

  it('loads a UTF-8 csv: regional averages (blank 机构编码), an institution row, an item of the national catalogue', async () => {
    const f = writeCsv(path.join(dir, 'costs-utf8.csv'), [
      HEAD,
      [2023, '320500', null, '220301001', '彩色多普勒超声常规检查', '20.00', '8.50', '25.30', '6.20', '60.00'],
      [2023, '320500', 'H32050001', '220301001', '彩色多普勒超声常规检查', '22.1', '9', '26.00', '7.00', '64.11'], // 1 分 rounding allowed
      ['2022年', '320500', null, '120100001', '特级护理', '180.00', '12.00', '20.00', '28.00', '240.00'],
      [2023, '320500', null, 'CAAB0001', '一般诊疗', '1,200.55', '0', '0.45', '99', '1300.00'],
    ]);
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('costs');
    expect(s.rowsLoaded).toBe(4);
    expect(s.region).toBe('320500');
    expect(s.details).toMatchObject({ costs: 4, regionalAverages: 3, institutions: 1, years: [2022, 2023] });
    const b = s.batchId;
    expect(await costsOf('320500')).toEqual([
      { institution_code: '', item_code: '120100001', year: 2022, labour_fen: 18000, material_fen: 1200, depreciation_fen: 2000, other_fen: 2800, unit_cost_fen: 24000, batch_id: b },
      { institution_code: '', item_code: '220301001', year: 2023, labour_fen: 2000, material_fen: 850, depreciation_fen: 2530, other_fen: 620, unit_cost_fen: 6000, batch_id: b },
      { institution_code: '', item_code: 'CAAB0001', year: 2023, labour_fen: 120055, material_fen: 0, depreciation_fen: 45, other_fen: 9900, unit_cost_fen: 130000, batch_id: b },
      { institution_code: 'H32050001', item_code: '220301001', year: 2023, labour_fen: 2210, material_fen: 900, depreciation_fen: 2600, other_fen: 700, unit_cost_fen: 6411, batch_id: b },
    ]);
  });

  it('loads a GBK csv without a region column (--region)', async () => {
    const f = writeCsv(path.join(dir, 'costs-gbk.csv'), [
      HEAD.filter((h) => h !== '行政区划代码'),
      [2024, null, '220301001', '彩色多普勒超声常规检查', '21.00', '8.00', '24.00', '7.00', '60.00'],
      [2024, 'H32050002', '120100001', '特级护理', '150.5', '10.25', '18.25', '21.00', '200.00'],
    ], { encoding: 'gbk' });
    const s = await loadFile(db().pool, f, etlOptions({ region: '320500', kind: 'costs' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    const rows = (await costsOf('320500')).filter((r) => r.year === 2024);
    expect(rows.map((r) => [r.institution_code, r.item_code, r.labour_fen, r.material_fen, r.depreciation_fen, r.other_fen, r.unit_cost_fen])).toEqual([
      ['', '220301001', 2100, 800, 2400, 700, 6000],
      ['H32050002', '120100001', 15050, 1025, 1825, 2100, 20000],
    ]);
  });

  it('loads an xlsx with title rows and numeric cells', async () => {
    const f = await writeXlsx(path.join(dir, 'costs.xlsx'), [
      ['苏州市医疗服务项目成本（地区平均）'],
      ['单位：元'],
      HEAD,
      [2021, '320500', null, '220301001', '彩色多普勒超声常规检查', 19.5, 8.25, 24, 5.75, 57.5],
      [2021, '320500', 'H32050001', '120100001', '特级护理', 200.1, 10.2, 20.3, 30.4, 261],
    ], ['A1:J1']);
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('costs');
    const rows = (await costsOf('320500')).filter((r) => r.year === 2021);
    expect(rows.map((r) => [r.institution_code, r.item_code, r.labour_fen, r.material_fen, r.depreciation_fen, r.other_fen, r.unit_cost_fen])).toEqual([
      ['', '220301001', 1950, 825, 2400, 575, 5750],
      ['H32050001', '120100001', 20010, 1020, 2030, 3040, 26100],
    ]);
  });

  describe('rejects malformed files and writes nothing', () => {
    const ok: Row = [2025, '320500', null, '220301001', '彩色多普勒超声常规检查', '20.00', '8.50', '25.30', '6.20', '60.00'];
    const bad = (name: string, rows: Row[]) => writeCsv(path.join(dir, name), [HEAD, ...rows]);
    const with_ = (i: number, v: string | number | null): Row => ok.map((x, j) => (j === i ? v : x));

    it('components that do not add up to 单位成本', () =>
      expectRejected(db().pool, bad('sum.csv', [ok, with_(9, '60.02')]), {},
        /单位成本 60.02 元与人员经费、卫生材料费、固定资产折旧、其他费用之和 60.00 元不符（相差 0.02 元）/, 'sum.csv:3:10'));
    it('a negative component', () =>
      expectRejected(db().pool, bad('neg.csv', [with_(6, '-8.50')]), {}, /“卫生材料费（元）”不能为负数/, 'neg.csv:2:7'));
    it('an amount with three decimals', () =>
      expectRejected(db().pool, bad('dec.csv', [with_(5, '20.001')]), {}, /“人员经费（元）”不是有效金额/, 'dec.csv:2:6'));
    it('an item neither in the price table nor in the national catalogue', () =>
      expectRejected(db().pool, bad('item.csv', [ok, with_(3, '999999999')]), {},
        /项目编码 999999999 不在地区 320500 的价格项目中，也不在全国项目目录中/, 'item.csv:3:4'));
    it('an institution that is not loaded for the region', () =>
      expectRejected(db().pool, bad('inst.csv', [with_(2, 'H99999999')]), {},
        /机构编码 H99999999 不是地区 320500 已导入的医疗机构/, 'inst.csv:2:3'));
    it('an institution of another region', () =>
      expectRejected(db().pool, bad('inst-region.csv', [with_(1, '130200')]), {}, /不是地区 130200 已导入的医疗机构|不在地区 130200 的价格项目中/));
    it('a duplicate key inside the file', () =>
      expectRejected(db().pool, bad('dup.csv', [ok, with_(4, '同一项目')]), {}, /2025年地区平均项目 220301001 的成本重复（与第 2 行相同）/, 'dup.csv:3:4'));
    it('text in 年度', () =>
      expectRejected(db().pool, bad('year.csv', [with_(0, '二〇二五')]), {}, /“年度”应为整数：二〇二五/, 'year.csv:2:1'));
    it('a year out of range', () =>
      expectRejected(db().pool, bad('year-range.csv', [with_(0, 1899)]), {}, /“年度”超出范围 1990–2100/, 'year-range.csv:2:1'));
    it('an unknown region', () =>
      expectRejected(db().pool, bad('region.csv', [with_(1, '999900')]), {}, /地区代码 999900 不存在/, 'region.csv:2:2'));
    it('no region column and no --region', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'noregion.csv'), [HEAD.filter((h) => h !== '行政区划代码'), ok.filter((_, j) => j !== 1)]), {},
        /缺少地区/, 'noregion.csv:2'));
    it('a missing component column', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'nocol.csv'), [HEAD.filter((h) => h !== '其他费用（元）'), ok.filter((_, j) => j !== 8)]),
        { kind: 'costs' }, /缺少必需的列“其他费用（元）”/));
    it('a key already loaded by another file', () =>
      expectRejected(db().pool, bad('again.csv', [[2023, '320500', null, '220301001', '彩色多普勒超声常规检查', '20.00', '8.50', '25.30', '6.20', '60.00']]), {},
        /2023年地区平均项目 220301001 的成本已由批次 #\d+（costs-utf8\.csv）导入/, 'again.csv:2:4'));
  });
});
