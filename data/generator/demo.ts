// Scale `demo`: the five pilot cities and three pilot provinces, every file kind in xlsx and CSV (UTF-8, UTF-8 with
// BOM, GBK), Arrow IPC for the provinces' volumes, a manifest in load order and a README.
import fs from 'node:fs';
import path from 'node:path';
import { buildItemUniverse, categoryOf, CATEGORY_NAMES, PARENT_ROWS, regionItems, type Item } from './items';
import { buildInstitutions, LEVEL_NAMES, type Institution } from './institutions';
import { buildPriceTable, itemTexts, PRICE_TABLE_DATE, type Ladder } from './prices';
import { institutionCosts, regionalCosts, type CostRow } from './costs';
import {
  annualRows,
  buildAnnualVolumes,
  monthlyRows2024,
  publicVolumeByLevel,
  type AnnualVolumes,
  type VolumeRow,
} from './volumes';
import { applyRound, buildRound, ROUND1, ROUND2, type RoundResult } from './rounds';
import { nationalGeneratedIndicators, nationalRealIndicators, regionIndicators, type IndicatorRow } from './indicators';
import {
  ACUPUNCTURE_BATCH,
  acupunctureMapping,
  legacyNames,
  NURSING_BATCH,
  nursingMapping,
  type GuidelineBatch,
  type MappingRow,
} from './guideline';
import { DEMO_REGIONS, PILOT_CITIES, type Region } from './regions';
import { reimbursementRows, type ReimbursementRow } from './reimbursement';
import { policyCells, policyRows, POLICY_HEADERS } from './insurance-policy';
import { readBulletins, readCatalogueReference, findReferenceDir, type SpecItem } from './reference';
import { Rng } from './random';
import { fenToYi, fenToYuan, formatYuan } from './money';
import type { Cell, CsvEncoding } from './csv';
import { writeCsv, writeVolumesArrow, writeXlsx, type Column } from './writers';

export const DEFAULT_SEED = 41;
export const GENERATED_NOTE = '（演示数据，由生成器按固定种子生成）';
export const GENERATOR_SOURCE = '演示数据生成器（data/generator）';

export interface RegionModel {
  region: Region;
  items: Item[];
  institutions: Institution[];
  prices: Map<string, Ladder>;
  volumes: AnnualVolumes;
  costs: CostRow[];
}

export interface DemoModel {
  seed: number;
  universe: Item[];
  itemsByCode: Map<string, Item>;
  specItems: SpecItem[];
  regions: RegionModel[];
  round1: RoundResult[];
  round2: RoundResult[];
  realIndicators: IndicatorRow[];
  generatedIndicators: IndicatorRow[];
  monthly: VolumeRow[];
  monthlyRegion: string;
  institutionCosts: CostRow[];
  institutionCostRegion: string;
}

