/**
 * Scaling a proposal to hit a target total exactly (budget-neutral factor, DOMAIN.md §4).
 *
 * One factor f is applied to the scaled part of every row, so the net change Σ ΔP·Q (volumes fixed) equals the
 * target T. Three scopes:
 *   - 'changes'   (default): every proposed change is scaled, ΔP' = ΔP × f, f = T ÷ Σ ΔP·Q.
 *   - 'increases': only raises are scaled, cuts stay as proposed: f = (T + Σ_down |ΔP|·Q) ÷ Σ_up ΔP·Q.
 *                  This is the usual 有升有降 fit: the cuts are decided, the raises fill the room.
 *   - 'prices'   : the Medicare fee-schedule form: new prices are scaled, P' = P¹ × f, f = (R₀ + T) ÷ Σ P¹·Q
 *                  (R₀ = Σ P⁰·Q); with T = 0 this is the budget-neutral factor R₀ ÷ R₁.
 *
 * Steps and rounding:
 *   1. f is kept as an exact fraction (fen sums are integers). Each scaled amount u (ΔP, or P¹ for 'prices') becomes
 *      round(u × f) fen, half away from zero. A row that would go below 0 is fixed at 0 (`clampedToZero`) and f is
 *      solved again over the remaining rows; the reported factor is the final one.
 *   2. The residual r = T − achieved is then distributed in whole fen: rows are taken by quantity, largest first
 *      (ties: the row whose rounding dropped the most in r's direction, then input order), and a row gets ±1 fen when
 *      its quantity still fits in |r|. Normally one pass suffices. Prices never go below 0.
 *   3. If r is still not 0 but reachable, an exact correction is searched: a breadth-first search over residues
 *      modulo a small quantity m finds the fewest ±1-fen moves on rows of other quantities with the right residue;
 *      the remaining multiple of m is spread over the rows of quantity m. Up to 8 of the smallest quantities are tried
 *      as m, each with moves of both signs, then raises only, then cuts only. This may move a few rows by several fen; `maxCorrectionFen` reports the largest move.
 *
 * When the target is exactly achievable: only rows of the scaled part with Q > 0 can absorb fen, and each fen on
 * a row moves the net by its Q, so every reachable net differs from the rounded one by a multiple of
 * g = gcd(Q of those rows). T is reachable exactly iff g divides the residual (equivalently T − fixed part),
 * leaving aside the floor of 0 on prices. With a row of quantity 1 every target is reachable; when all quantities
 * share a factor (e.g. all even) and the residual is not a multiple of it, the target is not reachable in whole
 * fen: the result keeps the closest amount found, `achievedNetFen`, and `gapFen` = T − achieved, with status
 * 'not-divisible'. Other non-exact outcomes: 'nothing-to-scale' (the scaled part sums to 0), 'negative-factor'
 * (f < 0 would reverse the direction of every change; nothing is scaled), 'blocked-at-zero' (the target needs
 * prices below 0, or every correction the bounded search found does — large residuals on few rows with large,
 * coprime quantities), 'search-limit' (m × distinct quantities above the search bound).
 *
 * Rows outside the scaled part (unchanged rows, or cuts under 'increases') are never touched.
 * Corrections may move a row by a few fen beyond f; re-run the impact checks (cap, cost) on the result.
 */
import { formatFenAuto, type Fen } from '../money';
import { assertCount, assertFen } from './guards';
import * as R from '../rational';

export type ScalingScope = 'changes' | 'increases' | 'prices';

/**
 * The rows a scaling request works on, as the API offers them. 'changes', 'increases' and 'prices' take the
 * scenario's changed rows only (so R₀ of 'prices' is Σ P⁰·Q of those rows); 'schedule' is the Medicare fee-schedule
 * definition over the whole fee schedule of the round: every priced item and level at base-year volumes, unchanged
 * rows with P¹ = P⁰, scaled as 'prices' (f = (R₀ + T) ÷ Σ P¹·Q over all rows, R₀ the impact's base revenue), so
 * unchanged items become changes.
 */
export type ScalingRequestScope = ScalingScope | 'schedule';

