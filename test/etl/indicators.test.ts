import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod, releaseOf, unitFactor } from '../../etl/src/loaders/indicators';
import { loadFile } from '../../etl/src/run';
import { useTestDatabase } from '../support/db';
import { etlOptions, expectRejected, fixtureDir, snapshot, writeCsv, writeXlsx } from '../support/etl';

type Row = (string | number | null)[];
const HEAD = ['行政区划代码', '地区名称', '期间', '指标', '数值', '单位', '来源', '发布类型', '数据性质'];
const BULLETINS = path.resolve(__dirname, '../../data/reference/cn-official-bulletins/nhsa_fund_bulletins.csv');

/** The national fund figures of the real NHSA bulletins (whole basic insurance incl. maternity), in the layout. */
function bulletinRows(): Row[] {
  const [head, ...lines] = fs.readFileSync(BULLETINS, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  const ours: Record<string, string> = { fund_income: '医保基金收入', fund_expenditure: '医保基金支出', accumulated_balance: '医保基金累计结余' };
  return lines
    .map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])))
    .filter((r) => r.scope === 'all_basic_medical_insurance_incl_maternity' && ours[r.indicator!] && r.unit === '100m_yuan')
    .map((r) => ['000000', '全国', r.year!, ours[r.indicator!]!, Number(r.value).toLocaleString('en-US', { minimumFractionDigits: 2 }), '亿元',
      `国家医疗保障局（${r.source_ref}）`, r.release_type === 'kuaibao_express' ? '快报' : '公报', '真实']);
}

