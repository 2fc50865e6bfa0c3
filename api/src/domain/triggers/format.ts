/**
 * Chinese wording of trigger evidence: numbers with units, comparisons, release names.
 * Rounding is half away from zero at the shown number of decimals (as in money.ts).
 */
import { formatFen, type MoneyUnit } from '../money';
import type { Comparison, ReleaseType, RuleRole } from './schema';

import type { DisplayUnit } from './evidence';

export type { DisplayUnit } from './evidence';

/** Removes binary floating-point noise (0.1 + 0.2, 4.2 − 5.6) before comparing: 12 significant digits. */
export function clean(x: number): number {
  if (!Number.isFinite(x)) return x;
  const y = Number(x.toPrecision(12));
  return y === 0 ? 0 : y;
}

/** Rounds half away from zero to `decimals` places. */
export function roundHalfAway(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const scaled = Number((Math.abs(x) * f).toPrecision(12));
  const r = (Math.sign(x) * Math.round(scaled)) / f;
  return r === 0 ? 0 : r;
}

export function fixed(x: number, decimals: number): string {
  return roundHalfAway(x, decimals).toFixed(decimals);
}

const MONEY: Record<string, MoneyUnit> = { 元: '元', 万元: '万元', 亿元: '亿元' };
const FEN_PER: Record<MoneyUnit, number> = { 元: 100, 万元: 1_000_000, 亿元: 10_000_000_000 };

/**
 * A value with its unit: rates and shares 1 decimal ("11.0%"), percentage points 1 decimal ("-1.4个百分点"),
 * money 2 decimals through formatFen ("30922.17亿元", "329.50元"), reserve months 1 decimal ("3.0个月"), flags 是/否.
 */
export function formatValue(x: number, unit: DisplayUnit): string {
  const money = MONEY[unit];
  if (money) return formatFen(roundHalfAway(x * FEN_PER[money], 0), money, 2);
  switch (unit) {
    case '%':
      return `${fixed(x, 1)}%`;
    case 'pp':
      return `${fixed(x, 1)}个百分点`;
    case '月':
      return `${fixed(x, 1)}个月`;
    case '是/否':
      return x === 1 ? '是' : x === 0 ? '否' : plain(x);
    case '分':
      return `${fixed(x, 1)}分`;
    case '':
      return fixed(x, 2);
    default:
      return `${fixed(x, 2)}${unit}`;
  }
}

/** A number as written, without trailing zeros: 10 → "10", 2.5 → "2.5". */
export function plain(x: number): string {
  return String(clean(x));
}

/** A threshold with its unit and no padding: "10%", "3个月", "0" (zero carries no unit). */
export function formatThreshold(x: number, unit: DisplayUnit): string {
  if (x === 0) return '0';
  switch (unit) {
    case '%':
      return `${plain(x)}%`;
    case 'pp':
      return `${plain(x)}个百分点`;
    case '月':
      return `${plain(x)}个月`;
    case '是/否':
      return x === 1 ? '是' : plain(x);
    case '':
      return plain(x);
    default:
      return `${plain(x)}${unit}`;
  }
}

export const COMPARISON_ZH: Record<Comparison, string> = {
  '>': '高于',
  '>=': '不低于',
  '<': '低于',
  '<=': '不高于',
  '=': '等于',
  '!=': '不等于',
};

export const NEGATED: Record<Comparison, Comparison> = {
  '>': '<=',
  '>=': '<',
  '<': '>=',
  '<=': '>',
  '=': '!=',
  '!=': '=',
};

export function compare(value: number, cmp: Comparison, threshold: number): boolean {
  const v = clean(value);
  const t = clean(threshold);
  switch (cmp) {
    case '<':
      return v < t;
    case '<=':
      return v <= t;
    case '>':
      return v > t;
    case '>=':
      return v >= t;
    case '=':
      return v === t;
    case '!=':
      return v !== t;
  }
}

export const RELEASE_ZH: Record<ReleaseType, string> = {
  express: '快报',
  final: '公报',
  yearbook: '统计年鉴',
  estimate: '测算',
  other: '其他',
};

export const ROLE_ZH: Record<RuleRole, string> = { start: '启动', constraint: '约束', reminder: '提醒' };

/** "2024年" or "2023—2024年". */
export function yearSpan(from: number, to: number): string {
  return from === to ? `${to}年` : `${from}—${to}年`;
}
