// Scales `province` and `national`: benchmark data in the same layouts, never committed. The volume file is one
// large UTF-8 CSV of six integer-looking columns (numeric institution codes, 9-digit numeric item codes), written
// in large buffered chunks with backpressure.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { CATEGORY_NAMES } from './items';
import { PROVINCES_31 } from './regions';
import { Rng, hashString, mix32 } from './random';
import { formatYuan, nicePrice } from './money';
import { csvLine } from './csv';

export interface BulkOptions {
  scale: 'province' | 'national';
  outDir: string;
  seed: number;
  log?: (line: string) => void;
  /** Institutions per region by level [三级, 二级, 一级] (tests use a tiny run; the defaults give the row counts). */
  institutionCounts?: [number, number, number];
}

export interface BulkSummary {
  regions: number;
  items: number;
  institutions: number;
  priceRows: number;
  volumeRows: number;
  volumeBytes: number;
  seconds: number;
}

interface BulkItem {
  code: string;
  name: string;
  unit: string;
  category: string;
  price: number;
  /** Relative popularity (annual volume of an average 三级 hospital). */
  popularity: number;
}

/** Item counts per category, after the chapter sizes of the 2023 specification scaled to 10,000 items. */
const CATEGORY_PLAN: Array<[prefix: string, category: string, count: number, price: number, volume: number, names: string[]]> = [
  ['11', '1', 80, 20, 60_000, ['诊查', '床位', '会诊', '监护']],
  ['12', '1', 70, 15, 40_000, ['护理', '注射', '换药', '治疗操作']],
  ['21', '21', 300, 150, 8_000, ['X线摄影', 'CT扫描', '磁共振扫描', '造影']],
  ['22', '22', 180, 80, 10_000, ['超声检查', '彩色多普勒超声', '超声心动图']],
  ['23', '23', 60, 500, 500, ['核素显像', '核素治疗']],
  ['25', '25', 1530, 30, 20_000, ['测定', '检测', '培养及鉴定', '抗体测定']],
  ['27', '27', 60, 150, 2_000, ['病理检查与诊断', '染色诊断']],
  ['31', '31', 1800, 120, 3_000, ['检查', '治疗', '穿刺术', '内镜检查']],
  ['32', '32', 250, 2_500, 200, ['造影术', '置入术', '栓塞术']],
  ['33', '33', 4960, 1_500, 150, ['切除术', '修补术', '成形术', '置换术', '固定术']],
  ['34', '34', 410, 30, 5_000, ['训练', '理疗']],
  ['43', '4', 200, 25, 5_000, ['针刺', '灸法']],
  ['45', '4', 100, 50, 4_000, ['推拿', '手法治疗']],
];

export function buildBulkItems(seed: number, count = 10_000): BulkItem[] {
  const r = new Rng(seed).fork('bulk-items');
  const planned = CATEGORY_PLAN.reduce((s, p) => s + p[2], 0);
  const items: BulkItem[] = [];
  for (const [prefix, category, n, price, volume, names] of CATEGORY_PLAN) {
    const k = Math.round((n * count) / planned);
    for (let i = 1; i <= k; i++) {
      items.push({
        code: `${prefix}${String(i).padStart(7, '0')}`,
        name: `${CATEGORY_NAMES[category]}·${names[i % names.length]}${String(i).padStart(4, '0')}`,
        unit: category === '25' ? '项' : '次',
        category,
        price: nicePrice(price * 100 * r.spread(0.6)),
        popularity: volume * r.spread(1.0),
      });
    }
  }
  return items.slice(0, count);
}

export interface BulkInstitution {
  code: string;
  name: string;
  regionCode: string;
  level: 1 | 2 | 3;
  size: number;
}

/** Items provided per institution level (a permutation makes the counts exact). */
const PROVIDED_SHARE: Record<1 | 2 | 3, number> = { 3: 0.8, 2: 0.5, 1: 0.2 };
const LEVEL_SHARE: Record<1 | 2 | 3, number> = { 3: 1, 2: 0.33, 1: 0.07 };

function institutionsFor(regionCode: string, regionName: string, counts: [number, number, number], r: Rng): BulkInstitution[] {
  const out: BulkInstitution[] = [];
  let serial = 0;
  for (const level of [3, 2, 1] as const) {
    const n = counts[3 - level] as number;
    for (let i = 1; i <= n; i++) {
      serial++;
      const label = level === 3 ? `第${i}人民医院` : level === 2 ? `第${i}县级人民医院` : `第${i}社区卫生服务中心`;
      out.push({ code: `${regionCode}${String(serial).padStart(4, '0')}`, name: `${regionName}${label}`, regionCode, level, size: r.range(0.6, 1.5) });
    }
  }
  return out;
}

class ChunkWriter {
  private buf: string[] = [];
  private len = 0;
  bytes = 0;
  constructor(private readonly stream: fs.WriteStream, private readonly chunk = 4 << 20) {}
  async push(s: string): Promise<void> {
    this.buf.push(s);
    this.len += s.length;
    if (this.len >= this.chunk) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const data = Buffer.from(this.buf.join(''), 'utf8');
    this.buf = [];
    this.len = 0;
    this.bytes += data.length;
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }
  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export async function writeBulk(opts: BulkOptions): Promise<BulkSummary> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const out = opts.outDir;
  fs.mkdirSync(path.join(out, 'price-tables'), { recursive: true });
  const national = opts.scale === 'national';
  const regions = national ? PROVINCES_31 : PROVINCES_31.filter((p) => p.code === '330000');
  const counts: [number, number, number] = opts.institutionCounts ?? (national ? [15, 45, 80] : [45, 135, 240]);
  const items = buildBulkItems(opts.seed);
  const root = new Rng(opts.seed);

