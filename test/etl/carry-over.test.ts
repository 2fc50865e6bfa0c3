import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CarryOverError, computeCarryOver, formatCarryOver, type CarryOverReport } from '../../etl/src/carry-over';
import { loadFile, type ManifestEntry } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, fixtureDir, writeCsv } from '../support/etl';

const REGION = '320500';
const NURSING = '护理类医疗服务价格项目立项指南（试行）';
const ACU = '中医针法类医疗服务价格项目立项指南（试行）';
const G_HEAD = ['序号', '项目名称', '服务产出', '计价单位'];
const M_TOP = ['序号', '立项指南', null, '医保医疗服务项目', null, '全国医疗服务项目技术规范（2023年版）', null, '原价格项目', null];
const M_SUB = [null, '项目名称', '项目类型', '项目编码', '项目名称', '项目编码', '项目名称', '项目编码', '项目名称'];
const P_HEAD = ['序号', '项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'];

/** Base-year volumes of public hospitals (year 2023) unless stated: [code, level, quantity, year?, public?]. */
const VOLUMES: [string, number, number, number?, boolean?][] = [
  ['430000001', 3, 1000], ['430000020x', 3, 200], ['430000013', 3, 300],
  ['430000001', 2, 500], ['430000020x', 2, 100], ['430000013', 2, 0],
  ['430000001', 1, 300], ['430000020x', 1, 50], ['430000013', 1, 100],
  ['430000001a', 3, 800], // an add-on: not a main mapping, never weighed
  ['430000001', 3, 99_999, 2023, false], // private hospitals: left out
  ['430000001', 3, 5_000, 2022], // another year: left out
  ['120100002', 3, 10], ['120100002', 2, 10], ['120100002', 1, 10],
  ['130700001', 3, 30], ['130600002', 3, 10],
  ['130700001', 2, 20], ['130600002', 2, 20],
  ['130700001', 1, 0], ['130600002', 1, 5],
];

