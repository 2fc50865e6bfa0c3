// Money is held as integer 分 (fen) everywhere in the generator; files get 元 with at most two decimals.

export const FEN_PER_YUAN = 100;

/** 元 (a number with at most two decimals) → 分. */
export function yuan(value: number): number {
  return Math.round(value * FEN_PER_YUAN);
}

/** 分 → 元 as a number (exact for two decimals). */
export function fenToYuan(fen: number): number {
  return Math.round(fen) / FEN_PER_YUAN;
}

/** 分 → the 元 text written to files: `70`, `12.5`, `12.35` (no trailing zeros, never more than two decimals). */
export function formatYuan(fen: number): string {
  if (!Number.isInteger(fen)) throw new Error(`amount is not whole fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  if (cents === 0) return `${sign}${whole}`;
  if (cents % 10 === 0) return `${sign}${whole}.${cents / 10}`;
  return `${sign}${whole}.${String(cents).padStart(2, '0')}`;
}

/** 元 text or number → 分 (throws on more than two decimals). */
export function parseYuan(text: string | number): number {
  const s = String(text).trim();
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) throw new Error(`not an amount in 元 with at most two decimals: "${s}"`);
  const negative = s.startsWith('-');
  const [w, f = ''] = s.replace('-', '').split('.');
  const fen = Number(w) * 100 + Number((f + '00').slice(0, 2));
  return negative ? -fen : fen;
}

/**
 * Rounds a price to the granularity official tables use: whole 元 from 100元, 0.5元 from 10元, 0.1元 below.
 * Never returns less than 0.1元.
 */
export function nicePrice(fen: number): number {
  const step = fen >= 10_000 ? 100 : fen >= 1_000 ? 50 : 10;
  return Math.max(10, Math.round(fen / step) * step);
}

/** 分 → 亿元 with two decimals, for messages. */
export function fenToYi(fen: number): string {
  return (fen / 100 / 1e8).toFixed(2);
}
