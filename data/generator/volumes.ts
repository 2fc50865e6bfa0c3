// Service volumes: which institution provides which item, and how many units a year (and per month for 2024).
import type { Institution, Level } from './institutions';
import type { Item, ItemKind } from './items';
import type { Region } from './regions';
import { Rng } from './random';

export interface VolumeRow {
  regionCode: string;
  institutionCode: string;
  itemCode: string;
  year: number;
  /** 0 = the whole year. */
  month: number;
  quantity: number;
}

const BASIC_AT_LEVEL1: ReadonlySet<ItemKind> = new Set(['cons', 'nurs', 'bed', 'trt', 'comm', 'tcm', 'rehab', 'misc']);

/** Probability that an institution provides an item (0 when the item needs a higher level). */
export function provisionProbability(inst: Institution, it: Item): number {
  if (it.minLevel > inst.level) return 0;
  let p: number;
  if (inst.level === 3) p = it.core ? 0.97 : 0.85;
  else if (inst.level === 2) p = it.core ? 0.88 : 0.7;
  else p = (BASIC_AT_LEVEL1.has(it.kind) ? 0.85 : it.kind === 'lab' || it.kind === 'img' || it.kind === 'us' || it.kind === 'diag' ? 0.6 : 0.3) * (it.core ? 1 : 0.6);
  if (inst.type === '中医医院') {
    if (it.tcmSpecialty) p = 1;
    if (it.kind === 'surg' || it.kind === 'intv') p *= 0.6;
  }
  if (inst.type === '妇幼保健院') {
    if (it.women) p = 1;
    else if (it.kind === 'surg' || it.kind === 'intv' || it.kind === 'rt' || it.kind === 'nuc') p = 0.05;
    else if (it.tcmSpecialty) p *= 0.4;
  }
  if (inst.ownership === '非公立' && (it.kind === 'intv' || it.kind === 'rt' || it.kind === 'nuc')) p *= 0.3;
  return p;
}

function levelShare(level: Level, it: Item): number {
  if (it.community) return level === 1 ? 1.2 : level === 2 ? 0.6 : 0.3;
  if (level === 3) return 1;
  if (level === 2) return 0.33;
  return it.kind === 'cons' || it.kind === 'nurs' || it.kind === 'bed' || it.kind === 'tcm' ? 0.1 : 0.06;
}

function specialtyFactor(inst: Institution, it: Item): number {
  if (inst.type === '中医医院') return it.tcmSpecialty ? 3 : it.kind === 'surg' ? 0.4 : 0.8;
  if (inst.type === '妇幼保健院') return it.women ? 3 : 0.4;
  return it.tcmSpecialty ? 0.6 : 1;
}

/** Growth 2022 → 2023 by kind (exams and lab slower: mutual recognition of results). */
const GROWTH_2023: Partial<Record<ItemKind, number>> = { lab: 1.02, img: 1.02, us: 1.03, surg: 1.07, intv: 1.08, tcm: 1.06, nurs: 1.05, cons: 1.06, rehab: 1.06 };

/** Monthly pattern (Spring Festival dip in February). */
export const MONTH_WEIGHTS = [1.02, 0.82, 1.05, 1.02, 1.02, 1.0, 1.03, 1.03, 0.99, 0.96, 1.02, 1.04];

export interface AnnualVolumes {
  /** institution code → item code → [2022, 2023] */
  byInstitution: Map<string, Map<string, [number, number]>>;
}

export function buildAnnualVolumes(region: Region, institutions: Institution[], items: Item[], rng: Rng): AnnualVolumes {
  const byInstitution = new Map<string, Map<string, [number, number]>>();
  for (const inst of institutions) {
    const r = rng.fork('volumes:' + inst.code);
    const m = new Map<string, [number, number]>();
    for (const it of items) {
      const p = provisionProbability(inst, it);
      const draw = r.next();
      const spread = r.spread(0.35);
      const growth = (GROWTH_2023[it.kind] ?? 1.04) * r.spread(0.04);
      if (draw >= p) continue;
      const base = it.volume3 * levelShare(inst.level, it) * inst.size * region.volumeFactor * specialtyFactor(inst, it) * spread;
      const v2022 = Math.max(1, Math.round(base));
      const v2023 = Math.max(1, Math.round(base * growth));
      m.set(it.code, [v2022, v2023]);
    }
    byInstitution.set(inst.code, m);
  }
  return { byInstitution };
}

/** Splits an annual total over 12 months (largest remainder, so the months add up exactly). */
export function splitMonths(total: number, r: Rng): number[] {
  const w = MONTH_WEIGHTS.map((x) => x * r.spread(0.05));
  const sum = w.reduce((a, b) => a + b, 0);
  const raw = w.map((x) => (total * x) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  return out;
}

/** Annual rows (月份 0) for 2022 and 2023. */
export function annualRows(regionCode: string, vols: AnnualVolumes): VolumeRow[] {
  const rows: VolumeRow[] = [];
  for (const [instCode, m] of vols.byInstitution) {
    for (const [itemCode, [v22, v23]] of m) {
      rows.push({ regionCode, institutionCode: instCode, itemCode, year: 2022, month: 0, quantity: v22 });
      rows.push({ regionCode, institutionCode: instCode, itemCode, year: 2023, month: 0, quantity: v23 });
    }
  }
  rows.sort((a, b) => a.year - b.year || cmp(a.institutionCode, b.institutionCode) || cmp(a.itemCode, b.itemCode));
  return rows;
}

/** Monthly rows for 2024 (months with zero volume are left out). */
export function monthlyRows2024(regionCode: string, vols: AnnualVolumes, rng: Rng): VolumeRow[] {
  const rows: VolumeRow[] = [];
  for (const [instCode, m] of vols.byInstitution) {
    const r = rng.fork('monthly-2024:' + instCode);
    for (const [itemCode, [, v23]] of m) {
      const annual = Math.max(1, Math.round(v23 * 1.04 * r.spread(0.04)));
      splitMonths(annual, r).forEach((q, i) => {
        if (q > 0) rows.push({ regionCode, institutionCode: instCode, itemCode, year: 2024, month: i + 1, quantity: q });
      });
    }
  }
  rows.sort((a, b) => cmp(a.institutionCode, b.institutionCode) || cmp(a.itemCode, b.itemCode) || a.month - b.month);
  return rows;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Σ volume over the public institutions of each level: item code → [三级, 二级, 一级]. */
export function publicVolumeByLevel(institutions: Institution[], vols: AnnualVolumes, yearIndex: 0 | 1): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  for (const inst of institutions) {
    if (inst.ownership !== '公立') continue;
    const m = vols.byInstitution.get(inst.code);
    if (!m) continue;
    const idx = 3 - inst.level;
    for (const [code, v] of m) {
      const q = out.get(code) ?? [0, 0, 0];
      q[idx] += v[yearIndex];
      out.set(code, q);
    }
  }
  return out;
}
