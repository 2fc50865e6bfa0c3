/**
 * Exact arithmetic for the rates of the pricing engine.
 *
 * Rates come in as decimals (0.05 = 5%). A rate is read as the decimal it prints as — `String(0.05)` is "0.05",
 * so it becomes 5/100 — never as the binary fraction the float happens to hold. Money stays integer 分 (fen);
 * a rate times an amount is computed exactly as a fraction and rounded once, half away from zero (the rule of
 * `divRound` in money.ts). Example: 45 fen × 0.7 = 31.5 → 32 fen, where the float product 31.499999999999996 → 31.
 *
 * Pure: no I/O, no clock, no global caches.
 */

/** A fraction n/d with d > 0, always reduced. */
export interface Ratio {
  readonly n: bigint;
  readonly d: bigint;
}

export const ZERO: Ratio = { n: 0n, d: 1n };
export const ONE: Ratio = { n: 1n, d: 1n };

export function gcdBig(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Greatest common divisor of two safe integers (non-negative result). */
export function gcdInt(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

export function ratio(n: bigint, d: bigint = 1n): Ratio {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcdBig(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

/** An integer (e.g. an amount in fen) as a fraction. */
export function fromInt(x: number): Ratio {
  if (!Number.isSafeInteger(x)) throw new RangeError(`not a safe integer: ${x}`);
  return { n: BigInt(x), d: 1n };
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/** A finite decimal number as the exact fraction of its shortest decimal representation (0.52 → 13/25). */
export function fromDecimal(x: number): Ratio {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = DECIMAL.exec(String(x));
  if (!m) throw new RangeError(`unexpected number format: ${x}`);
  const frac = m[3] ?? '';
  let n = BigInt(m[2] + frac);
  const exp = Number(m[4] ?? '0') - frac.length;
  let d = 1n;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else d = 10n ** BigInt(-exp);
  return ratio(m[1] ? -n : n, d);
}

/** Accepts a decimal number or an already exact fraction. */
export function toRatio(x: number | Ratio): Ratio {
  return typeof x === 'number' ? fromDecimal(x) : x;
}

export const add = (a: Ratio, b: Ratio): Ratio => ratio(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Ratio, b: Ratio): Ratio => ratio(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Ratio, b: Ratio): Ratio => ratio(a.n * b.n, a.d * b.d);
export const div = (a: Ratio, b: Ratio): Ratio => ratio(a.n * b.d, a.d * b.n);
export const neg = (a: Ratio): Ratio => ({ n: -a.n, d: a.d });
export const cmp = (a: Ratio, b: Ratio): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const min = (a: Ratio, b: Ratio): Ratio => (cmp(a, b) <= 0 ? a : b);
export const max = (a: Ratio, b: Ratio): Ratio => (cmp(a, b) >= 0 ? a : b);
export const sign = (a: Ratio): number => (a.n < 0n ? -1 : a.n > 0n ? 1 : 0);

/** n ÷ d rounded half away from zero, exact for any size. */
export function divRoundBig(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  if ((an % ad) * 2n >= ad) q += 1n;
  return negative ? -q : q;
}

/** Rounded half away from zero. */
export const roundHalfAway = (a: Ratio): bigint => divRoundBig(a.n, a.d);

/** Rounded toward −∞. */
export function floor(a: Ratio): bigint {
  const q = a.n / a.d;
  return a.n < 0n && q * a.d !== a.n ? q - 1n : q;
}

/** Rounded toward +∞. */
export function ceil(a: Ratio): bigint {
  const q = a.n / a.d;
  return a.n > 0n && q * a.d !== a.n ? q + 1n : q;
}

/** A bigint back to a number, refusing values outside the safe-integer range. */
export function toSafeInt(b: bigint, what = 'amount'): number {
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} exceeds the exact integer range: ${b}`);
  }
  return Number(b);
}

/** A fraction as the nearest double (for display and statistics, never for money). */
export function toNumber(a: Ratio): number {
  const sn = Number(a.n);
  const sd = Number(a.d);
  if (Number.isFinite(sn) && Number.isFinite(sd)) return sn / sd;
  // very long fractions: scale down in bigint first
  const scale = 10n ** 30n;
  return Number((a.n * scale) / a.d) / 1e30;
}

/** amountFen × rate, rounded half away from zero to fen. */
export function mulFen(amountFen: number, rate: number | Ratio): number {
  const r = toRatio(rate);
  return toSafeInt(divRoundBig(BigInt(checkInt(amountFen)) * r.n, r.d));
}

/** Exact decimal text of a fraction, rounded half away from zero to at most `maxDecimals`, trailing zeros dropped. */
export function decimalText(a: Ratio, maxDecimals = 2): string {
  const scale = 10n ** BigInt(maxDecimals);
  const q = divRoundBig(a.n * scale, a.d);
  const negative = q < 0n;
  const digits = (negative ? -q : q).toString().padStart(maxDecimals + 1, '0');
  const intPart = digits.slice(0, digits.length - maxDecimals);
  const frac = digits.slice(digits.length - maxDecimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${intPart}${frac ? '.' + frac : ''}`;
}

/** A rate as percent text: 0.05 → "5%", 0.125 → "12.5%", 1/3 → "33.33%". Exact, half away from zero. */
export function percentText(rate: number | Ratio, maxDecimals = 2): string {
  return `${decimalText(mul(toRatio(rate), { n: 100n, d: 1n }), maxDecimals)}%`;
}

function checkInt(x: number): number {
  if (!Number.isSafeInteger(x)) throw new RangeError(`not a safe integer: ${x}`);
  return x;
}

/** A decimal text (indicator values are numeric) times 10^shift, exactly, as an integer; null unless whole. */
export function scaleDecimalText(text: string, shift: number): number | null {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ?? '';
  let n = BigInt(m[2] + frac);
  const exp = shift - frac.length;
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else {
    const d = 10n ** BigInt(-exp);
    const q = divRoundBig(n, d);
    n = q;
  }
  const v = Number(m[1] ? -n : n);
  return Number.isSafeInteger(v) ? v : null;
}

/** A percent value written as text ("5.8") as the decimal rate it means (0.058), exactly. */
export function percentTextToRate(text: string): number {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return Number(text) / 100;
  const r = ratio(BigInt((m[1] ?? '') + m[2] + (m[3] ?? '')), 10n ** BigInt((m[3] ?? '').length + 2));
  return Number(decimalText(r, 12));
}