describe('price carry-over (价格平移)', () => {
  const db = useTestDatabase();
  let dir: string;

  beforeAll(async () => {
    dir = fixtureDir();
    const files: [string, (string | number | null)[][], Parameters<typeof etlOptions>[0]][] = [
      // the crosswalk: 2023 AAAN0001 普通医师出诊 ← 2001 130700001 出诊 (real, chapter A)
      ['catalogue.csv', [['项目编码', '项目名称', '计价单位', '2001版编码'], ['AAAN0001', '普通医师出诊', '次', '130700001']], {}],
      ['nursing-guideline.csv', [[NURSING], G_HEAD, [1, '特级护理费', '特级护理服务', '日'], [2, '上门服务费', '上门服务', '次'],
        [3, '安宁疗护费', '安宁疗护', '日'], [4, '引流管护理费', '引流管护理', '日'], [5, '压力性损伤护理费', '压力性损伤护理', '日']], {}],
      ['acupuncture-guideline.csv', [[ACU], G_HEAD, [1, '常规针法费', '毫针针刺，含舌针、腕踝针等', '次']], {}],
      ['nursing-mapping.csv', [M_TOP, M_SUB,
        [1, '特级护理费', '主项目', '001201000020000', '特级护理', 'ACAD0001', '特级护理', '120100002 120100099', '特级护理 已取消项目'],
        [2, '上门服务费', '主项目', '001307000010000', '出诊', 'AAAN0001', '普通医师出诊', null, null],
        [3, '上门服务费', '主项目', null, null, null, null, '130600002', '家庭病床巡诊费'],
        [4, '安宁疗护费', '主项目', null, null, null, null, '120100017x、120100018x', '安宁疗护、临终关怀'],
        [5, '压力性损伤护理费', '主项目', null, null, 'ACBQ0001', '压力性损伤护理', null, null],
      ], { guidelineBatch: NURSING }],
      ['acupuncture-mapping.csv', [M_TOP, M_SUB,
        [1, '常规针法费', '主项目', null, null, null, null, '430000001', '普通针刺'],
        [2, '常规针法费', '主项目', null, null, null, null, '430000020x 430000013', '舌针 腕踝针'],
        [3, '常规针法费', '加收项', null, null, null, null, '430000001a', '普通针刺加收'],
      ], { guidelineBatch: ACU }],
      ['prices-2022.csv', [P_HEAD,
        [1, '120100002', '特级护理', '日', 60, 50, 40],
        [2, '120100017x', '安宁疗护', '日', 155, 127, 102],
        [3, '120100018x', '临终关怀', '日', 145, 125, '—'],
        [4, '130600002', '家庭病床巡诊费', '次', 15, 12, 9],
        [5, '130700001', '出诊', '次', 10, 8, 6],
        [6, '430000001', '普通针刺', '次', 20, 17, 15],
        [7, '430000001a', '普通针刺加收', '次', 5, 5, 5],
        [8, '430000013', '腕踝针', '次', 25, 22, 18],
        [9, '430000020x', '舌针', '次', 30, 26, '—'],
      ], { region: REGION, effectiveDate: '2022-01-01' }],
      ['prices-2024.csv', [P_HEAD, [1, '120100002', '特级护理', '日', 68, 60, 50]], { region: REGION, effectiveDate: '2024-01-01' }],
    ];
    for (const [name, rows, opts] of files) {
      const s = await loadFile(db().pool, writeCsv(path.join(dir, name), rows), etlOptions(opts));
      expect(s.status, `${name}: ${JSON.stringify(s.errors)}`).toBe('loaded');
    }
    for (const [code, level, q, year = 2023, pub = true] of VOLUMES) {
      await db().pool.query(
        `insert into volume_annual_level (region_code, item_code, hospital_level, is_public, year, quantity) values ($1, $2, $3, $4, $5, $6)`,
        [REGION, code, level, pub, year, q],
      );
    }
  });

  const prices = (r: CarryOverReport, name: string) => {
    const row = r.rows.find((x) => x.name === name)!;
    return [row.levels[3].priceFen, row.levels[2].priceFen, row.levels[1].priceFen];
  };

  it('weights the old prices by base-year volumes of public hospitals (hand-computed)', async () => {
    const r = await computeCarryOver(db().pool, { region: REGION, year: 2023, date: '2024-06-30' });
    expect(r.rows.map((x) => x.name)).toEqual(['特级护理费', '上门服务费', '安宁疗护费', '引流管护理费', '压力性损伤护理费', '常规针法费']);
    // 常规针法费 三级 (2000×1000 + 3000×200 + 2500×300) / 1500 = 2233.33 → 2233
    //            二级 (1700×500 + 2600×100 + 2200×0) / 600 = 1850; 腕踝针 weighs 0
    //            一级 (1500×300 + 1800×100) / 400 = 1575; 舌针 has no 一级 price: left out although it has volume
    expect(prices(r, '常规针法费')).toEqual([2233, 1850, 1575]);
    const acu = r.rows.find((x) => x.name === '常规针法费')!;
    expect(acu.basisCount).toBe(3);
    expect(acu.levels[1].unpriced).toEqual(['430000020x']);
    expect(acu.levels[2].withoutVolume).toEqual(['430000013']);
    expect(acu.sources.map((s) => s.code)).toEqual(['430000001', '430000013', '430000020x']); // the add-on is not a source
    expect(acu.note).toBe('无服务量（权重为0）：430000013；无价格未计入：一级 430000020x');
    // 特级护理费: the price in force on 2024-06-30 is the 2024 one; the mapped 120100099 is not in the price table
    expect(prices(r, '特级护理费')).toEqual([6800, 6000, 5000]);
    expect(r.rows.find((x) => x.name === '特级护理费')!.note).toBe('本地区价格表中没有：120100099');
    // 上门服务费: AAAN0001 through the crosswalk to 130700001, plus 130600002
    //   三级 (1000×30 + 1500×10) / 40 = 1125; 二级 (800×20 + 1200×20) / 40 = 1000; 一级 (600×0 + 900×5) / 5 = 900
    expect(prices(r, '上门服务费')).toEqual([1125, 1000, 900]);
    expect(r.rows.find((x) => x.name === '上门服务费')!.sources).toEqual([
      { code: '130600002', name: '家庭病床巡诊费', via: 'legacy' },
      { code: '130700001', name: '出诊', via: 'nhc2023 AAAN0001' },
    ]);
    // 安宁疗护费: no volumes at all → simple average, and 120100018x has no 一级 price
    //   三级 (15500 + 14500) / 2 = 15000; 二级 (12700 + 12500) / 2 = 12600; 一级 10200
    expect(prices(r, '安宁疗护费')).toEqual([15000, 12600, 10200]);
    expect(r.rows.find((x) => x.name === '安宁疗护费')!.levels[3].method).toBe('simple-average');
    expect(prices(r, '引流管护理费')).toEqual([null, null, null]);
    expect(prices(r, '压力性损伤护理费')).toEqual([null, null, null]);

    expect(r.withoutMapping).toEqual(['引流管护理费']);
    expect(r.withoutVolume).toEqual(['安宁疗护费']);
    expect(r.withoutPrice).toEqual(['压力性损伤护理费']);
    expect(r.withUnpriced).toEqual([{ name: '安宁疗护费', codes: ['120100018x'] }, { name: '常规针法费', codes: ['430000020x'] }]);
    expect(r.withUnresolved).toEqual([{ name: '特级护理费', codes: ['120100099'] }, { name: '压力性损伤护理费', codes: ['ACBQ0001'] }]);
  });

  it('takes the prices in force on the date and the latest volume year by default', async () => {
    const r = await computeCarryOver(db().pool, { region: REGION, date: '2023-06-30' });
    expect(r.year).toBe(2023);
    expect(prices(r, '特级护理费')).toEqual([6000, 5000, 4000]);
  });

  it('limits the items to one guideline batch and prints the table', async () => {
    const r = await computeCarryOver(db().pool, { region: REGION, guidelineBatch: ACU, year: 2023, date: '2024-06-30' });
    expect(r.rows.map((x) => x.name)).toEqual(['常规针法费']);
    const text = formatCarryOver(r);
    expect(text).toContain('项目名称    三级平移价格（元）  二级平移价格（元）  一级平移价格（元）  依据项目数  备注');
    expect(text).toMatch(/常规针法费\s+22\.33\s+18\.50\s+15\.75\s+3\s+无服务量/);
    expect(text).toContain('无映射的项目（0）');
  });

  it('without volumes of the year every level falls back to the simple average', async () => {
    const r = await computeCarryOver(db().pool, { region: REGION, guidelineBatch: ACU, year: 2021, date: '2024-06-30' });
    // (2000 + 3000 + 2500) / 3 = 2500; (1700 + 2600 + 2200) / 3 = 2166.67 → 2167; (1500 + 1800) / 2 = 1650
    expect(prices(r, '常规针法费')).toEqual([2500, 2167, 1650]);
    expect(r.withoutVolume).toEqual(['常规针法费']);
    expect(r.rows[0]!.note).toBe('各级无基期服务量，按简单平均；无价格未计入：一级 430000020x');
  });

  it('reports an unknown region or guideline batch', async () => {
    await expect(computeCarryOver(db().pool, { region: '999999' })).rejects.toThrow(CarryOverError);
    await expect(computeCarryOver(db().pool, { region: REGION, guidelineBatch: '不存在' })).rejects.toThrow(/立项指南批次“不存在”不存在/);
  });

  describe('the demo dataset', () => {
    const demo = useTestDatabase();
    const root = path.resolve(__dirname, '../../data/demo');
    const manifest = path.join(root, 'manifest.json');
    const mine = ['catalogue', 'guideline', 'mapping', 'indicators'];

    it.skipIf(!fs.existsSync(manifest))('loads the catalogue, guideline, mapping and indicator files, and carries Suzhou prices over', async () => {
      const entries = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as ManifestEntry[])
        .filter((e) => mine.includes(e.kind!) || (e.kind === 'price-table' && e.region === REGION));
      expect(entries.filter((e) => e.kind !== 'price-table').length).toBeGreaterThanOrEqual(8);
      for (const e of entries) {
        const s = await loadFile(demo().pool, path.join(root, e.file), etlOptions({
          kind: e.kind, region: e.region, ...e.options, origin: e.origin ?? 'generated', source: e.source,
        }));
        expect(s.status, `${e.file}: ${JSON.stringify(s.errors.slice(0, 5))}`).toBe('loaded');
        expect(s.rowsLoaded, e.file).toBeGreaterThan(0);
      }
      // 快报 and 公报 of the 2022 national fund income, side by side
      const fund = await demo().pool.query(
        `select release_type, value::text from indicator_value where region_code = '000000' and indicator_code = 'fund_income'
            and period = '2022' order by 1`,
      );
      expect(fund.rows).toEqual([{ release_type: 'express', value: '30697.72' }, { release_type: 'final', value: '30922.17' }]);
      const r = await computeCarryOver(demo().pool, { region: REGION, date: '2024-06-30' });
      const items = await demo().pool.query('select count(*)::int n from guideline_item');
      expect(r.rows.length).toBe(items.rows[0].n);
      // every carried-over price lies within the old prices it comes from
      const old = await demo().pool.query(
        `select item_code, hospital_level, price_fen::int p from price where region_code = $1`, [REGION],
      );
      const priceOf = new Map(old.rows.map((x) => [`${x.item_code}|${x.hospital_level}`, x.p as number]));
      for (const row of r.rows) {
        for (const l of [3, 2, 1] as const) {
          const res = row.levels[l];
          if (res.priceFen === null) continue;
          const ps = res.basis.map((c) => priceOf.get(`${c}|${l}`)!);
          expect(res.priceFen).toBeGreaterThanOrEqual(Math.min(...ps));
          expect(res.priceFen).toBeLessThanOrEqual(Math.max(...ps));
        }
      }
      expect(r.rows.filter((x) => x.levels[3].priceFen !== null).length).toBeGreaterThan(r.rows.length / 2);
    });
  });
});
