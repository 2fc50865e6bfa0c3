/**
 * What the trigger rules need to know about the indicator catalogue (reference.ts INDICATORS): names, units, and
 * which indicators are growth rates of which levels.
 */
import { INDICATORS, type IndicatorDef } from '../reference';

const BY_CODE = new Map<string, IndicatorDef>(INDICATORS.map((d) => [d.code, d]));

export function indicatorDef(code: string): IndicatorDef | undefined {
  return BY_CODE.get(code);
}

export function isKnownIndicator(code: string): boolean {
  return BY_CODE.has(code);
}

/** Chinese name of an indicator; the code itself when it is not in the catalogue. */
export function indicatorName(code: string): string {
  return BY_CODE.get(code)?.name_zh ?? code;
}

/** Catalogue unit of an indicator ('%', '元', '亿元', '月', '是/否', …); '' when unknown. */
export function indicatorUnit(code: string): string {
  return BY_CODE.get(code)?.unit ?? '';
}

/** A published year-on-year growth rate: a rate whose code ends in `_growth` (GDP增长率, 门诊次均费用增长率, CPI涨幅 …). */
export function isGrowthRate(code: string): boolean {
  const d = BY_CODE.get(code);
  return d !== undefined && d.kind === 'rate' && code.endsWith('_growth');
}

/** A level whose growth can be computed from consecutive values (amounts, counts, indices, shares). */
export function isLevel(code: string): boolean {
  const d = BY_CODE.get(code);
  return d !== undefined && (d.kind === 'amount' || d.kind === 'count' || d.kind === 'index' || d.kind === 'share');
}

/**
 * How the growth of an indicator is obtained. `published` is the growth-rate indicator read as is; `level` is the level
 * series the rate is computed from when the published rate is absent. A level and a rate pair up when the rate's
 * Chinese name is the level's name + 增长率 (门诊次均费用 ↔ 门诊次均费用增长率). Either code of a pair may be given.
 * Returns null when growth is meaningless (flags, control targets) or the code is unknown.
 */
export interface GrowthSource {
  published: string | null;
  level: string | null;
}

export function growthSource(code: string): GrowthSource | null {
  const d = BY_CODE.get(code);
  if (!d) return null;
  if (isGrowthRate(code)) {
    const level = INDICATORS.find((x) => isLevel(x.code) && x.name_zh + '增长率' === d.name_zh);
    return { published: code, level: level?.code ?? null };
  }
  if (isLevel(code)) {
    const rate = INDICATORS.find((x) => isGrowthRate(x.code) && x.name_zh === d.name_zh + '增长率');
    return { published: rate?.code ?? null, level: code };
  }
  return null;
}

/** Chinese name of the (one-year) growth of an indicator: the published rate's name, else the level's name + 增长率. */
export function growthName(code: string): string {
  const s = growthSource(code);
  if (s?.published) return indicatorName(s.published);
  return indicatorName(s?.level ?? code) + '增长率';
}

/** Money and head-count units that convert into each other (factor = size of one unit in the base unit). */
const UNIT_FAMILIES: ReadonlyArray<Record<string, number>> = [
  { 元: 1, 万元: 1e4, 亿元: 1e8 },
  { 人: 1, 万人: 1e4 },
];

/** Factor that converts a value in `from` into `to`; null when the units do not convert. */
export function unitFactor(from: string, to: string): number | null {
  if (from === to) return 1;
  for (const fam of UNIT_FAMILIES) {
    const a = fam[from];
    const b = fam[to];
    if (a !== undefined && b !== undefined) return a / b;
  }
  return null;
}
