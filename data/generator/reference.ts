// Reads the real reference data kept with the product in data/reference (copies with provenance).
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv, parseTsvRecords } from './csv';

/** Finds the folder data/reference by walking up from this file (works from the source tree and from build/). */
export function findReferenceDir(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'data', 'reference');
    if (fs.existsSync(path.join(candidate, 'cn-msi-catalog'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('data/reference not found above ' + start);
    dir = parent;
  }
}

/** One item of the 2023 technical specification (chapter A excerpt) with its older codes. */
export interface SpecItem {
  code: string;
  name: string;
  unit: string;
  category: string;
  hrValue: string;
  techDifficulty: string;
  riskLevel: string;
  hrTime: string;
  remark: string;
  codes2012: string[];
  codes2001: string[];
  invoiceClass: string;
  /** True when the item is in the technical-specification excerpt (else only in the crosswalk). */
  inSpec: boolean;
}

/** One 2001/2007-edition item (9-digit legacy code) named in the crosswalk. */
export interface LegacyRefItem {
  code: string;
  name: string;
  invoiceClass: string;
  /** 2023 item it maps onto, when the crosswalk gives one. */
  code2023?: string;
  name2023?: string;
}

export interface CatalogueReference {
  specItems: SpecItem[];
  legacyItems: LegacyRefItem[];
}

const ITEM_CODE = /^[A-Z]{4}\d{4}$/;

export function readCatalogueReference(referenceDir = findReferenceDir()): CatalogueReference {
  const dir = path.join(referenceDir, 'cn-msi-catalog');
  const spec = parseTsvRecords(fs.readFileSync(path.join(dir, 'nhc_2023_tech_spec_chapterA_excerpt.tsv'), 'utf8'));
  const cross = parseTsvRecords(fs.readFileSync(path.join(dir, 'code_crosswalk_2023_2012_2001_chapterA.tsv'), 'utf8'));

  const specByCode = new Map(spec.map((r) => [r['item_code'] as string, r]));
  const items = new Map<string, SpecItem>();
  const legacy = new Map<string, LegacyRefItem>();
  const headers: string[] = [];
  let anchor: SpecItem | null = null;

  const addLegacy = (code: string, name: string, invoiceClass: string, item: SpecItem | null) => {
    if (!code) return;
    const existing = legacy.get(code);
    if (existing) {
      if (!existing.code2023 && item) {
        existing.code2023 = item.code;
        existing.name2023 = item.name;
      }
      return;
    }
    legacy.set(code, { code, name, invoiceClass, ...(item ? { code2023: item.code, name2023: item.name } : {}) });
  };

  for (const r of cross) {
    const c23 = r['code_2023'] ?? '';
    const c12 = r['code_2012'] ?? '';
    const c01 = r['code_2001'] ?? '';
    if (c23 && !ITEM_CODE.test(c23)) {
      // A chapter/section header row: 'A', 'AA', 'AAA', 'AAAN' or a range 'AAAA-AAAD'.
      const level = c23.includes('-') ? 4 : c23.length;
      headers.length = Math.min(headers.length, level - 1);
      while (headers.length < level - 1) headers.push('');
      headers.push(c23.includes('-') ? '' : (r['name_2023'] ?? ''));
      anchor = null;
      continue;
    }
    if (c23) {
      let item = items.get(c23);
      if (!item) {
        const s = specByCode.get(c23);
        item = {
          code: c23,
          name: s?.['item_name'] || r['name_2023'] || '',
          unit: s?.['unit'] ?? '',
          category: s?.['cat_name'] || headers.filter((h) => h).join(' > '),
          hrValue: s?.['hr_value'] ?? '',
          techDifficulty: s?.['tech_difficulty'] ?? '',
          riskLevel: s?.['risk_level'] ?? '',
          hrTime: s?.['hr_time'] ?? '',
          remark: s?.['remark'] ?? '',
          codes2012: [],
          codes2001: [],
          invoiceClass: s?.['invoice_class'] || r['invoice_class'] || '',
          inSpec: Boolean(s),
        };
        items.set(c23, item);
      }
      if (c12 && !item.codes2012.includes(c12)) item.codes2012.push(c12);
      if (c01 && !item.codes2001.includes(c01)) item.codes2001.push(c01);
      addLegacy(c01, r['name_2001'] ?? '', r['invoice_class'] ?? '', item);
      anchor = item;
      continue;
    }
    if (!c12 && c01 && anchor) {
      // A continuation row: one more 2001 item mapped onto the 2023 item above.
      if (!anchor.codes2001.includes(c01)) anchor.codes2001.push(c01);
      addLegacy(c01, r['name_2001'] ?? '', r['invoice_class'] ?? '', anchor);
      continue;
    }
    // A 2012 item without a confirmed 2023 successor (or a row continuing one): keep its 2001 item, unmapped.
    if (c12) anchor = null;
    addLegacy(c01, r['name_2001'] ?? '', r['invoice_class'] ?? '', null);
  }
  return { specItems: [...items.values()], legacyItems: [...legacy.values()] };
}

export interface FundBulletinRow {
  year: number;
  releaseType: 'kuaibao_express' | 'gongbao_final';
  scope: string;
  indicator: string;
  value: number;
  unit: string;
  sourceRef: string;
}

export interface MacroRow {
  year: number;
  indicator: string;
  value: number;
  unit: string;
  note: string;
  sourceRef: string;
}

function readCsvRecords(file: string): Array<Record<string, string>> {
  const rows = parseCsv(fs.readFileSync(file, 'utf8'));
  const header = rows.shift() ?? [];
  return rows
    .filter((r) => r.some((c) => c.trim() !== ''))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? '').trim()])));
}

export function readBulletins(referenceDir = findReferenceDir()): { fund: FundBulletinRow[]; macro: MacroRow[] } {
  const dir = path.join(referenceDir, 'cn-official-bulletins');
  const fund = readCsvRecords(path.join(dir, 'nhsa_fund_bulletins.csv')).map((r) => ({
    year: Number(r['year']),
    releaseType: r['release_type'] as FundBulletinRow['releaseType'],
    scope: r['scope'] ?? '',
    indicator: r['indicator'] ?? '',
    value: Number(r['value']),
    unit: r['unit'] ?? '',
    sourceRef: r['source_ref'] ?? '',
  }));
  const macro = readCsvRecords(path.join(dir, 'national_macro_health_indicators.csv')).map((r) => ({
    year: Number(r['year']),
    indicator: r['indicator'] ?? '',
    value: Number(r['value']),
    unit: r['unit'] ?? '',
    note: r['note'] ?? '',
    sourceRef: r['source_ref'] ?? '',
  }));
  return { fund, macro };
}

/** The publications behind the source_ref codes of cn-official-bulletins (see its PROVENANCE.md). */
export const BULLETIN_SOURCES: Record<string, string> = {
  S1: '国家医疗保障局 2022年医疗保障事业发展统计快报（2023-03-09）',
  S2: '国家医疗保障局《2022年全国医疗保障事业发展统计公报》',
  S3: '国家医疗保障局《2023年全国医疗保障事业发展统计公报》',
  S4: '国家医疗保障局 2024年医疗保障事业发展统计快报（2025-03-21）',
  S5: '国家医疗保障局《2024年全国医疗保障事业发展统计公报》',
  S6: '国家统计局 2024年居民收入和消费支出情况（2025-01-17）',
  S7: '国家统计局 2024年居民消费价格指数',
  S8: '国家卫生健康委《2023年我国卫生健康事业发展统计公报》',
};
