/**
 * The one money and percentage formatting of the web app, the same functions the server and the briefings use:
 * money is integer fen shown in 元 / 万元 / 亿元 by magnitude (≥ 1亿元 in 亿元, ≥ 1万元 in 万元), two decimals,
 * rounded half away from zero (domain/money.ts); rates are decimals shown as percentages with at most the given
 * decimals, exact (domain/rational.ts percentText).
 */
// relative imports (not the @domain alias): the server's PDF briefing compiles and runs this file too
import { formatFen, formatFenAuto, type MoneyUnit } from '../../api/src/domain/money';
import { percentText } from '../../api/src/domain/rational';

export { formatFen, type MoneyUnit };

/** 352_000_000_00 fen → "3.52亿元"; null → "—". */
export function money(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : formatFenAuto(fen);
}

/**
 * The number of an amount in a given unit without the unit, for table cells whose header names the unit
 * ("金额（万元）"): 123_456_789 fen, '万元' → "123.46"; null → "—".
 */
export function amount(fen: number | null | undefined, unit: MoneyUnit): string {
  return fen === null || fen === undefined ? '—' : formatFen(fen, unit).slice(0, -unit.length);
}

/** 0.125 → "12.5%"; null → "—". */
export function percent(rate: number | null | undefined, decimals = 1): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : percentText(rate, decimals);
}

/**
 * A rate with exactly `decimals` decimals, for figures read against each other in a column or a row of tiles:
 * 0.87 → "87.0%", 0.927 → "92.7%" (percent() would give "87%" beside "92.7%"); null → "—".
 */
export function percentFixed(rate: number | null | undefined, decimals = 1): string {
  const text = percent(rate, decimals);
  if (text === '—' || decimals === 0) return text;
  const [int, frac = ''] = text.slice(0, -1).split('.');
  return `${int}.${frac.padEnd(decimals, '0')}%`;
}
