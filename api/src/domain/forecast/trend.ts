/**
 * Trend growth of service volumes by category from the loaded history (docs/forecast.md).
 *
 * Volumes of different items do not add up (a CT scan and a nursing day are different units), so a category's
 * volume is measured at fixed prices, a Laspeyres quantity index: V_c(y) = Σ P⁰·Q_y over the category's rows (item
 * and level) that have a volume in both the first loaded year f and the base year b, P⁰ the row's price in force on
 * the round's price date. The annual growth is g_c = (V_c(b) ÷ V_c(f))^(1 ÷ (b − f)) − 1. A category without two
 * years of history (or without a common row) grows by 0, and the result says why.
 */
import { CATEGORIES, type HospitalLevel } from '../reference';

export interface TrendRow {
  itemCode: string;
  categoryCode: string;
  level: HospitalLevel;
  /** P⁰, fen */
  priceFen: number;
}

export interface YearVolume {
  itemCode: string;
  level: number;
  year: number;
  quantity: number;
}

export interface CategoryTrend {
  categoryCode: string;
  labelZh: string;
  /** Annual growth, decimal; 0 when there is no history. */
  growth: number;
  fromYear: number | null;
  toYear: number | null;
  /** V_c(f) and V_c(b), fen */
  fromValueFen: number;
  toValueFen: number;
  /** Rows (item × level) in both years. */
  rowCount: number;
  noteZh: string | null;
}

const CATEGORY_ZH = new Map(CATEGORIES.map((c) => [c.code, c.name_zh]));

/** The categories' trends (in the order of `rows`' first appearance of each category). */
export function volumeTrend(rows: readonly TrendRow[], volumes: readonly YearVolume[], baseYear: number): CategoryTrend[] {
  const years = [...new Set(volumes.filter((v) => v.year <= baseYear && v.quantity > 0).map((v) => v.year))].sort((a, b) => a - b);
  const first = years[0];
  const hasBase = years.includes(baseYear);
  const byKey = new Map<string, TrendRow>(rows.map((r) => [`${r.itemCode}|${r.level}`, r]));
  const from = new Map<string, number>();
  const to = new Map<string, number>();
  if (first !== undefined && hasBase && first < baseYear) {
    for (const v of volumes) {
      if (v.quantity <= 0) continue;
      const k = `${v.itemCode}|${v.level}`;
      if (!byKey.has(k)) continue;
      if (v.year === first) from.set(k, (from.get(k) ?? 0) + v.quantity);
      else if (v.year === baseYear) to.set(k, (to.get(k) ?? 0) + v.quantity);
    }
  }
  const acc = new Map<string, { f: number; b: number; n: number }>();
  for (const r of rows) if (!acc.has(r.categoryCode)) acc.set(r.categoryCode, { f: 0, b: 0, n: 0 });
  for (const [k, qf] of from) {
    const qb = to.get(k);
    if (qb === undefined) continue;
    const r = byKey.get(k)!;
    const a = acc.get(r.categoryCode)!;
    a.f += r.priceFen * qf;
    a.b += r.priceFen * qb;
    a.n++;
  }
  const out: CategoryTrend[] = [];
  for (const [code, a] of acc) {
    const base = { categoryCode: code, labelZh: CATEGORY_ZH.get(code) ?? code, fromValueFen: a.f, toValueFen: a.b, rowCount: a.n };
    if (first === undefined || !hasBase) {
      out.push({ ...base, growth: 0, fromYear: null, toYear: null, noteZh: `没有基期 ${baseYear} 年的服务量，不计趋势增长` });
    } else if (first === baseYear) {
      out.push({ ...base, growth: 0, fromYear: null, toYear: null, noteZh: `只有基期 ${baseYear} 年一年的服务量，不计趋势增长` });
    } else if (a.n === 0 || a.f <= 0) {
      out.push({ ...base, growth: 0, fromYear: first, toYear: baseYear, noteZh: `${first} 年与 ${baseYear} 年没有共同的项目服务量，不计趋势增长` });
    } else {
      const growth = Math.pow(a.b / a.f, 1 / (baseYear - first)) - 1;
      out.push({ ...base, growth, fromYear: first, toYear: baseYear, noteZh: null });
    }
  }
  return out;
}
