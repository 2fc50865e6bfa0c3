// Generates the demo dataset into a temporary folder and checks it by reading the written files back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoModel, DEFAULT_SEED, writeDemo, type ManifestEntry } from './demo';
import { readAnyTable, readCsvTable, col, type ReadTable } from './readback';
import { decodeBytes } from './csv';
import { parseYuan } from './money';
import { INDICATORS } from './indicators';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mspr-demo-'));
const dirA = path.join(tmp, 'a');
const dirB = path.join(tmp, 'b');
let manifest: ManifestEntry[] = [];
const tables = new Map<string, ReadTable>();

async function table(file: string): Promise<ReadTable> {
  let t = tables.get(file);
  if (!t) {
    t = await readAnyTable(path.join(dirA, file));
    tables.set(file, t);
  }
  return t;
}

const filesOf = (kind: string, region?: string) => manifest.filter((e) => e.kind === kind && (region === undefined || e.region === region));

beforeAll(async () => {
  await writeDemo(buildDemoModel(DEFAULT_SEED), dirA);
  await writeDemo(buildDemoModel(DEFAULT_SEED), dirB);
  manifest = JSON.parse(fs.readFileSync(path.join(dirA, 'manifest.json'), 'utf8')) as ManifestEntry[];
}, 180_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('demo dataset', () => {
  it('lists every written file in dependency order, each kind as xlsx and as csv', () => {
    const order = ['catalogue', 'institutions', 'price-table', 'guideline', 'mapping', 'costs', 'volumes', 'indicators', 'reimbursement', 'insurance-policy', 'round'];
    const kinds = manifest.map((e) => order.indexOf(e.kind));
    expect(kinds.every((k, i) => k >= 0 && (i === 0 || k >= (kinds[i - 1] as number)))).toBe(true);
    for (const e of manifest) expect(fs.existsSync(path.join(dirA, e.file)), e.file).toBe(true);
    for (const kind of order) {
      const files = filesOf(kind).map((e) => e.file);
      expect(files.some((f) => f.endsWith('.xlsx')), `${kind} as xlsx`).toBe(true);
      expect(files.some((f) => f.endsWith('.csv')), `${kind} as csv`).toBe(true);
    }
    expect(filesOf('volumes').some((e) => e.file.endsWith('.arrow'))).toBe(true);
    const encodings = new Set(manifest.filter((e) => e.file.endsWith('.csv')).map((e) => decodeBytes(fs.readFileSync(path.join(dirA, e.file))).encoding));
    expect([...encodings].sort()).toEqual(['gbk', 'utf8', 'utf8-bom']);
    const text = fs.readFileSync(path.join(dirA, 'manifest.json'), 'utf8') + fs.readFileSync(path.join(dirA, 'README.md'), 'utf8');
    expect(text).not.toContain(tmp);
    expect(text).not.toMatch(/\/work\/|\/home\/|\/tmp\/|[A-Z]:\\\\/);
  });

  it('is byte-identical for the same seed (CSV, xlsx and Arrow)', () => {
    for (const e of manifest) {
      const a = fs.readFileSync(path.join(dirA, e.file));
      const b = fs.readFileSync(path.join(dirB, e.file));
      expect(a.equals(b), e.file).toBe(true);
    }
  });

  it('says in a title row of every xlsx whether it is generated', async () => {
    for (const e of manifest.filter((x) => x.file.endsWith('.xlsx'))) {
      const t = await table(e.file);
      const titles = t.titles.join(' ');
      if (e.origin === 'generated') expect(titles, e.file).toContain('演示数据');
      else expect(titles, e.file).toContain('真实数据');
    }
  });

  it('keeps the committed data/demo in step with the generator', () => {
    const committed = path.join(__dirname, '..', 'demo', 'manifest.json');
    if (!fs.existsSync(committed)) return;
    const list = JSON.parse(fs.readFileSync(committed, 'utf8')) as ManifestEntry[];
    expect(list.map((e) => e.file)).toEqual(manifest.map((e) => e.file));
    for (const e of list) {
      const a = fs.readFileSync(path.join(__dirname, '..', 'demo', e.file));
      const b = fs.readFileSync(path.join(dirA, e.file));
      expect(a.equals(b), `data/demo/${e.file} is stale: regenerate with npm run data:generate -- --scale demo --out data/demo`).toBe(true);
    }
  });

  it('writes GBK files that decode to the same text as the UTF-8 files', async () => {
    const gbk = manifest.filter((e) => e.file.endsWith('.csv') && decodeBytes(fs.readFileSync(path.join(dirA, e.file))).encoding === 'gbk');
    expect(gbk.length).toBeGreaterThanOrEqual(4);
    const catalogue = await table('catalogue/legacy-items.csv');
    const names = new Map(catalogue.rows.map((r) => [r[col(catalogue, '项目编码')], r[col(catalogue, '项目名称')]]));
    for (const e of gbk) {
      const bytes = fs.readFileSync(path.join(dirA, e.file));
      const text = iconv.decode(bytes, 'gbk');
      expect(iconv.encode(text, 'gbk').equals(bytes), e.file).toBe(true);
      expect(text).not.toContain('\ufffd');
    }
    const ganzhou = readCsvTable(path.join(dirA, (filesOf('price-table', '360700')[0] as ManifestEntry).file));
    expect(ganzhou.encoding).toBe('gbk');
    let checked = 0;
    for (const r of ganzhou.rows) {
      const code = r[col(ganzhou, '项目编码')] as string;
      if (!names.has(code)) continue;
      expect(r[col(ganzhou, '项目名称')]).toBe(names.get(code));
      checked++;
    }
    expect(checked).toBeGreaterThan(600);
  });
});

describe('demo guideline batches and mappings', () => {
  it('maps onto guideline items that exist, with codes that exist in the catalogues', async () => {
    const legacy = await table('catalogue/legacy-items.csv');
    const legacyCodes = new Set(legacy.rows.map((r) => r[col(legacy, '项目编码')]));
    const spec = await table('catalogue/nhc-2023-chapter-a.xlsx');
    const specCodes = new Set(spec.rows.map((r) => r[col(spec, '项目编码')]));
    const mappings = filesOf('mapping');
    expect(mappings).toHaveLength(2);
    let manyToOne = 0;
    for (const m of mappings) {
      const batch = m.options?.['guidelineBatch'] as string;
      const g = filesOf('guideline').find((e) => path.basename(e.file).split('-')[0] === path.basename(m.file).split('-')[0]) as ManifestEntry;
      const gt = await table(g.file);
      expect(gt.titles[0]).toBe(batch);
      expect(gt.rows[gt.rows.length - 1]?.[0]).toMatch(/^使用说明/);
      const names = new Set(gt.rows.map((r) => r[col(gt, '项目名称')]));
      const t = await table(m.file);
      const [name, type, nhsa, c23, old] = [
        col(t, '立项指南/项目名称'),
        col(t, '立项指南/项目类型'),
        col(t, '医保医疗服务项目/项目编码'),
        col(t, '全国医疗服务项目技术规范（2023年版）/项目编码'),
        col(t, '原价格项目/项目编码'),
      ];
      const types = new Set<string>();
      for (const r of t.rows) {
        expect(names.has(r[name]), `${m.file}: ${r[name]}`).toBe(true);
        types.add(r[type] as string);
        const olds = (r[old] as string).split(/\s+/).filter(Boolean);
        if (olds.length > 1) manyToOne++;
        for (const c of olds) expect(legacyCodes.has(c), `${m.file}: legacy ${c}`).toBe(true);
        for (const c of (r[c23] as string).split(/\s+/).filter(Boolean)) expect(specCodes.has(c), `${m.file}: 2023 ${c}`).toBe(true);
        for (const c of (r[nhsa] as string).split(/\s+/).filter(Boolean)) expect(c).toMatch(/^\d{15}$/);
      }
      expect([...types].sort()).toEqual(['主项目', '加收项', '扩展项'].sort());
    }
    expect(manyToOne).toBeGreaterThanOrEqual(2);
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface PriceRow {
  p: [number, number, number];
}

async function priceTable(region: string): Promise<Map<string, PriceRow>> {
  const t = await table((filesOf('price-table', region)[0] as ManifestEntry).file);
  const code = col(t, '项目编码');
  const levels = [
    col(t, '价格（元）/三级', '三级医院价格（元）', '三级价格'),
    col(t, '价格（元）/二级', '二级医院价格（元）', '二级价格'),
    col(t, '价格（元）/一级', '一级医院价格（元）', '一级价格'),
  ];
  const out = new Map<string, PriceRow>();
  for (const r of t.rows) {
    const cells = levels.map((i) => r[i] ?? '');
    if (cells.every((c) => c === '')) continue; // category row
    out.set(r[code] as string, { p: cells.map(parseYuan) as [number, number, number] });
  }
  return out;
}

async function institutions(): Promise<Map<string, { region: string; level: string; ownership: string }>> {
  const out = new Map<string, { region: string; level: string; ownership: string }>();
  for (const e of filesOf('institutions')) {
    const t = await table(e.file);
    for (const r of t.rows) {
      out.set(r[col(t, '机构编码')] as string, { region: r[col(t, '行政区划代码')] as string, level: r[col(t, '医院等级')] as string, ownership: r[col(t, '经营性质')] as string });
    }
  }
  return out;
}

describe('demo prices, costs and volumes', () => {
  it('has price ladders 三级 ≥ 二级 ≥ 一级 with at most two decimals in every price table', async () => {
    for (const e of filesOf('price-table')) {
      const prices = await priceTable(e.region as string);
      expect(prices.size, e.file).toBeGreaterThanOrEqual(600);
      expect(prices.size, e.file).toBeLessThanOrEqual(800);
      for (const [code, { p }] of prices) {
        expect(p[0] >= p[1] && p[1] >= p[2] && p[2] > 0, `${e.file} ${code} ${p.join('/')}`).toBe(true);
      }
    }
    // 江苏 ladder for colour Doppler in 苏州
    expect((await priceTable('320500')).get('220301001')?.p).toEqual([7000, 6000, 5000]);
  });

  it('has cost components that add up exactly to the unit cost', async () => {
    let n = 0;
    for (const e of filesOf('costs')) {
      const t = await table(e.file);
      const [a, b, c, d, total] = ['人员经费（元）', '卫生材料费（元）', '固定资产折旧（元）', '其他费用（元）', '单位成本（元）'].map((h) => col(t, h)) as [number, number, number, number, number];
      const bad: string[] = [];
      for (const r of t.rows) {
        const parts = [a, b, c, d].map((i) => parseYuan(r[i] as string));
        if (!parts.every((x) => x >= 0) || parts.reduce((s, x) => s + x, 0) !== parseYuan(r[total] as string)) bad.push(r.join(','));
        n++;
      }
      expect(bad.slice(0, 5), e.file).toEqual([]);
    }
    expect(n).toBeGreaterThan(10_000);
  }, 60_000);

  it('prices labour items below cost and equipment-heavy tests above it', async () => {
    const prices = await priceTable('320500');
    const t = await table((filesOf('costs', '320500').find((e) => !e.file.includes('institutions')) as ManifestEntry).file);
    const cost = new Map(t.rows.filter((r) => r[col(t, '年度')] === '2022').map((r) => [r[col(t, '项目编码')], parseYuan(r[col(t, '单位成本（元）')] as string)]));
    const rate = (code: string) => (prices.get(code)?.p[0] as number) / (cost.get(code) as number);
    for (const labour of ['120100003', '331104001', '430000001', '110200001']) expect(rate(labour)).toBeLessThan(1);
    for (const equipment of ['210300001', '210200001', '250307004']) expect(rate(equipment)).toBeGreaterThan(1);
  });

  it('has volume rows that reference existing institutions and priced items, in whole units', async () => {
    const inst = await institutions();
    let n = 0;
    for (const e of filesOf('volumes')) {
      const prices = await priceTable(e.region as string);
      const t = await table(e.file);
      const [reg, ins, item, year, month, qty] = ['行政区划代码', '机构编码', '项目编码', '年份', '月份', '服务量'].map((h) => col(t, h)) as [number, number, number, number, number, number];
      const bad: string[] = [];
      for (const r of t.rows) {
        const i = inst.get(r[ins] as string);
        const ok =
          i !== undefined &&
          i.region === r[reg] &&
          r[reg] === e.region &&
          prices.has(r[item] as string) &&
          /^\d+$/.test(r[qty] as string) &&
          ['2022', '2023', '2024'].includes(r[year] as string) &&
          /^(\d|1[0-2])$/.test(r[month] as string);
        if (!ok) bad.push(r.join(','));
        n++;
      }
      expect(bad.slice(0, 5), e.file).toEqual([]);
    }
    expect(n).toBeGreaterThan(100_000);
  }, 60_000);

  it('does not let 一级 hospitals perform complex surgery', async () => {
    const inst = await institutions();
    const catalogue = await table('catalogue/legacy-items.csv');
    const complex = new Set(['331603001', '330901001', '331108001', '330204001', '320300006']);
    expect(catalogue.rows.filter((r) => complex.has(r[0] as string)).length).toBe(complex.size);
    for (const e of filesOf('volumes')) {
      const t = await table(e.file);
      const [item, ins] = [col(t, '项目编码'), col(t, '机构编码')];
      const levels = new Set(t.rows.filter((r) => complex.has(r[item] as string)).map((r) => inst.get(r[ins] as string)?.level));
      expect([...levels].filter((l) => l !== '三级'), e.file).toEqual([]);
    }
  }, 60_000);
});

describe('demo pilot rounds', () => {
  async function volumesByLevel(region: string, year: string): Promise<Map<string, [number, number, number]>> {
    const inst = await institutions();
    const out = new Map<string, [number, number, number]>();
    for (const e of filesOf('volumes', region)) {
      const t = await table(e.file);
      const [ins, item, y, month, qty] = ['机构编码', '项目编码', '年份', '月份', '服务量'].map((h) => col(t, h)) as [number, number, number, number, number];
      for (const r of t.rows) {
        if (r[y] !== year || !(r[month] === '0' || r[month] === '')) continue;
        const i = inst.get(r[ins] as string);
        if (!i || i.ownership !== '公立') continue;
        const q = out.get(r[item] as string) ?? [0, 0, 0];
        q[['三级', '二级', '一级'].indexOf(i.level)] += Number(r[qty]);
        out.set(r[item] as string, q);
      }
    }
    return out;
  }

  async function roundRows(round: 1 | 2, region: string) {
    const e = manifest.find((x) => x.kind === 'round' && x.region === region && path.basename(x.file).startsWith(`round${round}-`)) as ManifestEntry;
    const t = await table(e.file);
    const oldCols = [col(t, '原价（元）/三级', '三级原价（元）'), col(t, '原价（元）/二级', '二级原价（元）'), col(t, '原价（元）/一级', '一级原价（元）')];
    const newCols = [col(t, '新价（元）/三级', '三级新价（元）'), col(t, '新价（元）/二级', '二级新价（元）'), col(t, '新价（元）/一级', '一级新价（元）')];
    expect(t.titles[0]).toMatch(round === 1 ? /2023年医疗服务价格调整项目表/ : /2024年医疗服务价格调整项目表/);
    return t.rows.map((r) => ({
      code: r[col(t, '项目编码')] as string,
      date: r[col(t, '执行日期', '生效日期')] as string,
      old: oldCols.map((i) => parseYuan(r[i] as string)) as [number, number, number],
      next: newCols.map((i) => parseYuan(r[i] as string)) as [number, number, number],
    }));
  }

  it('recomputes 3.52亿元 / 1,398 item prices and 6.31亿元 / 5,076 item prices from the files', async () => {
    const cities = ['130200', '320500', '350200', '360700', '511100'];
    const totals = { 1: { net: 0, count: 0 }, 2: { net: 0, count: 0 } };
    for (const city of cities) {
      const table2022 = await priceTable(city);
      const r1 = await roundRows(1, city);
      const r2 = await roundRows(2, city);
      const after1 = new Map([...table2022].map(([c, v]) => [c, v.p]));
      for (const [round, rows, base, q] of [
        [1, r1, new Map([...table2022].map(([c, v]) => [c, v.p])), await volumesByLevel(city, '2022')],
        [2, r2, after1, await volumesByLevel(city, '2023')],
      ] as const) {
        for (const row of rows) {
          expect(row.date).toBe(round === 1 ? '2023-01-01' : '2024-01-01');
          // 原价 is the price in force at the time
          expect(row.old, `${city} round ${round} ${row.code}`).toEqual(base.get(row.code));
          expect(row.next[0] >= row.next[1] && row.next[1] >= row.next[2], `${city} ${row.code} new ladder`).toBe(true);
          const vol = q.get(row.code) ?? [0, 0, 0];
          for (let l = 0; l < 3; l++) {
            const d = (row.next[l] as number) - (row.old[l] as number);
            if (d !== 0) totals[round].count++;
            totals[round].net += d * (vol[l] as number);
          }
          if (round === 1) after1.set(row.code, row.next);
        }
      }
      // 有升有降
      expect(r1.some((r) => r.next[0] > r.old[0]) && r1.some((r) => r.next[0] < r.old[0])).toBe(true);
    }
    // net in 分; tolerance ±0.5万元
    expect(Math.abs(totals[1].net - 352_000_000_00)).toBeLessThanOrEqual(5_000_00);
    expect(Math.abs(totals[2].net - 631_000_000_00)).toBeLessThanOrEqual(5_000_00);
    expect(totals[1].count).toBe(1398);
    expect(totals[2].count).toBe(5076);
    expect((totals[1].net / 1e10).toFixed(2)).toBe('3.52');
    expect((totals[2].net / 1e10).toFixed(2)).toBe('6.31');
  }, 60_000);

  it('uses the published examples', async () => {
    const find = async (round: 1 | 2, city: string, code: string) => (await roundRows(round, city)).find((r) => r.code === code);
    expect((await find(1, '130200', '210300001'))?.old[0]).toBe(18000);
    expect((await find(1, '130200', '210300001'))?.next[0]).toBe(13500);
    expect((await find(1, '320500', '210200001x'))?.next[0]).toBe(60000);
    expect((await find(1, '320500', '230600001'))?.next).toEqual([700000, 700000, 700000]);
    expect((await find(2, '350200', '250307006'))?.old[0]).toBe(33000);
    expect((await find(2, '350200', '250307006'))?.next[0]).toBe(18000);
    expect((await find(2, '360700', '250302003'))?.next[0]).toBe(3000);
    for (const city of ['130200', '320500', '350200', '360700', '511100']) {
      expect((await find(2, city, '120100002'))?.next[0]).toBe(15000);
      expect((await find(2, city, '120400014x'))?.next[0]).toBe(70000);
    }
  });
});

describe('demo indicators', () => {
  async function indicatorValues(): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    for (const e of filesOf('indicators')) {
      const t = await table(e.file);
      for (const r of t.rows) {
        const key = `${r[col(t, '行政区划代码')]}|${r[col(t, '期间')]}|${r[col(t, '指标')]}`;
        out.set(key, [...(out.get(key) ?? []), Number(r[col(t, '数值')])]);
      }
    }
    return out;
  }

  it('covers every indicator for 2021–2025, every region and the nation', async () => {
    const v = await indicatorValues();
    for (const region of ['000000', '130200', '320500', '350200', '360700', '511100', '150000', '330000', '510000']) {
      for (const year of [2021, 2022, 2023, 2024, 2025]) {
        for (const ind of INDICATORS) expect(v.has(`${region}|${year}|${ind.code}`), `${region} ${year} ${ind.code}`).toBe(true);
      }
    }
    expect(v.get('000000|2022|fund_income')?.sort()).toEqual([30697.72, 30922.17]);
    expect(v.get('000000|2024|cpi_growth')).toEqual([0.2]);
  });

  it('shapes 乐山 (blocked), 苏州 (triggered) and 赣州 (reserves under 3 months) in 2024', async () => {
    const v = await indicatorValues();
    const one = (region: string, year: number, code: string) => (v.get(`${region}|${year}|${code}`) ?? [NaN])[0] as number;
    expect(one('511100', 2024, 'medical_total_cost_growth')).toBe(11);
    expect(one('320500', 2024, 'medical_revenue_growth')).toBeLessThan(one('320500', 2024, 'gdp_growth'));
    expect(one('320500', 2024, 'medical_total_cost_growth')).toBeLessThanOrEqual(10);
    expect(one('320500', 2024, 'outpatient_cost_growth')).toBeLessThanOrEqual(one('320500', 2024, 'cost_growth_target'));
    expect(one('320500', 2024, 'inpatient_cost_growth')).toBeLessThanOrEqual(one('320500', 2024, 'cost_growth_target'));
    expect(one('320500', 2024, 'cpi_growth')).toBeLessThanOrEqual(one('320500', 2024, 'cpi_target'));
    expect(one('320500', 2024, 'fund_current_balance')).toBeGreaterThan(0);
    expect(one('320500', 2024, 'fund_accumulated_balance') / (one('320500', 2024, 'fund_expenditure') / 12)).toBeGreaterThanOrEqual(3);
    expect(one('320500', 2024, 'major_public_event')).toBe(0);
    expect(one('360700', 2024, 'fund_accumulated_balance') / (one('360700', 2024, 'fund_expenditure') / 12)).toBeLessThan(3);
    for (const region of ['130200', '320500', '350200', '360700', '511100']) {
      expect(one(region, 2023, 'fund_expenditure')).toBeGreaterThan(100);
      expect(one(region, 2023, 'fund_expenditure')).toBeLessThan(400);
    }
  });
});