export const SCALING_BASE_ZH: Readonly<Record<ScalingRequestScope, string>> = {
  changes: '本方案已调整的项目：每项调整额乘以同一系数 f = 目标净额 ÷ Σ ΔP·Q',
  increases: '本方案已调整的项目：只缩放上调项目，下调项目不变，f = (目标净额 + Σ下调|ΔP|·Q) ÷ Σ上调 ΔP·Q',
  prices: '本方案已调整的项目：新价格乘以同一系数 f = (R₀ + 目标净额) ÷ Σ P¹·Q，R₀ 为这些项目的基期收入 Σ P⁰·Q',
  schedule:
    '本轮次全部收费项目（各级医疗机构现行价格 × 基期服务量，未调整项目按原价计）：新价格乘以同一系数 f = (R₀ + 目标净额) ÷ Σ P¹·Q，' +
    'R₀ 为全部项目的基期收入（与影响测算的基期收入相同），未调整的项目也随之调整（美国 Medicare 费用表的预算中性做法）',
};

export interface ScalingItem {
  oldPriceFen: Fen;
  /** Proposed new price, fen. */
  newPriceFen: Fen;
  quantity: number;
}

export interface ScalingOptions {
  scope?: ScalingScope;
  /** Upper bound of m × (distinct quantities) for the exact correction search (default 5,000,000). */
  searchLimit?: number;
}

export type ScalingStatus =
  | 'exact'
  | 'not-divisible'
  | 'nothing-to-scale'
  | 'negative-factor'
  | 'blocked-at-zero'
  | 'search-limit';

export interface ScaledRow {
  index: number;
  oldPriceFen: Fen;
  proposedPriceFen: Fen;
  newPriceFen: Fen;
  quantity: number;
  proposedDeltaFen: Fen;
  deltaFen: Fen;
  /** True when the row belongs to the scaled part. */
  scaled: boolean;
  /** Fen added after rounding (steps 2 and 3). */
  correctionFen: number;
  clampedToZero: boolean;
}

export interface ScalingResult {
  scope: ScalingScope;
  status: ScalingStatus;
  exact: boolean;
  /** f as a double (display); null when undefined. */
  factor: number | null;
  /** f exactly, reduced; null when undefined. */
  factorFraction: { numerator: number; denominator: number } | null;
  targetFen: Fen;
  proposedNetFen: Fen;
  achievedNetFen: Fen;
  /** target − achieved. */
  gapFen: Fen;
  /** gcd of the quantities of the rows that can absorb fen (0 when none). */
  quantityGcd: number;
  /** True when the target is reachable in whole fen (see the module comment). */
  achievable: boolean;
  maxCorrectionFen: number;
  rows: ScaledRow[];
  noteZh: string;
}

const DEFAULT_SEARCH_LIMIT = 5_000_000;
/** Step 2 normally needs one pass (the rounding residual is at most ½ fen per row); step 3 takes over after this. */
const MAX_PASSES = 16;

/** The Medicare budget-neutral factor at fixed volumes: Σ P⁰·Q ÷ Σ P¹·Q (null when Σ P¹·Q = 0). */
export function budgetNeutralFactor(items: readonly ScalingItem[]): { factor: number; numerator: number; denominator: number } | null {
  let oldTotal = 0;
  let newTotal = 0;
  for (const it of items) {
    oldTotal += it.oldPriceFen * it.quantity;
    newTotal += it.newPriceFen * it.quantity;
  }
  if (!Number.isSafeInteger(oldTotal) || !Number.isSafeInteger(newTotal)) throw new RangeError('revenue exceeds the exact integer range');
  if (newTotal === 0) return null;
  const r = R.ratio(BigInt(oldTotal), BigInt(newTotal));
  return { factor: R.toNumber(r), numerator: Number(r.n), denominator: Number(r.d) };
}