describe('indicators loader', () => {
  const db = useTestDatabase();
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir();
  });

  it('reads periods, release types and units', () => {
    expect(['2024', '2024年', '2024-03', '2024/3', '2024年3月', '202403', '2024Q1', '2024 q2', '2024年第三季度', '2024-Q4'].map(parsePeriod))
      .toEqual(['2024', '2024', '2024-03', '2024-03', '2024-03', '2024-03', '2024Q1', '2024Q2', '2024Q3', '2024Q4']);
    expect(['2024-13', '2024Q5', '24', '2024-00', 'abc'].map(parsePeriod)).toEqual([null, null, null, null, null]);
    expect(['快报', '统计公报', '统计年鉴', '年鉴', '测算', '估算', '生成', '其他'].map(releaseOf))
      .toEqual(['express', 'final', 'yearbook', 'yearbook', 'estimate', 'estimate', 'estimate', null]);
    expect(unitFactor('亿元', '亿元')).toBe('1');
    expect(unitFactor('万元', '亿元')).toBe('1e-4');
    expect(unitFactor('元', '亿元')).toBe('1e-8');
    expect(unitFactor('亿元', '元')).toBe('1e8');
    expect(unitFactor('％', '%')).toBe('1');
    expect(unitFactor('0/1', '是/否')).toBe('1');
    expect(unitFactor('%', '亿元')).toBeNull();
    expect(unitFactor('万人', '亿元')).toBeNull();
  });

  it('keeps the real 2022 快报 and 公报 of the fund income side by side (csv)', async () => {
    const rows = bulletinRows();
    const f = writeCsv(path.join(dir, 'bulletins.csv'), [HEAD, ...rows], { bom: true });
    const s = await loadFile(db().pool, f, etlOptions({ origin: 'real' }));
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.kind).toBe('indicators');
    expect(s.rowsLoaded).toBe(rows.length);
    const r = await db().pool.query(
      `select release_type, value::text, unit, is_generated from indicator_value
        where region_code = '000000' and indicator_code = 'fund_income' and period = '2022' order by release_type`,
    );
    expect(r.rows).toEqual([
      { release_type: 'express', value: '30697.72', unit: '亿元', is_generated: false },
      { release_type: 'final', value: '30922.17', unit: '亿元', is_generated: false },
    ]);
    const before = await snapshot(db().pool);
    expect((await loadFile(db().pool, f, etlOptions())).status).toBe('unchanged');
    expect(await snapshot(db().pool)).toEqual(before);
  });

  it('loads an xlsx: codes or names, period forms, unit conversion, flags, 数据性质', async () => {
    const f = await writeXlsx(path.join(dir, 'suzhou.xlsx'), [
      ['苏州市医疗服务价格动态调整评估指标'],
      HEAD,
      ['320500', '苏州市', 2023, 'fund_income', '3886800', '万元', '苏州市医保局', '统计年鉴', '生成'],
      ['320500', '苏州市', '2024年3月', 'CPI涨幅', '0.4%', '%', '苏州市统计局', '快报', '真实'],
      ['320500', '苏州市', '2024年第一季度', '门诊次均费用', '352.6', '元', '苏州市卫健委', '测算', null],
      ['320500', '苏州市', '2023', '重大突发公共事件', '否', '是/否', '苏州市人民政府', '公报', '生成'],
      ['320500', '苏州市', '2023', '医保基金累计结余', '-12.5', '亿元', '测算', '估算', '生成'],
      ['320500', '苏州市', '2022', '薪酬社保政策调整（是/否）', '1.0', '0/1', '苏州市人社局', '公报', '生成'],
    ], ['A1:I1']);
    const s = await loadFile(db().pool, f, etlOptions());
    expect(s.status, JSON.stringify(s.errors)).toBe('loaded');
    expect(s.region).toBe('320500');
    const r = await db().pool.query(
      `select indicator_code, period, release_type, value::text, unit, is_generated from indicator_value
        where region_code = '320500' order by indicator_code, period`,
    );
    expect(r.rows).toEqual([
      { indicator_code: 'cpi_growth', period: '2024-03', release_type: 'express', value: '0.4', unit: '%', is_generated: false },
      { indicator_code: 'fund_accumulated_balance', period: '2023', release_type: 'estimate', value: '-12.5', unit: '亿元', is_generated: true },
      { indicator_code: 'fund_income', period: '2023', release_type: 'yearbook', value: '388.68', unit: '亿元', is_generated: true },
      { indicator_code: 'major_public_event', period: '2023', release_type: 'final', value: '0', unit: '是/否', is_generated: true },
      { indicator_code: 'outpatient_cost_per_visit', period: '2024Q1', release_type: 'estimate', value: '352.6', unit: '元', is_generated: false },
      { indicator_code: 'salary_policy_change', period: '2022', release_type: 'final', value: '1', unit: '是/否', is_generated: true },
    ]);
  });

  it('loads a GBK csv and replaces its previous version', async () => {
    const f = writeCsv(path.join(dir, 'leshan.csv'), [HEAD, ['511100', '乐山市', '2024', 'GDP增长率', '5.8', '%', '乐山市统计局', '公报', '真实']], { encoding: 'gbk' });
    const first = await loadFile(db().pool, f, etlOptions());
    expect(first.status, JSON.stringify(first.errors)).toBe('loaded');
    writeCsv(f, [HEAD, ['511100', '乐山市', '2024', 'GDP增长率', '5.9', '%', '乐山市统计局', '公报', '真实']], { encoding: 'gbk' });
    const second = await loadFile(db().pool, f, etlOptions());
    expect(second.status, JSON.stringify(second.errors)).toBe('loaded');
    expect(second.replacedBatchId).toBe(first.batchId);
    const r = await db().pool.query(`select value::text, batch_id from indicator_value where region_code = '511100'`);
    expect(r.rows).toEqual([{ value: '5.9', batch_id: String(second.batchId) }]);
  });

  describe('rejects malformed files and writes nothing', () => {
    const row = (over: Partial<Record<number, string | number | null>>): Row => {
      const base: Row = ['350200', '厦门市', '2024', 'GDP增长率', '5.5', '%', '厦门市统计局', '公报', '真实'];
      return base.map((v, i) => (i in over ? over[i]! : v));
    };
    const bad = (name: string, rows: Row[]) => writeCsv(path.join(dir, name), [HEAD, ...rows]);

    it('unknown region', () =>
      expectRejected(db().pool, bad('region.csv', [row({ 0: '359900' })]), {}, /地区代码 359900 不存在/, 'region.csv:2:1'));
    it('unknown indicator', () =>
      expectRejected(db().pool, bad('ind.csv', [row({ 3: '医保基金收入增速' })]), {},
        /指标“医保基金收入增速”不在指标目录中（指标目录 indicator，共 \d+ 项；请用指标代码或中文名称，是否为：医保基金收入）/, 'ind.csv:2:4'));
    it('period 2024-13', () =>
      expectRejected(db().pool, bad('period.csv', [row({ 2: '2024-13' })]), {}, /期间“2024-13”无效/, 'period.csv:2:3'));
    it('text in 数值', () =>
      expectRejected(db().pool, bad('value.csv', [row({ 4: '约五' })]), {}, /“数值”不是数字：约五/, 'value.csv:2:5'));
    it('unknown 发布类型', () =>
      expectRejected(db().pool, bad('release.csv', [row({ 7: '内部资料' })]), {}, /发布类型“内部资料”无效/, 'release.csv:2:8'));
    it('% for an amount', () =>
      expectRejected(db().pool, bad('pct.csv', [row({ 3: '医保基金收入', 5: '%' })]), {},
        /单位“%”只用于比率和占比类指标；“医保基金收入”的单位是“亿元”/, 'pct.csv:2:6'));
    it('a unit that cannot be converted', () =>
      expectRejected(db().pool, bad('unit.csv', [row({ 3: '常住人口', 4: '530', 5: '亿元' })]), {},
        /单位“亿元”与指标“常住人口”的单位“万人”不一致，且无法换算/, 'unit.csv:2:6'));
    it('a flag that is neither 0 nor 1', () =>
      expectRejected(db().pool, bad('flag.csv', [row({ 3: '重大突发公共事件', 4: '2', 5: '是/否' })]), {}, /“重大突发公共事件”应为 1（是）或 0（否）：2/, 'flag.csv:2:5'));
    it('unknown 数据性质', () =>
      expectRejected(db().pool, bad('nature.csv', [row({ 8: '推测' })]), {}, /数据性质“推测”无效/, 'nature.csv:2:9'));
    it('the same key twice in the file', () =>
      expectRejected(db().pool, bad('dup.csv', [row({}), row({ 3: 'gdp_growth', 4: '5.6' })]), {}, /350200 GDP增长率 2024 公报 重复（与第 2 行相同）/, 'dup.csv:3'));
    it('a key another file already loaded', () =>
      expectRejected(db().pool, bad('clash.csv', [['000000', '全国', '2022', '医保基金收入', '30922.17', '亿元', '国家医保局', '公报', '真实']]), {},
        /000000 医保基金收入 2022 公报 已由批次 #\d+（bulletins\.csv）导入/, 'clash.csv:2'));
    it('missing 发布类型 column', () =>
      expectRejected(db().pool, writeCsv(path.join(dir, 'nocol.csv'), [HEAD.filter((h) => h !== '发布类型'), ['350200', '厦门市', '2024', 'GDP增长率', '5.5', '%', '厦门市统计局', '真实']]),
        { kind: 'indicators' }, /缺少必需的列“发布类型”/, 'nocol.csv:1'));
  });

  it('--skip-invalid loads the valid rows and lists the rejected ones', async () => {
    const f = writeCsv(path.join(dir, 'mixed.csv'), [HEAD,
      ['360700', '赣州市', '2024', 'GDP增长率', '5.2', '%', '赣州市统计局', '公报', '真实'],
      ['360700', '赣州市', '2024', '不存在的指标', '1', '%', '赣州市统计局', '公报', '真实']]);
    const s = await loadFile(db().pool, f, etlOptions({ skipInvalid: true }));
    expect(s.status).toBe('loaded');
    expect([s.rowsLoaded, s.rowsRejected]).toEqual([1, 1]);
    expect(s.rejectFile).toBe(f + '.rejects.csv');
    const r = await db().pool.query(`select indicator_code from indicator_value where region_code = '360700'`);
    expect(r.rows).toEqual([{ indicator_code: 'gdp_growth' }]);
  });
});

