/**
 * Price carry-over (价格平移, DOMAIN.md §5): when a region adopts a guideline batch, the price of a new guideline item
 * at one hospital level is the service-volume-weighted average of the current prices of the old items mapped onto it
 * (main mappings only), rounded half away from zero to whole fen.
 *
 *   P_new = Σ P_i·Q_i / Σ Q_i   over the mapped old items i priced at that level
 *
 * Fallbacks and flags, all reported with the result:
 * - no old item mapped onto the guideline item → no price (`no-mapping`);
 * - mapped old items without a price at that level are left out of the average and listed (`unpriced`);
 * - when none of the priced items has a base-period volume (all zero or unknown), the simple average of their
 *   prices is taken instead (`no-volume`); priced items without volume next to items with volume weigh zero and are
 *   listed (`withoutVolume`);
 * - no mapped item priced at that level → no price (`no-price`).
 * Pure: no database, no clock.
 */
import { type Fen } from './money';
import { divRoundBig, toSafeInt } from './rational';

export interface CarryOverSource {
  /** Old item code (9-digit provincial code, or whatever the region prices). */
  code: string;
  /** Current price at the level, in fen; null when the region has no price for the item at that level. */
  priceFen: Fen | null;
  /** Base-period annual volume at the level (public hospitals); null when unknown. */
  volume: number | null;
}

export type CarryOverMethod = 'weighted' | 'simple-average' | 'none';

export type CarryOverFlag = 'no-mapping' | 'no-price' | 'no-volume' | 'unpriced';

export interface CarryOverResult {
  /** Carried-over price in fen; null without any priced old item. */
  priceFen: Fen | null;
  method: CarryOverMethod;
  /** Old items whose price entered the average. */
  basis: string[];
  /** Mapped old items without a price at this level (left out). */
  unpriced: string[];
  /** Priced old items without a base-period volume (weight 0 in a weighted average). */
  withoutVolume: string[];
  /** Σ Q of the priced items (0 when the simple average was used). */
  totalVolume: number;
  flags: CarryOverFlag[];
}

function checkSource(s: CarryOverSource): void {
  if (s.priceFen !== null && (!Number.isSafeInteger(s.priceFen) || s.priceFen < 0)) {
    throw new RangeError(`price of ${s.code} must be a non-negative whole number of fen: ${s.priceFen}`);
  }
  if (s.volume !== null && (!Number.isSafeInteger(s.volume) || s.volume < 0)) {
    throw new RangeError(`volume of ${s.code} must be a non-negative whole number: ${s.volume}`);
  }
}

/**
 * Carries the prices of the old items mapped onto one guideline item over to it, for one hospital level.
 * The same old code listed twice counts once (its first entry).
 */
export function carryOverPrice(sources: readonly CarryOverSource[]): CarryOverResult {
  const seen = new Set<string>();
  const list: CarryOverSource[] = [];
  for (const s of sources) {
    checkSource(s);
    if (seen.has(s.code)) continue;
    seen.add(s.code);
    list.push(s);
  }
  if (list.length === 0) {
    return { priceFen: null, method: 'none', basis: [], unpriced: [], withoutVolume: [], totalVolume: 0, flags: ['no-mapping'] };
  }
  const priced = list.filter((s) => s.priceFen !== null);
  const unpriced = list.filter((s) => s.priceFen === null).map((s) => s.code);
  const flags: CarryOverFlag[] = unpriced.length > 0 ? ['unpriced'] : [];
  if (priced.length === 0) {
    return { priceFen: null, method: 'none', basis: [], unpriced, withoutVolume: [], totalVolume: 0, flags: ['no-price', ...flags] };
  }
  const withoutVolume = priced.filter((s) => !s.volume).map((s) => s.code);
  const basis = priced.map((s) => s.code);
  let num = 0n;
  let den = 0n;
  for (const s of priced) {
    const q = BigInt(s.volume ?? 0);
    num += BigInt(s.priceFen!) * q;
    den += q;
  }
  if (den > 0n) {
    return { priceFen: toSafeInt(divRoundBig(num, den), 'carried-over price'), method: 'weighted', basis, unpriced, withoutVolume, totalVolume: Number(den), flags };
  }
  const sum = priced.reduce((a, s) => a + BigInt(s.priceFen!), 0n);
  return {
    priceFen: toSafeInt(divRoundBig(sum, BigInt(priced.length)), 'carried-over price'),
    method: 'simple-average',
    basis,
    unpriced,
    withoutVolume,
    totalVolume: 0,
    flags: ['no-volume', ...flags],
  };
}

/** Chinese note for a result, for tables and briefings (empty when the weighted average needed no caveat). */
export function carryOverNote(r: CarryOverResult): string {
  const parts: string[] = [];
  if (r.flags.includes('no-mapping')) parts.push('无映射的原项目');
  if (r.flags.includes('no-price')) parts.push('映射的原项目在该级别均无价格');
  if (r.flags.includes('no-volume')) parts.push('原项目均无基期服务量，按简单平均');
  else if (r.withoutVolume.length > 0 && r.method === 'weighted') parts.push(`无服务量（权重为0）：${r.withoutVolume.join('、')}`);
  if (r.flags.includes('unpriced')) parts.push(`无价格未计入：${r.unpriced.join('、')}`);
  return parts.join('；');
}