export function buildDemoModel(seed = DEFAULT_SEED, referenceDir = findReferenceDir()): DemoModel {
  const rng = new Rng(seed);
  const ref = readCatalogueReference(referenceDir);
  const specUnits = new Map(ref.specItems.map((s) => [s.code, s.unit]));
  const universe = buildItemUniverse(rng, ref.legacyItems, specUnits);
  const itemsByCode = new Map(universe.map((i) => [i.code, i]));

  const regions: RegionModel[] = DEMO_REGIONS.map((region) => {
    const items = regionItems(universe, region.code, rng);
    const institutions = buildInstitutions(region, rng);
    const prices = buildPriceTable(region, items, rng);
    const volumes = buildAnnualVolumes(region, institutions, items, rng);
    const costs = regionalCosts(region.code, items, prices, rng);
    return { region, items, institutions, prices, volumes, costs };
  });

  const round1: RoundResult[] = [];
  const round2: RoundResult[] = [];
  for (const city of PILOT_CITIES) {
    const m = regions.find((x) => x.region.code === city.code) as RegionModel;
    const r1 = buildRound(ROUND1, city.code, m.items, m.prices, publicVolumeByLevel(m.institutions, m.volumes, 0), rng);
    const after1 = applyRound(m.prices, r1);
    const r2 = buildRound(ROUND2, city.code, m.items, after1, publicVolumeByLevel(m.institutions, m.volumes, 1), rng);
    round1.push(r1);
    round2.push(r2);
  }

  const bulletins = readBulletins(referenceDir);
  const realIndicators = nationalRealIndicators(bulletins.fund, bulletins.macro);
  const generatedIndicators = [
    ...nationalGeneratedIndicators(realIndicators, rng),
    ...DEMO_REGIONS.flatMap((r) => regionIndicators(r, rng)),
  ];

  const monthlyRegion = '320500';
  const suzhou = regions.find((x) => x.region.code === monthlyRegion) as RegionModel;
  const monthly = monthlyRows2024(monthlyRegion, suzhou.volumes, rng);

  const institutionCostRegion = '320500';
  const instCosts: CostRow[] = [];
  for (const inst of suzhou.institutions.filter((i) => i.level === 3)) {
    const provided = suzhou.volumes.byInstitution.get(inst.code) ?? new Map();
    instCosts.push(...institutionCosts(suzhou.costs, inst, (code) => provided.has(code), itemsByCode, rng));
  }

  return {
    seed,
    universe,
    itemsByCode,
    specItems: ref.specItems,
    regions,
    round1,
    round2,
    realIndicators,
    generatedIndicators,
    monthly,
    monthlyRegion,
    institutionCosts: instCosts,
    institutionCostRegion,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

export type Kind = 'catalogue' | 'institutions' | 'price-table' | 'guideline' | 'mapping' | 'costs' | 'volumes' | 'indicators' | 'reimbursement' | 'insurance-policy' | 'round';

export interface ManifestEntry {
  file: string;
  kind: Kind;
  region?: string;
  options?: Record<string, string>;
  origin: 'real' | 'generated';
  source: string;
}

interface FileRecord extends ManifestEntry {
  format: string;
  rows: number;
  description: string;
}

const ENCODING_LABEL: Record<CsvEncoding, string> = { utf8: 'CSV UTF-8', 'utf8-bom': 'CSV UTF-8 (BOM)', gbk: 'CSV GBK' };

class DemoWriter {
  readonly records: FileRecord[] = [];
  constructor(readonly outDir: string) {}

  async xlsx(rel: string, meta: Omit<FileRecord, 'file' | 'format' | 'rows'>, spec: { sheetName: string; titleRows: string[]; columns: Column[]; rows: Cell[][]; trailingRows?: string[] }): Promise<void> {
    await writeXlsx(path.join(this.outDir, rel), spec);
    this.records.push({ file: rel, format: 'xlsx', rows: spec.rows.length, ...meta });
  }

  csv(rel: string, meta: Omit<FileRecord, 'file' | 'format' | 'rows'>, encoding: CsvEncoding, rows: Cell[][], dataRows: number): void {
    writeCsv(path.join(this.outDir, rel), rows, encoding);
    this.records.push({ file: rel, format: ENCODING_LABEL[encoding], rows: dataRows, ...meta });
  }

  arrow(rel: string, meta: Omit<FileRecord, 'file' | 'format' | 'rows'>, rows: VolumeRow[]): void {
    writeVolumesArrow(path.join(this.outDir, rel), {
      region: rows.map((r) => r.regionCode),
      institution: rows.map((r) => r.institutionCode),
      item: rows.map((r) => r.itemCode),
      year: rows.map((r) => r.year),
      month: rows.map((r) => r.month),
      quantity: rows.map((r) => r.quantity),
    });
    this.records.push({ file: rel, format: 'Arrow IPC (file)', rows: rows.length, ...meta });
  }
}

const CATALOGUE_HEADERS = ['项目编码', '项目名称', '计价单位', '分类', '人力资源消耗相对值', '技术难度', '风险程度', '基本人力消耗及耗时', '说明', '2012版编码', '2001版编码', '目录版本'];
const INSTITUTION_HEADERS = ['机构编码', '机构名称', '行政区划代码', '医院等级', '经营性质', '机构类别'];
const COST_HEADERS = ['年度', '行政区划代码', '机构编码', '项目编码', '项目名称', '人员经费（元）', '卫生材料费（元）', '固定资产折旧（元）', '其他费用（元）', '单位成本（元）'];
const VOLUME_HEADERS = ['行政区划代码', '机构编码', '项目编码', '年份', '月份', '服务量'];
const INDICATOR_HEADERS = ['行政区划代码', '地区名称', '期间', '指标', '数值', '单位', '来源', '发布类型', '数据性质'];

const num = (s: string): Cell => (s !== '' && /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);
const money = (fen: number) => fenToYuan(fen);
const text = (header: string, width?: number): Column => ({ header, text: true, ...(width ? { width } : {}) });
const amount = (header: string, group?: string): Column => ({ header, numFmt: '0.00', width: 10, ...(group ? { group } : {}) });

function catalogueRows(specItems: SpecItem[]): Cell[][] {
  return specItems.map((s) => [s.code, s.name, s.unit, s.category, num(s.hrValue), num(s.techDifficulty), num(s.riskLevel), s.hrTime, s.remark, s.codes2012.join(' '), s.codes2001.join(' '), '2023版']);
}

function legacyCatalogueRows(universe: Item[]): Cell[][] {
  return universe.map((it) => [
    it.code,
    it.name,
    it.unit,
    CATEGORY_NAMES[categoryOf(it.code)] ?? '',
    '',
    '',
    '',
    '',
    itemTexts(it).note,
    '',
    '',
    '2001版（地方沿用）',
    it.code2023 ?? '',
    it.origin === 'real' ? '真实' : '生成',
  ]);
}

function institutionRows(list: Institution[]): Cell[][] {
  return list.map((i) => [i.code, i.name, i.regionCode, LEVEL_NAMES[i.level], i.ownership, i.type]);
}

interface PriceLine {
  code: string;
  name: string;
  item?: Item;
  ladder?: Ladder;
}

function priceLines(m: RegionModel): PriceLine[] {
  const lines: PriceLine[] = m.items.map((item) => ({ code: item.code, name: item.name, item, ladder: m.prices.get(item.code) as Ladder }));
  for (const [code, name] of PARENT_ROWS) {
    if (m.items.some((i) => i.code.startsWith(code) && i.code.length > code.length)) lines.push({ code, name });
  }
  return lines.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function costRows(rows: CostRow[]): Cell[][] {
  return rows.map((c) => [c.year, c.regionCode, c.institutionCode, c.itemCode, c.itemName, money(c.staff), money(c.materials), money(c.depreciation), money(c.other), money(c.total)]);
}

function costCsvRows(rows: CostRow[]): Cell[][] {
  return rows.map((c) => [c.year, c.regionCode, c.institutionCode, c.itemCode, c.itemName, formatYuan(c.staff), formatYuan(c.materials), formatYuan(c.depreciation), formatYuan(c.other), formatYuan(c.total)]);
}

function volumeRows(rows: VolumeRow[]): Cell[][] {
  return rows.map((v) => [v.regionCode, v.institutionCode, v.itemCode, v.year, v.month, v.quantity]);
}

function indicatorRows(rows: IndicatorRow[]): Cell[][] {
  return rows.map((r) => [r.regionCode, r.regionName, r.period, r.indicator, r.value, r.unit, r.source, r.releaseType, r.nature]);
}

function roundTitle(r: RoundResult, name: string): string {
  return `${name}${r.spec.effective.slice(0, 4)}年医疗服务价格调整项目表`;
}

function guidelineRows(b: GuidelineBatch): Cell[][] {
  return b.items.map((g, i) => [i + 1, g.name, g.output, g.composition, g.addOns, g.extensions, g.unit, g.note]);
}

function mappingRows(rows: MappingRow[], items: Map<string, Item>): Cell[][] {
  return rows.map((m, i) => [
    i + 1,
    m.guidelineItem,
    m.type,
    m.nhsa.join(' '),
    legacyNames(m.legacy.filter((c) => /^\d{9}$/.test(c)), items),
    m.spec2023.map((s) => s.code).join(' '),
    m.spec2023.map((s) => s.name).join(' '),
    m.legacy.join(' '),
    legacyNames(m.legacy, items),
  ]);
}

const MAPPING_COLUMNS: Column[] = [
  { header: '序号', width: 6 },
  { header: '项目名称', group: '立项指南', width: 20 },
  { header: '项目类型', group: '立项指南', width: 10 },
  { header: '项目编码', group: '医保医疗服务项目', text: true, width: 36 },
  { header: '项目名称', group: '医保医疗服务项目', width: 30 },
  { header: '项目编码', group: '全国医疗服务项目技术规范（2023年版）', text: true, width: 28 },
  { header: '项目名称', group: '全国医疗服务项目技术规范（2023年版）', width: 30 },
  { header: '项目编码', group: '原价格项目', text: true, width: 36 },
  { header: '项目名称', group: '原价格项目', width: 30 },
];

const FORMATS = {
  price: { '130200': 'xlsx', '320500': 'utf8-bom', '350200': 'xlsx', '360700': 'gbk', '511100': 'xlsx', '150000': 'utf8', '330000': 'xlsx', '510000': 'gbk' },
  costs: { '130200': 'xlsx', '320500': 'utf8', '350200': 'gbk', '360700': 'xlsx', '511100': 'utf8-bom', '150000': 'xlsx', '330000': 'utf8', '510000': 'gbk' },
  volumes: { '130200': 'utf8', '320500': 'utf8-bom', '350200': 'xlsx', '360700': 'gbk', '511100': 'utf8' },
  round1: { '130200': 'xlsx', '320500': 'utf8-bom', '350200': 'xlsx', '360700': 'gbk', '511100': 'xlsx' },
  round2: { '130200': 'utf8', '320500': 'xlsx', '350200': 'gbk', '360700': 'xlsx', '511100': 'utf8-bom' },
} as const;

const extOf = (f: string) => (f === 'xlsx' ? 'xlsx' : 'csv');

export async function writeDemo(model: DemoModel, outDir: string): Promise<FileRecord[]> {
  fs.mkdirSync(outDir, { recursive: true });
  const previous = path.join(outDir, 'manifest.json');
  if (fs.existsSync(previous)) {
    // Remove the files of the previous run (only those listed in its manifest).
    try {
      const old = JSON.parse(fs.readFileSync(previous, 'utf8')) as ManifestEntry[];
      for (const e of old) fs.rmSync(path.join(outDir, e.file), { force: true });
    } catch {
      // an unreadable manifest is simply replaced
    }
  }
  const w = new DemoWriter(outDir);
  const gen = { origin: 'generated' as const, source: `${GENERATOR_SOURCE}，种子 ${model.seed}` };
  const note = GENERATED_NOTE;

  // 1. Catalogues
  await w.xlsx(
    'catalogue/nhc-2023-chapter-a.xlsx',
    {
      kind: 'catalogue',
      origin: 'real',
      source: '国家卫生健康委《全国医疗服务项目技术规范（2023年版）》A章节选及《医疗服务项目相关财务归集口径规范》编码对照（data/reference/cn-msi-catalog）',
      description: '2023版技术规范 A章（综合医疗）项目、人力资源消耗相对值及 2012/2001 版编码对照',
    },
    {
      sheetName: '技术规范A章',
      titleRows: [
        '全国医疗服务项目技术规范（2023年版）第A章（综合医疗）节选及新旧编码对照',
        '（真实数据摘录：出处与许可说明见 data/reference/cn-msi-catalog/PROVENANCE.md）',
      ],
      columns: CATALOGUE_HEADERS.map((h) => (/编码/.test(h) ? text(h, h === '项目编码' ? 12 : 24) : /相对值|难度|程度/.test(h) ? { header: h, width: 10 } : { header: h, width: h === '分类' ? 36 : 16 })),
      rows: catalogueRows(model.specItems),
    },
  );
  const legacyHeaders = [...CATALOGUE_HEADERS, '2023版编码', '数据性质'];
  w.csv(
    'catalogue/legacy-items.csv',
    { kind: 'catalogue', ...gen, source: `${gen.source}；A章编码与名称取自 data/reference/cn-msi-catalog 的 2001 版编码`, description: '演示用旧版（9位）价格项目目录：A章真实编码 + 各类代表性项目与生成的子项' },
    'utf8-bom',
    [legacyHeaders, ...legacyCatalogueRows(model.universe)],
    model.universe.length,
  );

  // 2. Institutions
  const cities = model.regions.filter((m) => m.region.kind === 'city');
  const provinces = model.regions.filter((m) => m.region.kind === 'province');
  await w.xlsx(
    'institutions/institutions-pilot-cities.xlsx',
    { kind: 'institutions', ...gen, description: '五个试点城市的医疗机构（名称为生成）' },
    {
      sheetName: '医疗机构',
      titleRows: ['试点城市医疗机构名单', note],
      columns: [text('机构编码', 16), { header: '机构名称', width: 34 }, text('行政区划代码', 12), { header: '医院等级' }, { header: '经营性质' }, { header: '机构类别', width: 18 }],
      rows: institutionRows(cities.flatMap((m) => m.institutions)),
    },
  );
  const provInst = provinces.flatMap((m) => m.institutions);
  w.csv('institutions/institutions-pilot-provinces.csv', { kind: 'institutions', ...gen, description: '三个试点省份的医疗机构（名称为生成）' }, 'gbk', [INSTITUTION_HEADERS, ...institutionRows(provInst)], provInst.length);

  // 3. Price tables
  for (const m of model.regions) {
    const fmt = FORMATS.price[m.region.code as keyof typeof FORMATS.price];
    const rel = `price-tables/price-table-${m.region.code}-${m.region.slug}.${extOf(fmt)}`;
    const lines = priceLines(m);
    const meta = { kind: 'price-table' as const, region: m.region.code, options: { effectiveDate: PRICE_TABLE_DATE }, ...gen, description: `${m.region.name}医疗服务价格表（${PRICE_TABLE_DATE} 起执行，${m.items.length} 个项目，另有分类行）` };
    const cells = (l: PriceLine, i: number, withRegion: boolean): Cell[] => {
      const t = l.item ? itemTexts(l.item) : { content: '', exclusion: '', note: '' };
      const p = l.ladder;
      const px = (fen: number | undefined) => (fen === undefined ? '' : fmt === 'xlsx' ? money(fen) : formatYuan(fen));
      const base: Cell[] = [i + 1, l.code, l.name, t.content, t.exclusion, l.item?.unit ?? '', px(p?.p3), px(p?.p2), px(p?.p1), t.note, l.item?.insurance ?? ''];
      return withRegion ? [...base, m.region.code, l.item ? PRICE_TABLE_DATE : ''] : base;
    };
    if (fmt === 'xlsx') {
      await w.xlsx(rel, meta, {
        sheetName: '价格表',
        titleRows: [`${m.region.name}医疗服务价格项目表（2022年1月1日起执行）`, note],
        columns: [
          { header: '序号', width: 6 },
          text('项目编码', 13),
          { header: '项目名称', width: 36 },
          { header: '项目内涵', width: 24 },
          { header: '除外内容', width: 16 },
          { header: '计价单位', width: 10 },
          amount('三级', '价格（元）'),
          amount('二级', '价格（元）'),
          amount('一级', '价格（元）'),
          { header: '计价说明', width: 24 },
          { header: '医保支付类别', width: 8 },
          text('行政区划代码', 10),
          { header: '执行日期', width: 12 },
        ],
        rows: lines.map((l, i) => cells(l, i, true)),
      });
    } else {
      const levelHeader = fmt === 'gbk' ? ['三级价格', '二级价格', '一级价格'] : ['三级医院价格（元）', '二级医院价格（元）', '一级医院价格（元）'];
      const header = ['序号', '项目编码', '项目名称', '项目内涵', '除外内容', '计价单位', ...levelHeader, '计价说明', '医保支付类别', '行政区划代码', '执行日期'];
      w.csv(rel, meta, fmt, [header, ...lines.map((l, i) => cells(l, i, true))], lines.length);
    }
  }

  // 4. Guideline batches and mappings
  for (const [batch, fmt] of [[NURSING_BATCH, 'xlsx'], [ACUPUNCTURE_BATCH, 'utf8-bom']] as const) {
    const rel = `guideline/${batch.slug}-guideline.${extOf(fmt)}`;
    const meta = { kind: 'guideline' as const, options: { batchDate: batch.date }, ...gen, source: `${gen.source}；项目名称依据国家医保局《深化医疗服务价格改革 形成综合效应》（2025）`, description: `${batch.title} 附件1（${batch.items.length} 项）` };
    const header = ['序号', '项目名称', '服务产出', '价格构成', '加收项', '扩展项', '计价单位', '计价说明'];
    if (fmt === 'xlsx') {
      await w.xlsx(rel, meta, {
        sheetName: '附件1',
        titleRows: [batch.title, `附件1　${batch.dateText}${note}`],
        columns: header.map((h) => ({ header: h, width: h === '服务产出' || h === '价格构成' ? 40 : h === '项目名称' ? 18 : 12 })),
        rows: guidelineRows(batch),
        trailingRows: [batch.usage],
      });
    } else {
      w.csv(rel, meta, fmt, [[batch.title], [`附件1　${batch.dateText}`], header, ...guidelineRows(batch), [batch.usage]], batch.items.length);
    }
  }
  for (const [batch, rows, fmt] of [[NURSING_BATCH, nursingMapping(), 'xlsx'], [ACUPUNCTURE_BATCH, acupunctureMapping(), 'gbk']] as const) {
    const rel = `guideline/${batch.slug}-mapping.${extOf(fmt)}`;
    const meta = { kind: 'mapping' as const, options: { guidelineBatch: batch.title }, ...gen, source: `${gen.source}；2023版编码取自 data/reference/cn-msi-catalog，医保15位编码按“00+9位编码+0000”推得`, description: `${batch.title} 附件2 映射关系表（${rows.length} 行）` };
    const data = mappingRows(rows, model.itemsByCode);
    if (fmt === 'xlsx') {
      await w.xlsx(rel, meta, { sheetName: '附件2', titleRows: [`${batch.title}　附件2　映射关系表`, note], columns: MAPPING_COLUMNS, rows: data });
    } else {
      const top = ['序号', '立项指南', '', '医保医疗服务项目', '', '全国医疗服务项目技术规范（2023年版）', '', '原价格项目', ''];
      const sub = ['', '项目名称', '项目类型', '项目编码', '项目名称', '项目编码', '项目名称', '项目编码', '项目名称'];
      w.csv(rel, meta, fmt, [top, sub, ...data], data.length);
    }
  }

  // 5. Costs
  for (const m of model.regions) {
    const fmt = FORMATS.costs[m.region.code as keyof typeof FORMATS.costs];
    const rel = `costs/costs-${m.region.code}-${m.region.slug}.${extOf(fmt)}`;
    const meta = { kind: 'costs' as const, region: m.region.code, ...gen, description: `${m.region.name}项目成本（地区平均，2022—2023年）` };
    if (fmt === 'xlsx') {
      await w.xlsx(rel, meta, {
        sheetName: '项目成本',
        titleRows: [`${m.region.name}医疗服务项目成本（地区平均）`, note],
        columns: COST_HEADERS.map((h) => (/元/.test(h) ? amount(h) : /编码|代码/.test(h) ? text(h, 14) : { header: h, width: h === '项目名称' ? 36 : 8 })),
        rows: costRows(m.costs),
      });
    } else {
      w.csv(rel, meta, fmt, [COST_HEADERS, ...costCsvRows(m.costs)], m.costs.length);
    }
  }
  {
    const region = model.regions.find((m) => m.region.code === model.institutionCostRegion) as RegionModel;
    await w.xlsx(
      `costs/costs-${region.region.code}-${region.region.slug}-level3-institutions.xlsx`,
      { kind: 'costs', region: region.region.code, ...gen, description: `${region.region.name}三级医院的机构项目成本（2022—2023年）` },
      {
        sheetName: '机构项目成本',
        titleRows: [`${region.region.name}三级公立医院医疗服务项目成本`, note],
        columns: COST_HEADERS.map((h) => (/元/.test(h) ? amount(h) : /编码|代码/.test(h) ? text(h, 14) : { header: h, width: h === '项目名称' ? 36 : 8 })),
        rows: costRows(model.institutionCosts),
      },
    );
  }

  // 6. Volumes
  for (const m of model.regions) {
    const rows = annualRows(m.region.code, m.volumes);
    const meta = { kind: 'volumes' as const, region: m.region.code, ...gen, description: `${m.region.name}各机构年度服务量（2022、2023年，月份 0 = 全年）` };
    if (m.region.kind === 'province') {
      w.arrow(`volumes/volumes-${m.region.code}-${m.region.slug}-2022-2023.arrow`, meta, rows);
      continue;
    }
    const fmt = FORMATS.volumes[m.region.code as keyof typeof FORMATS.volumes];
    const rel = `volumes/volumes-${m.region.code}-${m.region.slug}-2022-2023.${extOf(fmt)}`;
    if (fmt === 'xlsx') {
      await w.xlsx(rel, meta, {
        sheetName: '服务量',
        titleRows: [`${m.region.name}医疗机构医疗服务项目服务量（2022—2023年）`, note],
        columns: [text('行政区划代码', 10), text('机构编码', 16), text('项目编码', 13), { header: '年份', width: 8 }, { header: '月份', width: 6 }, { header: '服务量', width: 12 }],
        rows: volumeRows(rows),
      });
    } else {
      w.csv(rel, meta, fmt, [VOLUME_HEADERS, ...volumeRows(rows)], rows.length);
    }
  }
  {
    const region = model.regions.find((m) => m.region.code === model.monthlyRegion) as RegionModel;
    w.csv(
      `volumes/volumes-${region.region.code}-${region.region.slug}-2024-monthly.csv`,
      { kind: 'volumes', region: region.region.code, ...gen, description: `${region.region.name}各机构 2024 年月度服务量（用于调价后监测）` },
      'utf8',
      [VOLUME_HEADERS, ...volumeRows(model.monthly)],
      model.monthly.length,
    );
  }

  // 7. Indicators
  w.csv(
    'indicators/indicators-national-bulletins.csv',
    { kind: 'indicators', origin: 'real', source: '国家医保局医疗保障事业发展统计快报/公报、国家统计局、国家卫生健康委统计公报（data/reference/cn-official-bulletins）', description: '全国真实指标：医保基金收支结余（快报与公报并列）、CPI、GDP、居民收入、次均费用' },
    'utf8-bom',
    [INDICATOR_HEADERS, ...indicatorRows(model.realIndicators)],
    model.realIndicators.length,
  );
  await w.xlsx(
    'indicators/indicators-generated.xlsx',
    { kind: 'indicators', ...gen, description: '试点地区及全国（无真实数据的指标与年份）的生成指标，2021—2025年' },
    {
      sheetName: '指标',
      titleRows: ['医疗服务价格动态调整评估指标（2021—2025年）', note],
      columns: [text('行政区划代码', 10), { header: '地区名称', width: 14 }, text('期间', 8), { header: '指标', width: 28 }, { header: '数值', width: 12 }, { header: '单位', width: 8 }, { header: '来源', width: 20 }, { header: '发布类型', width: 10 }, { header: '数据性质', width: 8 }],
      rows: indicatorRows(model.generatedIndicators),
    },
  );

  // 8. 医保支付比例表: the pilot cities as xlsx (two-level header), the pilot provinces as GBK CSV (flat headers)
  {
    const cities = model.regions.filter((m) => m.region.kind !== 'province').map((m) => m.region);
    const provinces = model.regions.filter((m) => m.region.kind === 'province').map((m) => m.region);
    const pct = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ''));
    const line = (r: ReimbursementRow): Cell[] => [r.regionCode, r.regionName, r.paymentClass, pct(r.pct[3]), pct(r.pct[2]), pct(r.pct[1]), PRICE_TABLE_DATE];
    const calibrated = '按全国居民医保 2023 年住院基金支付比例（三级 52%、二级 64%、一级 74%）校准；乙类按甲类的 90%，丙类与自费为 0';
    const cityRows = reimbursementRows(cities);
    await w.xlsx(
      'reimbursement/reimbursement-rates-pilot-cities.xlsx',
      { kind: 'reimbursement', ...gen, description: `五个试点城市的医保支付比例表（${PRICE_TABLE_DATE} 起执行；${calibrated}）` },
      {
        sheetName: '医保支付比例',
        titleRows: ['试点城市医疗服务项目医保基金支付比例表', note],
        columns: [
          text('行政区划代码', 12), { header: '地区名称', width: 12 }, { header: '医保支付类别', width: 12 },
          { header: '三级医院', group: '基金支付比例（%）', width: 10 }, { header: '二级医院', group: '基金支付比例（%）', width: 10 },
          { header: '一级医院', group: '基金支付比例（%）', width: 10 }, text('执行日期', 12),
        ],
        rows: cityRows.map(line),
      },
    );
    const provinceRows = reimbursementRows(provinces);
    w.csv(
      'reimbursement/reimbursement-rates-pilot-provinces.csv',
      { kind: 'reimbursement', ...gen, description: `三个试点省份的医保支付比例表（${PRICE_TABLE_DATE} 起执行；${calibrated}）` },
      'gbk',
      [['行政区划代码', '地区名称', '医保支付类别', '三级医院基金支付比例（%）', '二级医院基金支付比例（%）', '一级医院基金支付比例（%）', '执行日期'], ...provinceRows.map(line)],
      provinceRows.length,
    );
  }

  // 9. 医保待遇政策表: the pilot cities as xlsx (two-level headers over the levels), the pilot provinces as GBK CSV
  {
    const cities = model.regions.filter((m) => m.region.kind !== 'province').map((m) => m.region);
    const provinces = model.regions.filter((m) => m.region.kind === 'province').map((m) => m.region);
    const calibrated = '住院报销比例按全国居民医保 2023 年住院基金支付比例（三级 52%、二级 64%、一级 74%）校准；大病保险起付线 15,000 元';
    const cityRows = policyRows(cities);
    const sub = (h: string) => h.replace(/^(三级|二级|一级)医院(住院起付线（元）|住院报销比例（%）)$/, '$1');
    const groupOf = (h: string) => /^(三级|二级|一级)医院住院起付线/.test(h) ? '住院起付线（元）' : /^(三级|二级|一级)医院住院报销比例/.test(h) ? '住院报销比例（%）' : undefined;
    await w.xlsx(
      'insurance-policy/insurance-policy-pilot-cities.xlsx',
      { kind: 'insurance-policy', ...gen, description: `五个试点城市的医保待遇政策表（城乡居民医保，${PRICE_TABLE_DATE} 起执行；${calibrated}；苏州含惠民保）` },
      {
        sheetName: '医保待遇政策',
        titleRows: ['试点城市医疗保障待遇政策表（基本医保、大病保险、医疗救助）', note],
        columns: POLICY_HEADERS.map((h) => {
          const group = groupOf(h);
          if (group) return { header: sub(h), group, width: 8 };
          return /代码|日期|分段点|大病保险报销比例/.test(h) ? text(h, 12) : { header: h, width: 12 };
        }),
        rows: cityRows.map((p) => policyCells(p, PRICE_TABLE_DATE)),
      },
    );
    const provinceRows = policyRows(provinces);
    w.csv(
      'insurance-policy/insurance-policy-pilot-provinces.csv',
      { kind: 'insurance-policy', ...gen, description: `三个试点省份的医保待遇政策表（城乡居民医保，${PRICE_TABLE_DATE} 起执行；${calibrated}）` },
      'gbk',
      [[...POLICY_HEADERS], ...provinceRows.map((p) => policyCells(p, PRICE_TABLE_DATE))],
      provinceRows.length,
    );
  }

  // 10. Rounds
  for (const [results, formats] of [[model.round1, FORMATS.round1], [model.round2, FORMATS.round2]] as const) {
    for (const r of results) {
      const region = model.regions.find((m) => m.region.code === r.regionCode) as RegionModel;
      const fmt = formats[r.regionCode as keyof typeof formats];
      const rel = `rounds/round${r.spec.round}-${r.spec.effective.slice(0, 4)}-${r.regionCode}-${region.region.slug}.${extOf(fmt)}`;
      const title = roundTitle(r, region.region.name);
      const meta = {
        kind: 'round' as const,
        region: r.regionCode,
        ...gen,
        description: `${title}（第${r.spec.round === 1 ? '一' : '二'}轮，${r.spec.effective} 起执行；${r.rows.length} 个项目、${r.count} 项项目价格，净额 ${fenToYi(r.net)} 亿元）`,
      };
      const px = (fen: number) => (fmt === 'xlsx' ? money(fen) : formatYuan(fen));
      const line = (row: RoundResult['rows'][number]): Cell[] => [row.item.code, row.item.name, row.item.unit, px(row.old.p3), px(row.old.p2), px(row.old.p1), px(row.next.p3), px(row.next.p2), px(row.next.p1)];
      if (fmt === 'xlsx') {
        await w.xlsx(rel, meta, {
          sheetName: '调价项目表',
          titleRows: [title, `（第${r.spec.round === 1 ? '一' : '二'}轮调价，${r.spec.effective.slice(0, 4)}年1月1日起执行）${note}`],
          columns: [
            { header: '序号', width: 6 },
            text('项目编码', 13),
            { header: '项目名称', width: 36 },
            { header: '计价单位', width: 10 },
            amount('三级', '原价（元）'),
            amount('二级', '原价（元）'),
            amount('一级', '原价（元）'),
            amount('三级', '新价（元）'),
            amount('二级', '新价（元）'),
            amount('一级', '新价（元）'),
            { header: '执行日期', width: 12 },
            text('行政区划代码', 10),
          ],
          rows: r.rows.map((row, i) => [i + 1, ...line(row), r.spec.effective, r.regionCode]),
        });
      } else {
        const header = ['序号', '行政区划代码', '项目编码', '项目名称', '计价单位', '三级原价（元）', '二级原价（元）', '一级原价（元）', '三级新价（元）', '二级新价（元）', '一级新价（元）', '执行日期'];
        const rows = r.rows.map((row, i): Cell[] => {
          const [code, name, unit, ...prices] = line(row);
          return [i + 1, r.regionCode, code, name, unit, ...prices, r.spec.effective];
        });
        w.csv(rel, meta, fmt, [[title], header, ...rows], rows.length);
      }
    }
  }

  const manifest: ManifestEntry[] = w.records.map(({ file, kind, region, options, origin, source }) => ({
    file,
    kind,
    ...(region ? { region } : {}),
    ...(options ? { options } : {}),
    origin,
    source,
  }));
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'README.md'), demoReadme(model, w.records));
  return w.records;
}