export function scaleToTarget(items: readonly ScalingItem[], targetFen: Fen, options: ScalingOptions = {}): ScalingResult {
  const scope = options.scope ?? 'changes';
  const searchLimit = options.searchLimit ?? DEFAULT_SEARCH_LIMIT;
  assertFen(targetFen, 'targetFen');
  targetFen += 0; // −0 → 0
  const n = items.length;
  const inScope = new Uint8Array(n);
  const base = new Array<number>(n);
  const unit = new Array<number>(n);
  const newPrice = new Array<number>(n);
  const correction = new Array<number>(n).fill(0);
  const clamped = new Uint8Array(n);
  let outFixed = 0; // net of the rows that are not scaled
  let fixed = 0; // F: outFixed plus Σ (b − P⁰)·Q over the scaled rows
  let scaledSum = 0; // S = Σ u·Q over the scaled part
  let proposedNet = 0;

  for (let i = 0; i < n; i++) {
    const it = items[i];
    assertCount(it.oldPriceFen, `items[${i}].oldPriceFen`);
    assertCount(it.newPriceFen, `items[${i}].newPriceFen`);
    assertCount(it.quantity, `items[${i}].quantity`);
    const dp = it.newPriceFen - it.oldPriceFen;
    const q = it.quantity;
    proposedNet += dp * q;
    newPrice[i] = it.newPriceFen;
    const scaled = scope === 'prices' ? true : scope === 'increases' ? dp > 0 : dp !== 0;
    if (!scaled) {
      outFixed += dp * q;
      fixed += dp * q;
      continue;
    }
    inScope[i] = 1;
    if (scope === 'prices') {
      base[i] = 0;
      unit[i] = it.newPriceFen;
      fixed -= it.oldPriceFen * q;
    } else {
      base[i] = it.oldPriceFen;
      unit[i] = dp;
    }
    scaledSum += unit[i] * q;
  }
  for (const v of [fixed, scaledSum, proposedNet]) {
    if (!Number.isSafeInteger(v)) throw new RangeError('proposal sums exceed the exact integer range');
  }

  const rowsOut = (): ScaledRow[] =>
    items.map((it, i) => ({
      index: i,
      oldPriceFen: it.oldPriceFen,
      proposedPriceFen: it.newPriceFen,
      newPriceFen: newPrice[i],
      quantity: it.quantity,
      proposedDeltaFen: it.newPriceFen - it.oldPriceFen,
      deltaFen: newPrice[i] - it.oldPriceFen,
      scaled: inScope[i] === 1,
      correctionFen: correction[i],
      clampedToZero: clamped[i] === 1,
    }));
  const netOf = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (newPrice[i] - items[i].oldPriceFen) * items[i].quantity;
    return s;
  };

  // rows that can absorb fen, and the gcd of their quantities
  let g = 0;
  for (let i = 0; i < n; i++) if (inScope[i] && items[i].quantity > 0) g = R.gcdInt(g, items[i].quantity);
  const numer = targetFen - fixed;
  const fmt = formatFenAuto;

  const finish = (status: ScalingStatus, factor: R.Ratio | null, noteZh: string): ScalingResult => {
    const achieved = netOf();
    let maxCorr = 0;
    for (let i = 0; i < n; i++) maxCorr = Math.max(maxCorr, Math.abs(correction[i]));
    const gap = targetFen - achieved;
    return {
      scope,
      status,
      exact: gap === 0,
      factor: factor ? R.toNumber(factor) : null,
      factorFraction: factor ? { numerator: R.toSafeInt(factor.n), denominator: R.toSafeInt(factor.d) } : null,
      targetFen,
      proposedNetFen: proposedNet,
      achievedNetFen: achieved,
      gapFen: gap,
      quantityGcd: g,
      achievable: gap === 0 || (g > 0 && gap % g === 0),
      maxCorrectionFen: maxCorr,
      rows: rowsOut(),
      noteZh,
    };
  };

  if (scaledSum === 0) {
    if (numer === 0) return finish('exact', R.ONE, '方案净调价金额已等于目标，无需缩放。');
    return finish('nothing-to-scale', null, `可缩放部分合计为 0，无法通过统一系数达到目标 ${fmt(targetFen)}。`);
  }
  let factor = R.ratio(BigInt(numer), BigInt(scaledSum));
  if (R.sign(factor) < 0) {
    return finish(
      'negative-factor',
      factor,
      `所需系数 f = ${R.decimalText(factor, 6)} 为负，会使全部调整方向反转，未缩放；方案净额 ${fmt(proposedNet)}，目标 ${fmt(targetFen)}。`,
    );
  }

  // 1. scale and round each row. A row that would go below 0 is fixed at 0 and f is solved again over the other
  //    rows (each round fixes at least one more row, so this ends; usually after one or two rounds).
  const rem = new Array<bigint>(n).fill(0n);
  let bigDen = 1n;
  for (;;) {
    let fixedNow = outFixed;
    let sumNow = 0;
    for (let i = 0; i < n; i++) {
      if (!inScope[i]) continue;
      if (clamped[i]) fixedNow -= items[i].oldPriceFen * items[i].quantity;
      else {
        fixedNow += (base[i] - items[i].oldPriceFen) * items[i].quantity;
        sumNow += unit[i] * items[i].quantity;
      }
    }
    const numNow = targetFen - fixedNow;
    if (sumNow === 0 && numNow === 0) break; // every scaled row is at 0 and that is the target
    if (sumNow === 0 || numNow * Math.sign(sumNow) < 0) {
      for (let i = 0; i < n; i++) if (inScope[i] && !clamped[i]) newPrice[i] = base[i];
      return finish('blocked-at-zero', null, `目标 ${fmt(targetFen)} 需要把部分价格降到 0 以下，无法以统一系数达到；已达到的金额见结果。`);
    }
    factor = R.ratio(BigInt(numNow), BigInt(sumNow));
    bigDen = BigInt(sumNow);
    const bigNum = BigInt(numNow);
    let newlyClamped = false;
    for (let i = 0; i < n; i++) {
      if (!inScope[i] || clamped[i]) continue;
      const prod = BigInt(unit[i]) * bigNum;
      const scaled = R.divRoundBig(prod, bigDen);
      rem[i] = prod - scaled * bigDen;
      const p = base[i] + R.toSafeInt(scaled, 'scaled price');
      if (p < 0) {
        clamped[i] = 1;
        newlyClamped = true;
      }
      newPrice[i] = Math.max(0, p);
    }
    if (!newlyClamped) break;
  }
  let r = targetFen - netOf();
  if (!Number.isSafeInteger(r)) throw new RangeError('scaled sums exceed the exact integer range');

  // 2. largest quantity first, ±1 fen per row per pass
  const dir = Math.sign(r);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (inScope[i] && items[i].quantity > 0) order.push(i);
  order.sort((a, b) => {
    const qa = items[a].quantity;
    const qb = items[b].quantity;
    if (qa !== qb) return qb - qa;
    // rem/den is what rounding dropped; with dir > 0 prefer the largest positive remainder
    const ra = clamped[a] ? 0n : rem[a] * BigInt(dir);
    const rb = clamped[b] ? 0n : rem[b] * BigInt(dir);
    const sa = bigDen > 0n ? ra : -ra;
    const sb = bigDen > 0n ? rb : -rb;
    if (sa !== sb) return sa > sb ? -1 : 1;
    return a - b;
  });
  let progress = true;
  for (let pass = 0; r !== 0 && progress && pass < MAX_PASSES; pass++) {
    progress = false;
    for (const i of order) {
      const q = items[i].quantity;
      if (q > Math.abs(r)) continue;
      const step = r > 0 ? 1 : -1;
      if (step < 0 && newPrice[i] < 1) continue;
      newPrice[i] += step;
      correction[i] += step;
      r -= step * q;
      progress = true;
      if (r === 0) break;
    }
  }
  if (r === 0) return finish('exact', factor, exactNote(factor, targetFen, correction));
  if (g === 0 || r % g !== 0) {
    return finish(
      'not-divisible',
      factor,
      `可调整项目数量的最大公约数为 ${g}，余差 ${r} 分不是其整数倍，无法在分位上精确达到目标 ${fmt(targetFen)}；` +
        `已达到 ${fmt(targetFen - r)}，差额 ${r} 分。`,
    );
  }

  // 3. exact correction: BFS over residues modulo the smallest quantity
  const plan = exactCorrection(order, items, newPrice, r, searchLimit);
  if (plan === 'search-limit') {
    return finish('search-limit', factor, `余差 ${r} 分理论上可精确消除，但所需搜索超出上限，已达到 ${fmt(targetFen - r)}。`);
  }
  if (plan === 'blocked') {
    return finish('blocked-at-zero', factor, `余差 ${r} 分的精确消除需要把价格降到 0 以下，已达到 ${fmt(targetFen - r)}。`);
  }
  for (const [i, d] of plan) {
    newPrice[i] += d;
    correction[i] += d;
  }
  return finish('exact', factor, exactNote(factor, targetFen, correction));
}

