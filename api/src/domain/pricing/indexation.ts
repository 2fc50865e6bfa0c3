/**
 * 通用型 indexation (DOMAIN.md §3, "通用型 indexation (a pilot province)"): general items (诊查, 护理, 床位, …)
 * move with an index such as the cumulative growth of the average urban wage.
 *
 *   new price = round(old × (1 + g) ÷ step) × step     (step = rounding unit in fen, default 1 fen)
 *
 * rounded half away from zero; g is read as an exact decimal. Several yearly rates compound exactly:
 * 1 + g = Π (1 + gᵢ) — no float product in between. Complex (复杂型) items are left unchanged unless `kinds`
 * says otherwise. When quantities are given, the net change Σ (P¹ − P⁰)·Q is reported.
 */
import { formatFenAuto, type Fen } from '../money';
import { assertCount, assertFinite } from './guards';
import * as R from '../rational';

/** Categories taken as 通用型 (诊查, 护理, 床位) when no kind is recorded for an item. */
export const DEFAULT_GENERAL_CATEGORIES: readonly string[] = ['general', 'nursing'];

export type ItemKind = 'general' | 'complex';

export interface IndexationItem {
  itemCode: string;
  kind: ItemKind;
  oldPriceFen: Fen;
  quantity?: number;
}

export interface IndexationParams {
  /** Growth as a decimal, or yearly decimals that compound (e.g. two years of wage growth). */
  growth: number | readonly number[];
  /** Rounding unit of the new price in fen: 1 (分), 10 (角), 100 (元). Default 1. */
  roundToFen?: number;
  /** Kinds that are indexed (default ['general']). */
  kinds?: readonly ItemKind[];
}

export interface IndexedFields {
  newPriceFen: Fen;
  deltaFen: Fen;
  indexed: boolean;
}

export interface IndexationResult<T extends IndexationItem> {
  items: (T & IndexedFields)[];
  /** The applied growth, exact decimal text (e.g. "0.1025" for two years of 5%). */
  growthText: string;
  growth: number;
  indexedCount: number;
  /** Σ ΔP·Q over items with a quantity. */
  netFen: Fen;
  noteZh: string;
}

/** Π (1 + gᵢ) − 1, exact. */
export function cumulativeGrowth(rates: readonly number[]): R.Ratio {
  let f = R.ONE;
  rates.forEach((g, i) => {
    assertFinite(g, `growth[${i}]`);
    f = R.mul(f, R.add(R.ONE, R.fromDecimal(g)));
  });
  return R.sub(f, R.ONE);
}

/** round(old × factor ÷ step) × step, half away from zero. */
export function indexPrice(oldPriceFen: Fen, growth: number | R.Ratio, roundToFen = 1): Fen {
  assertCount(oldPriceFen, 'oldPriceFen');
  if (!Number.isSafeInteger(roundToFen) || roundToFen < 1) throw new RangeError('roundToFen must be a positive integer');
  const factor = R.add(R.ONE, R.toRatio(growth));
  const x = R.mul(R.fromInt(oldPriceFen), factor);
  const steps = R.divRoundBig(x.n, x.d * BigInt(roundToFen));
  const p = R.toSafeInt(steps * BigInt(roundToFen), 'indexed price');
  return p < 0 ? 0 : p;
}

export function indexGeneralPrices<T extends IndexationItem>(items: readonly T[], params: IndexationParams): IndexationResult<T> {
  const g = typeof params.growth === 'number' ? (assertFinite(params.growth, 'growth'), R.fromDecimal(params.growth)) : cumulativeGrowth(params.growth);
  const step = params.roundToFen ?? 1;
  const kinds = params.kinds ?? ['general'];
  let net = 0;
  let indexedCount = 0;
  const out = items.map((it, i) => {
    assertCount(it.oldPriceFen, `items[${i}].oldPriceFen`);
    const indexed = kinds.includes(it.kind);
    const newPriceFen = indexed ? indexPrice(it.oldPriceFen, g, step) : it.oldPriceFen;
    const deltaFen = newPriceFen - it.oldPriceFen;
    if (indexed) indexedCount++;
    if (it.quantity !== undefined) {
      assertCount(it.quantity, `items[${i}].quantity`);
      net += deltaFen * it.quantity;
    }
    return { ...it, newPriceFen, deltaFen, indexed };
  });
  if (!Number.isSafeInteger(net)) throw new RangeError('net change exceeds the exact integer range');
  const growthText = R.decimalText(g, 12);
  return {
    items: out,
    growthText,
    growth: R.toNumber(g),
    indexedCount,
    netFen: net,
    noteZh:
      `通用型项目按 ${R.percentText(g, 4)} 联动调整，新价 = 原价 × (1 + ${R.percentText(g, 4)})，按 ${step} 分四舍五入；` +
      `共 ${indexedCount} 项，净调价金额 ${formatFenAuto(net)}。`,
  };
}