function demoReadme(model: DemoModel, records: FileRecord[]): string {
  const sum = (rs: RoundResult[], f: (r: RoundResult) => number) => rs.reduce((s, r) => s + f(r), 0);
  const cityName = (code: string) => PILOT_CITIES.find((c) => c.code === code)?.name ?? code;
  const roundLines = [model.round1, model.round2].flatMap((rs) =>
    rs.map((r) => `| ${r.spec.round} | ${cityName(r.regionCode)} ${r.regionCode} | ${r.spec.effective} | ${r.rows.length} | ${r.count} | ${(r.net / 100 / 1e4).toFixed(2)} |`),
  );
  const fileLines = records.map(
    (r) => `| \`${r.file}\` | ${r.kind} | ${r.region ?? ''} | ${r.format} | ${r.rows} | ${r.origin === 'real' ? '真实 real' : '生成 generated'} | ${r.description} |`,
  );
  const itemsPerRegion = model.regions.map((m) => `${m.region.name} ${m.items.length}`).join('、');
  const instPerRegion = model.regions.map((m) => `${m.region.name} ${m.institutions.length}`).join('、');
  return `# 演示数据 / demo dataset

医疗服务价格改革分析平台的演示数据：五个试点城市（唐山 130200、苏州 320500、厦门 350200、赣州 360700、乐山 511100）和
三个试点省份（内蒙古 150000、浙江 330000、四川 510000），文件版式与 \`etl/README.md\` 的导入版式一致
。**除标明“真实”的文件外，全部为生成数据**：机构名称、价格、
成本、服务量、调价明细和地区指标都不是任何地方的实际数据。

The demo data for the five pilot cities and three pilot provinces, in the layouts the loaders accept. Everything is
generated by \`data/generator\` with a fixed seed (${model.seed}) except the files marked real. xlsx files say so in a
title row; CSV and Arrow files say so only here and in \`manifest.json\`.

Regenerate (byte-identical for the same seed):

\`\`\`
npm run data:generate -- --scale demo --out data/demo --seed ${model.seed}
\`\`\`

The benchmark scales are never committed: \`--scale province\` (1 region, 10,000 items, ≈3M volume rows) and
\`--scale national\` (31 provincial regions × 10,000 items × 3 levels of prices, ≈31M volume rows in one \`volumes.csv\`
of about 1.2 GB) write to \`--out\` (default \`data/generated/<scale>\`, ignored by git).

Load in dependency order: \`manifest.json\` lists every file with its kind, region, loader options (\`effectiveDate\`,
\`batchDate\`, \`guidelineBatch\` = the ETL flags \`--effective-date\`, \`--batch-date\`, \`--guideline-batch\`), origin and source.

## Files

| file | kind | region | format / encoding | data rows | origin | content |
|---|---|---|---|---|---|---|
${fileLines.join('\n')}

## What is real and what is generated

- **Real**: \`catalogue/nhc-2023-chapter-a.xlsx\` (chapter A of the 2023 national technical specification with relative
  values and the 2023↔2012↔2001 code crosswalk, an excerpt; see \`data/reference/cn-msi-catalog/PROVENANCE.md\`, including
  its licence caveat) and \`indicators/indicators-national-bulletins.csv\` (national fund income, spending and balances
  from the NHSA 快报 and 公报 — both kept side by side —, CPI 2024, GDP 2024, disposable income 2024, 2023 cost per visit /
  stay; see \`data/reference/cn-official-bulletins/PROVENANCE.md\`). Fund rows name their scope in 来源 where the bulletin
  gives only the pooled funds (统筹基金).
- **Real codes in generated files**: the legacy 9-digit codes and names of chapter A (1xxxxxxxx) come from the crosswalk.
  Codes of the other categories follow the structure of the 2001 national catalogue (category by prefix: 21 影像, 22 超声,
  23 核医学, 24 放疗, 25 检验, 26 血型配血, 27 病理, 31 临床诊疗, 32 介入, 33 手术, 34 康复, 4 中医); they are
  real-looking, not checked against an official list. Sub-items with a letter suffix (\`110900001a\`) and province-added
  codes (\`…x\`) occur. The 15-digit NHSA codes of the mapping tables are derived as \`00\` + 9-digit code + \`0000\`.
- **Generated**: institutions (${instPerRegion}), items per region (${itemsPerRegion}), price ladders (三级 ≥ 二级 ≥ 一级,
  steps of 10–20 %), costs (components add up exactly to the unit cost; recovery rate price ÷ cost about 0.5–0.9 for
  labour items, 1.1–1.6 for equipment-heavy exams and lab), volumes, rounds, the guideline tables' texts and every
  regional indicator.

Published figures built in: 江苏 colour Doppler ladder 70/60/50 and transcranial Doppler 60/50/40 (苏州); round 1 cuts
CT 180→135 (唐山), MRI 850→600 and PET/CT 10,000→7,000 (苏州) as in 北京 2017; round 2 raises 特级护理 to 150元/日 and
输液港置入 to 700元 in every pilot city and cuts B型钠尿肽 330→180 (厦门) and 糖化血红蛋白 88→30 (赣州) as in NHSA 2025.
The 北京 2017 pairs for 护理 (7→26), 阑尾切除 (234→560) and 针刺 (4→26) start from 2017 price levels far below 2022's,
so the demo only follows their direction (large rises for nursing, surgery and acupuncture).

## Pilot rounds (NHSA 2025: 3.52亿元 / 1,398 item prices and 6.31亿元 / 5,076 item prices)

Net amount = Σ over changed (item, level) of (新价 − 原价) × the city's base-year volume at that level (2022 for round 1,
2023 for round 2) summed over its public institutions of that level. An item price is one item at one hospital level
in one city. 原价 is the price in force: the 2022 price table for round 1, round 1's 新价 (else the price table) for
round 2. The generator's tests recompute all of this from the written files.

| round | city | effective | rows | item prices | net (万元) |
|---|---|---|---|---|---|
${roundLines.join('\n')}
| 1 | total | 2023-01-01 | ${sum(model.round1, (r) => r.rows.length)} | ${sum(model.round1, (r) => r.count)} | ${(sum(model.round1, (r) => r.net) / 100 / 1e4).toFixed(2)} |
| 2 | total | 2024-01-01 | ${sum(model.round2, (r) => r.rows.length)} | ${sum(model.round2, (r) => r.count)} | ${(sum(model.round2, (r) => r.net) / 100 / 1e4).toFixed(2)} |

## Indicators shaped for the trigger evaluation (year 2024)

- 乐山 511100: start conditions hold (门诊/住院次均费用 fell in 2023 and 2024; 医疗收入增长率 4.2 < GDP 5.6), but
  医药总费用增长率 = 11.0 %, so a 湖南-style constraint (> 10 %) blocks the round.
- 苏州 320500: 医疗收入增长率 4.1 < GDP增长率 5.8 and every constraint fine (cleanly triggered).
- 赣州 360700: the fund ran a deficit and the accumulated balance covers fewer than 3 months of spending.
- 唐山 130200: no start condition holds.
- 2022 has 重大突发公共事件 = 1 everywhere.
`;
}
