/**
 * Money is integer 分 (fen) everywhere. Conversions from text are exact (no floating point); display converts to
 * 元 / 万元 / 亿元 with the rounding rule stated here: half away from zero at the shown number of decimals.
 */

export type Fen = number;

/** Largest amount representable exactly: about 90 万亿元, far above any fund. */
export const MAX_SAFE_FEN = Number.MAX_SAFE_INTEGER;

/**
 * Largest amount a request may give (a price, a total, a budget, a target): 10¹⁵ fen = 10 万亿元, far above any
 * fund or fee schedule, and far enough below MAX_SAFE_FEN that sums and products of a few such amounts with the
 * engine's factors are still caught as out of range instead of losing precision.
 */
export const MAX_AMOUNT_FEN = 10 ** 15;

/**
 * Parses a 元 amount written as text ("12", "12.5", "1,234.56", "￥12.00") into fen. Returns null when the text is
 * not a plain non-negative decimal with at most two decimals.
 */
export function parseYuanToFen(text: string, opts: { allowNegative?: boolean } = {}): Fen | null {
  const t = text.trim().replace(/^[￥¥]/, '').replace(/,/g, '').replace(/元$/, '');
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?0*$/.exec(t) ?? /^(-)?(\d+)\.(\d{1,2})0*$/.exec(t);
  if (!m) return null;
  if (m[1] && !opts.allowNegative) return null;
  const yuan = Number(m[2]);
  const cents = Number((m[3] ?? '').padEnd(2, '0'));
  const fen = yuan * 100 + cents;
  if (!Number.isSafeInteger(fen)) return null;
  return m[1] ? -fen : fen;
}

/** Fen as a 元 string with two decimals: 1250 → "12.50". Exact. */
export function fenToYuanString(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** Integer division with half-away-from-zero rounding, exact for safe integers. */
export function divRound(n: number, d: number): number {
  if (d === 0) throw new RangeError('division by zero');
  const sign = Math.sign(n) * Math.sign(d);
  const an = Math.abs(n);
  const ad = Math.abs(d);
  const q = Math.floor(an / ad);
  const r = an - q * ad;
  return sign * (2 * r >= ad ? q + 1 : q);
}

export type MoneyUnit = '元' | '万元' | '亿元';

/**
 * Formats fen in a display unit with a fixed number of decimals, rounding half away from zero:
 * formatFen(352_000_000_00, '亿元') → "3.52亿元".
 */
export function formatFen(fen: Fen, unit: MoneyUnit = '元', decimals = unit === '元' ? 2 : 2): string {
  const perUnit = unit === '元' ? 100 : unit === '万元' ? 1_000_000 : 10_000_000_000;
  const scale = 10 ** decimals;
  // fen * scale / perUnit, computed in BigInt to stay exact for large amounts
  const num = BigInt(fen) * BigInt(scale);
  const den = BigInt(perUnit);
  const neg = num < 0n;
  const an = neg ? -num : num;
  let q = an / den;
  if ((an % den) * 2n >= den) q += 1n;
  const s = q.toString().padStart(decimals + 1, '0');
  const intPart = s.slice(0, s.length - decimals) || '0';
  const frac = decimals ? '.' + s.slice(s.length - decimals) : '';
  const grouped = unit === '元' ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : intPart;
  return `${neg && q !== 0n ? '-' : ''}${grouped}${frac}${unit}`;
}

/** Picks a readable unit for an amount: ≥ 1 亿元 → 亿元, ≥ 1 万元 → 万元, else 元. */
export function formatFenAuto(fen: Fen): string {
  const a = Math.abs(fen);
  if (a >= 10_000_000_000) return formatFen(fen, '亿元', 2);
  if (a >= 1_000_000) return formatFen(fen, '万元', 2);
  return formatFen(fen, '元', 2);
}