function exactNote(factor: R.Ratio, targetFen: Fen, correction: number[]): string {
  const moved = correction.reduce((a, c) => a + (c !== 0 ? 1 : 0), 0);
  return (
    `按系数 f = ${R.decimalText(factor, 6)} 缩放并逐项取整到分` +
    (moved ? `，余差按数量从大到小调整 ${moved} 条项目` : '') +
    `，净调价金额恰为 ${formatFenAuto(targetFen)}。`
  );
}

/**
 * Integer moves x_i (fen per row) with Σ x_i·Q_i = r, as a map row → fen. Uses the rows in `order` (largest
 * quantity first). Tries the smallest quantities in turn as the modulus m, so a row stuck at price 0 does not block
 * a correction that other rows can make; returns 'blocked' when every try needs a price below 0.
 */
function exactCorrection(
  order: readonly number[],
  items: readonly ScalingItem[],
  newPrice: readonly number[],
  r: number,
  searchLimit: number,
): Map<number, number> | 'blocked' | 'search-limit' {
  const byQ = new Map<number, number[]>();
  for (const i of order) {
    const q = items[i].quantity;
    const list = byQ.get(q);
    if (list) list.push(i);
    else byQ.set(q, [i]);
  }
  const qs = [...byQ.keys()].sort((a, b) => a - b);
  // a quantity can take a −1 fen move only if one of its rows is priced above 0
  const canLower = new Map<number, boolean>();
  for (const [q, list] of byQ) canLower.set(q, list.some((i) => newPrice[i] > 0));
  let budget = searchLimit;
  let limited = false;
  // for each modulus, moves of both signs first, then one-signed moves (the shortest path may need a price below 0
  // where a longer one in the other direction does not)
  const variants: MoveSigns[] = ['both', 'up', 'down'];
  for (let c = 0; c < Math.min(qs.length, MAX_MODULI); c++) {
    const m = qs[c];
    const movers = qs.filter((q) => q % m !== 0);
    for (const signs of variants) {
      const cost = m * Math.max(1, movers.length);
      if (cost > budget) {
        limited = true;
        break;
      }
      budget -= cost;
      const plan = correctionModulo(m, movers, signs, byQ, canLower, newPrice, r);
      if (plan) return plan;
    }
    if (limited) break;
  }
  return limited ? 'search-limit' : 'blocked';
}