  // Catalogue (legacy-style codes), institutions, price tables.
  const catalogue = [csvLine(['项目编码', '项目名称', '计价单位', '分类', '人力资源消耗相对值', '技术难度', '风险程度', '基本人力消耗及耗时', '说明', '2012版编码', '2001版编码', '目录版本'])];
  for (const it of items) catalogue.push(csvLine([it.code, it.name, it.unit, CATEGORY_NAMES[it.category] ?? '', '', '', '', '', '', '', '', '2001版（地方沿用）']));
  fs.writeFileSync(path.join(out, 'catalogue.csv'), catalogue.join(''));

  const institutions: BulkInstitution[] = [];
  for (const reg of regions) institutions.push(...institutionsFor(reg.code, reg.name, counts, root.fork('inst:' + reg.code)));
  const instLines = [csvLine(['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质', '机构类别'])];
  for (const i of institutions) instLines.push(csvLine([i.code, i.name, i.regionCode, i.level === 3 ? '三级' : i.level === 2 ? '二级' : '一级', '公立', '综合医院']));
  fs.writeFileSync(path.join(out, 'institutions.csv'), instLines.join(''));

  const manifest: Array<Record<string, unknown>> = [
    { file: 'catalogue.csv', kind: 'catalogue', origin: 'generated', source: `演示数据生成器（${opts.scale}，种子 ${opts.seed}）` },
    { file: 'institutions.csv', kind: 'institutions', origin: 'generated', source: `演示数据生成器（${opts.scale}，种子 ${opts.seed}）` },
  ];
  let priceRows = 0;
  for (const reg of regions) {
    const r = root.fork('prices:' + reg.code);
    const factor = r.range(0.85, 1.2);
    const lines = [csvLine(['项目编码', '项目名称', '计价单位', '三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）', '医保支付类别', '行政区划代码', '执行日期'])];
    for (const it of items) {
      const p3 = nicePrice(it.price * factor * r.spread(0.08));
      const p2 = Math.min(p3, nicePrice(p3 * (1 - r.range(0.1, 0.2))));
      const p1 = Math.min(p2, nicePrice(p2 * (1 - r.range(0.1, 0.2))));
      lines.push(csvLine([it.code, it.name, it.unit, formatYuan(p3), formatYuan(p2), formatYuan(p1), '甲类', reg.code, '2022-01-01']));
    }
    priceRows += items.length;
    const file = `price-tables/price-table-${reg.code}.csv`;
    fs.writeFileSync(path.join(out, file), lines.join(''));
    manifest.push({ file, kind: 'price-table', region: reg.code, options: { effectiveDate: '2022-01-01' }, origin: 'generated', source: `演示数据生成器（${opts.scale}，种子 ${opts.seed}）` });
  }
  log(`catalogue ${items.length} items, ${institutions.length} institutions, ${priceRows} price rows in ${regions.length} price tables`);

  // Volumes: one CSV, years 2022 and 2023 (月份 0 = whole year).
  const volFile = path.join(out, 'volumes.csv');
  const writer = new ChunkWriter(fs.createWriteStream(volFile));
  await writer.push('行政区划代码,机构编码,项目编码,年份,月份,服务量\n');
  const n = items.length;
  const itemCodes = items.map((it) => it.code + ',');
  const pop = Float64Array.from(items.map((it) => it.popularity));
  const expected = regions.length * 2 * counts.reduce((s, c, i) => s + c * Math.floor(PROVIDED_SHARE[(3 - i) as 1 | 2 | 3] * n), 0);
  let rows = 0;
  let nextReport = 2_000_000;
  const stride = 7919; // coprime with 10,000: i → (stride·i + offset) mod n is a permutation
  for (const inst of institutions) {
    const provided = Math.floor(PROVIDED_SHARE[inst.level] * n);
    const offset = hashString(inst.code) % n;
    const scale = LEVEL_SHARE[inst.level] * inst.size;
    let state = mix32(opts.seed, hashString(inst.code));
    const prefix = `${inst.regionCode},${inst.code},`;
    let y22 = '';
    let y23 = '';
    for (let k = 0; k < provided; k++) {
      const i = (stride * k + offset) % n;
      // xorshift32 for two uniforms per row
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      const u = state / 4294967296;
      const q22 = Math.max(1, Math.round((pop[i] as number) * scale * (0.6 + 0.8 * u)));
      const q23 = Math.max(1, Math.round(q22 * (1.01 + 0.07 * ((state & 0xffff) / 65536))));
      y22 += `${prefix}${itemCodes[i]}2022,0,${q22}\n`;
      y23 += `${prefix}${itemCodes[i]}2023,0,${q23}\n`;
      if (y22.length > 1 << 20) {
        await writer.push(y22);
        await writer.push(y23);
        y22 = '';
        y23 = '';
      }
    }
    await writer.push(y22);
    await writer.push(y23);
    rows += 2 * provided;
    if (rows >= nextReport) {
      log(`volumes: ${(rows / 1e6).toFixed(1)}M / ${(expected / 1e6).toFixed(1)}M rows, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      nextReport += 2_000_000;
    }
  }
  await writer.end();
  manifest.push({ file: 'volumes.csv', kind: 'volumes', origin: 'generated', source: `演示数据生成器（${opts.scale}，种子 ${opts.seed}）` });
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const seconds = (Date.now() - started) / 1000;
  log(`volumes.csv: ${rows} rows, ${(writer.bytes / 1e9).toFixed(2)} GB, ${seconds.toFixed(1)} s in total`);
  return { regions: regions.length, items: items.length, institutions: institutions.length, priceRows, volumeRows: rows, volumeBytes: writer.bytes, seconds };
}