type MoveSigns = 'both' | 'up' | 'down';

const MAX_MODULI = 8;

function correctionModulo(
  m: number,
  movers: readonly number[],
  signs: MoveSigns,
  byQ: ReadonlyMap<number, number[]>,
  canLower: ReadonlyMap<number, boolean>,
  newPrice: readonly number[],
  r: number,
): Map<number, number> | null {
  const target = ((r % m) + m) % m;
  const moves: { q: number; sign: number }[] = [];
  if (target !== 0) {
    const dist = new Int32Array(m).fill(-1);
    const prevRes = new Int32Array(m);
    const prevMove = new Int32Array(m);
    const queue = new Int32Array(m);
    let head = 0;
    let tail = 0;
    dist[0] = 0;
    queue[tail++] = 0;
    search: while (head < tail) {
      const x = queue[head++];
      for (let j = 0; j < movers.length; j++) {
        const step = movers[j] % m;
        const first = signs === 'down' ? 1 : 0;
        const last = signs === 'up' || !canLower.get(movers[j]) ? 0 : 1;
        for (let s = first; s <= last; s++) {
          const y = s === 0 ? (x + step) % m : (x - step + m) % m;
          if (dist[y] !== -1) continue;
          dist[y] = dist[x] + 1;
          prevRes[y] = x;
          prevMove[y] = j * 2 + s;
          queue[tail++] = y;
          if (y === target) break search;
        }
      }
    }
    if (dist[target] === -1) return null;
    for (let y = target; y !== 0; y = prevRes[y]) {
      const j = prevMove[y] >> 1;
      moves.push({ q: movers[j], sign: (prevMove[y] & 1) === 0 ? 1 : -1 });
    }
  }
  let c = 0;
  for (const mv of moves) c += mv.sign * mv.q;
  const k = (r - c) / m;
  if (!Number.isSafeInteger(k)) throw new RangeError('correction exceeds the exact integer range');

  const delta = new Map<number, number>();
  const cursor = new Map<number, number>();
  const give = (q: number, sign: number): boolean => {
    const list = byQ.get(q)!;
    const start = cursor.get(q) ?? 0;
    for (let t = 0; t < list.length; t++) {
      const i = list[(start + t) % list.length];
      const d = delta.get(i) ?? 0;
      if (sign < 0 && newPrice[i] + d < 1) continue;
      delta.set(i, d + sign);
      cursor.set(q, (start + t + 1) % list.length);
      return true;
    }
    return false;
  };
  for (const mv of moves) if (!give(mv.q, mv.sign)) return null;
  // the multiple of m: spread over the rows of quantity m (rows earlier in order take the extra fen); a cut goes
  // only to rows with room above 0
  const list = byQ.get(m)!;
  const ks = Math.sign(k);
  let left = Math.abs(k);
  const eligible = ks < 0 ? list.filter((i) => newPrice[i] + (delta.get(i) ?? 0) > 0) : list;
  if (left > 0 && eligible.length === 0) return null;
  while (left > 0) {
    const each = Math.max(1, Math.floor(left / eligible.length));
    let moved = 0;
    for (const i of eligible) {
      if (left === 0) break;
      const d = delta.get(i) ?? 0;
      const room = ks < 0 ? newPrice[i] + d : Infinity;
      const amount = Math.min(each, left, room);
      if (amount <= 0) continue;
      delta.set(i, d + ks * amount);
      left -= amount;
      moved += amount;
    }
    if (moved === 0) return null;
  }
  return delta;
}
