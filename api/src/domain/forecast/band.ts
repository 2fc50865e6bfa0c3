/**
 * A scenario's impact under volume response: the static figures beside a band (docs/forecast.md).
 *
 * Model, per row (an item at a hospital level: P⁰, P¹, ΔP = P¹ − P⁰, base-year volume Q, fund share s) in the forecast
 * year, h = year − base year:
 *   T   = (1 + g_c)^h           the category's volume trend (g_c from the loaded history, or 0)
 *   m   = 1 when the row is marked for 检查检验结果互认, else 0;  w the year's milestone weight, ρ the reduction
 *   d   = ΔP ÷ P⁰, limited to [−1, 1] (0 when P⁰ = 0 or s = 1: the patient's price does not move)
 *   Q⁰  = Q·T·(1 − w·ρ·m)                      volume without the round (trend and recognition)
 *   Q¹  = Q·T·(1 − w·ρ·m + ε·d)                volume with the round: the price response ε·d added (first order)
 *   net = P¹·Q¹ − P⁰·Q⁰ = T·(ΔP·Q − w·ρ·m·ΔP·Q + ε·d·P¹·Q)
 *   fund = s × net (the static fund part, Σ round(ΔP·Q·s), stands for s·ΔP·Q)   out-of-pocket = net − fund
 * The patient's out-of-pocket price is (1 − s)·P, whose relative change is ΔP ÷ P⁰ whenever s < 1; the elasticity is
 * the response to it. The model is linear in the assumptions (ε of each category, ρ), so:
 * - with ε = 0, ρ = 0 and no trend every figure is the static one, to the fen (the coefficients are the static sums);
 * - its exact range over the assumption ranges is reached at their corners: min = A + Σ min(B·lo, B·hi), the same
 *   for max, per category's ε and for ρ (reported as minFen / maxFen);
 * - P10 / P50 / P90 come from a seeded Monte Carlo over the ranges (uniform within each range), because the range's
 *   ends need every assumption at its extreme at once; the percentiles say how likely a figure is. Draws come in
 *   antithetic pairs (u and 1 − u for every drawn position), so the sample is symmetric about the middle of the
 *   ranges and P50 is the figure at their midpoints.
 * Widening every range about its midpoint therefore never narrows the band (each draw moves twice as far from the
 * middle); the range contains the static figure whenever every range contains 0 and there is no trend.
 *
 * Money: the static sums are exact integer fen; the response terms are real (volumes × fractions) and each figure is
 * rounded once to whole fen, half away from zero (a monotone rounding, so every order above survives it). Every draw's figures are whole fen with out-of-pocket = net − fund, so fund + out-of-pocket = net in
 * every draw. Freed exam spending (互认腾出的检查检验费用) is reported beside: Σ P¹·Q·T·w·ρ over the marked rows.
 *
 * Checks against the band: the share of draws whose net stays within the 调价总量 and whose fund increase stays
 * within the fund's cap (ΔF_max), with whether the range's worst end does.
 */
import { CATEGORIES, HOSPITAL_LEVEL_LABEL, type HospitalLevel } from '../reference';
import { mulShare, shareFraction, type ShareFraction } from '../pricing/impact';
import { quantile } from '../stats';
import { elasticityOf, recognitionWeight, type ForecastAssumptions, type Range } from './assumptions';
import { SeededRandom } from './random';

export interface ForecastRow {
  itemCode: string;
  categoryCode: string;
  level: HospitalLevel;
  oldPriceFen: number;
  newPriceFen: number;
  quantity: number;
  fundShare: number;
}

/** Sums of one category at one level: the linear model's coefficients. */
export interface GroupCoefficients {
  category: string;
  level: HospitalLevel;
  /** Σ ΔP·Q (exact fen) and Σ round(ΔP·Q·s) */
  staticNet: number;
  staticFund: number;
  /** Σ d·P¹·Q and Σ s·d·P¹·Q: the change per unit of elasticity */
  elasticityNet: number;
  elasticityFund: number;
  /** Σ over marked rows of ΔP·Q and of round(ΔP·Q·s): the change per unit of w·ρ is minus these */
  markedNet: number;
  markedFund: number;
  /** Σ over marked rows of P¹·Q and s·P¹·Q: the freed spending per unit of w·ρ */
  markedSpend: number;
  markedSpendFund: number;
}

/** Band of one figure, whole fen. */
export interface Band {
  p10Fen: number;
  p50Fen: number;
  p90Fen: number;
  /** The exact range over the assumption ranges. */
  minFen: number;
  maxFen: number;
}

export interface Triple {
  netFen: number;
  fundFen: number;
  outOfPocketFen: number;
}

export interface ForecastGroup {
  key: string;
  labelZh: string;
  /** Today's impact (base-year volumes held). */
  static: Triple;
  /** Trend only (no price response, no recognition). */
  noResponse: Triple;
  net: Band;
  fund: Band;
  outOfPocket: Band;
}

export interface ForecastCheck {
  code: 'FORECAST.OVER_BUDGET' | 'FORECAST.FUND_CAP';
  labelZh: string;
  limitFen: number;
  /** Share of draws within the limit (net ≤ total; fund increase ≤ ΔF_max). */
  shareWithin: number;
  /** Whether the static figure and the worst end of the exact range are within. */
  staticWithin: boolean;
  worstWithin: boolean;
  sentenceZh: string;
}

export interface FanYear {
  year: number;
  recognitionWeight: number;
  static: Triple;
  noResponse: Triple;
  net: Band;
  fund: Band;
}

/** The draws, column by column (whole fen for money). */
export interface ForecastDraws {
  count: number;
  /** Elasticity of each category in each draw: categories[k] → Float64Array(count). */
  elasticity: Record<string, Float64Array>;
  recognition: Float64Array;
  netFen: Float64Array;
  fundFen: Float64Array;
  outOfPocketFen: Float64Array;
  byLevelNetFen: Record<string, Float64Array>;
  savingsFen: Float64Array;
}

export interface ForecastInput {
  rows: readonly ForecastRow[];
  assumptions: ForecastAssumptions;
  baseYear: number;
  /** The forecast year (resolved: assumptions.year ?? the round's year). */
  year: number;
  /** Annual volume growth by category (decimal; absent: 0). Ignored when assumptions.trend is 'none'. */
  trendGrowth: ReadonlyMap<string, number>;
  limits: { totalFen: number | null; fundCapFen: number | null };
}

export interface ForecastResult {
  year: number;
  horizon: number;
  recognitionWeight: number;
  drawCount: number;
  total: ForecastGroup;
  byCategory: ForecastGroup[];
  byLevel: ForecastGroup[];
  /** Freed exam and lab spending from recognition (not part of the round's impact). */
  recognitionSavings: { net: Band; fund: Band };
  checks: ForecastCheck[];
  byYear: FanYear[];
  draws: ForecastDraws;
}

const CATEGORY_ZH = new Map(CATEGORIES.map((c) => [c.code, c.name_zh]));
const CATEGORY_ORDER = new Map(CATEGORIES.map((c, i) => [c.code, i]));

/** round half away from zero of a real number. */
export function roundHalfAway(x: number): number {
  const r = Math.sign(x) * Math.round(Math.abs(x));
  return r === 0 ? 0 : r;
}

/** The model's coefficients per category and level. `marked` says which rows recognition reduces. */
export function groupCoefficients(rows: readonly ForecastRow[], marked: (r: ForecastRow) => boolean): GroupCoefficients[] {
  const groups = new Map<string, GroupCoefficients>();
  const shares = new Map<number, ShareFraction>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    validateRow(r, i);
    const key = `${r.categoryCode}|${r.level}`;
    let g = groups.get(key);
    if (!g) {
      g = { category: r.categoryCode, level: r.level, staticNet: 0, staticFund: 0, elasticityNet: 0, elasticityFund: 0, markedNet: 0, markedFund: 0, markedSpend: 0, markedSpendFund: 0 };
      groups.set(key, g);
    }
    const dp = r.newPriceFen - r.oldPriceFen;
    const amount = dp * r.quantity;
    let fund = 0;
    if (amount !== 0) {
      let f = shares.get(r.fundShare);
      if (!f) shares.set(r.fundShare, (f = shareFraction(r.fundShare)));
      fund = mulShare(amount, f);
    }
    g.staticNet += amount;
    g.staticFund += fund;
    if (dp !== 0 && r.oldPriceFen > 0 && r.fundShare < 1) {
      const d = Math.max(-1, Math.min(1, dp / r.oldPriceFen));
      const e = d * r.newPriceFen * r.quantity;
      g.elasticityNet += e;
      g.elasticityFund += e * r.fundShare;
    }
    if (marked(r)) {
      g.markedNet += amount;
      g.markedFund += fund;
      const spend = r.newPriceFen * r.quantity;
      g.markedSpend += spend;
      g.markedSpendFund += spend * r.fundShare;
    }
  }
  for (const g of groups.values()) {
    if (!Number.isSafeInteger(g.staticNet) || !Number.isSafeInteger(g.staticFund)) throw new RangeError(`sums of ${g.category} at level ${g.level} exceed the exact range`);
  }
  return [...groups.values()].sort((a, b) => (CATEGORY_ORDER.get(a.category) ?? 99) - (CATEGORY_ORDER.get(b.category) ?? 99) || (a.category < b.category ? -1 : a.category > b.category ? 1 : b.level - a.level));
}

function validateRow(r: ForecastRow, i: number): void {
  if (!Number.isSafeInteger(r.oldPriceFen) || r.oldPriceFen < 0) throw new RangeError(`rows[${i}].oldPriceFen must be a non-negative integer (fen)`);
  if (!Number.isSafeInteger(r.newPriceFen) || r.newPriceFen < 0) throw new RangeError(`rows[${i}].newPriceFen must be a non-negative integer (fen)`);
  if (!Number.isSafeInteger(r.quantity) || r.quantity < 0) throw new RangeError(`rows[${i}].quantity must be a non-negative integer`);
  if (!(r.fundShare >= 0 && r.fundShare <= 1)) throw new RangeError(`rows[${i}].fundShare must be between 0 and 1`);
}

/**
 * A linear figure over the draws: value = a + Σ_k b[k]·ε[k] + c·ρ, ε[k] the elasticity of category k. Kept as its
 * coefficients so the exact range and every draw come from the same numbers.
 */
interface Linear {
  a: number;
  b: Float64Array;
  c: number;
}

const newLinear = (k: number): Linear => ({ a: 0, b: new Float64Array(k), c: 0 });

function addGroup(net: Linear, fund: Linear, g: GroupCoefficients, k: number, t: number, w: number): void {
  net.a += t * g.staticNet;
  fund.a += t * g.staticFund;
  net.b[k] += t * g.elasticityNet;
  fund.b[k] += t * g.elasticityFund;
  net.c -= t * w * g.markedNet;
  fund.c -= t * w * g.markedFund;
}

function minMax(l: Linear, ranges: readonly Range[], rho: Range): [number, number] {
  let lo = l.a;
  let hi = l.a;
  for (let k = 0; k < l.b.length; k++) {
    const b = l.b[k];
    if (b === 0) continue;
    const x = b * ranges[k].lo;
    const y = b * ranges[k].hi;
    lo += Math.min(x, y);
    hi += Math.max(x, y);
  }
  if (l.c !== 0) {
    const x = l.c * rho.lo;
    const y = l.c * rho.hi;
    lo += Math.min(x, y);
    hi += Math.max(x, y);
  }
  return [lo, hi];
}

function evaluate(l: Linear, eps: Float64Array, rho: number): number {
  let v = l.a;
  for (let k = 0; k < l.b.length; k++) if (l.b[k] !== 0) v += l.b[k] * eps[k];
  if (l.c !== 0) v += l.c * rho;
  return v;
}

function bandOf(values: Float64Array, l: Linear, ranges: readonly Range[], rho: Range): Band {
  const sorted = Float64Array.from(values).sort();
  const [lo, hi] = minMax(l, ranges, rho);
  return {
    p10Fen: roundHalfAway(quantile(sorted, 0.1)!),
    p50Fen: roundHalfAway(quantile(sorted, 0.5)!),
    p90Fen: roundHalfAway(quantile(sorted, 0.9)!),
    minFen: roundHalfAway(lo),
    maxFen: roundHalfAway(hi),
  };
}

/** The drawn positions: u[draw][k] for each elasticity dimension and v[draw] for ρ, in antithetic pairs. */
function drawPositions(count: number, dims: number, seed: number): { u: Float64Array[]; v: Float64Array } {
  const rng = new SeededRandom(seed);
  const u = Array.from({ length: dims }, () => new Float64Array(count));
  const v = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    for (let k = 0; k < dims; k++) {
      const x = rng.uniform();
      u[k][i] = x;
      u[k][i + 1] = 1 - x;
    }
    const y = rng.uniform();
    v[i] = y;
    v[i + 1] = 1 - y;
  }
  return { u, v };
}

const within = (v: number, limit: number) => v <= limit;

function pctText(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** The forecast of the module comment. */
export function forecastImpact(input: ForecastInput, marked: (r: ForecastRow) => boolean): ForecastResult {
  const a = input.assumptions;
  if (!Number.isInteger(input.year) || !Number.isInteger(input.baseYear)) throw new RangeError('year and baseYear must be integers');
  if (input.year < input.baseYear) throw new RangeError(`the forecast year ${input.year} is before the base year ${input.baseYear}`);
  if (a.draws % 2 !== 0 || a.draws < 2) throw new RangeError('draws must be an even number');
  const coef = groupCoefficients(input.rows, marked);

  // one elasticity dimension per category present (common draws share one position)
  const categories = [...new Set(coef.map((g) => g.category))];
  const catIndex = new Map(categories.map((c, i) => [c, i]));
  const ranges = categories.map((c) => elasticityOf(a, c));
  const K = categories.length;
  const N = a.draws;
  const pos = drawPositions(N, a.elasticityDraw === 'common' ? 1 : Math.max(K, 1), a.seed);
  const eps = categories.map((_, k) => {
    const u = pos.u[a.elasticityDraw === 'common' ? 0 : k];
    const r = ranges[k];
    return Float64Array.from(u, (x) => r.lo + x * (r.hi - r.lo));
  });
  const rhoDraws = Float64Array.from(pos.v, (y) => a.recognition.lo + y * (a.recognition.hi - a.recognition.lo));

  const trendFactor = (category: string, year: number) =>
    a.trend === 'none' ? 1 : Math.pow(1 + (input.trendGrowth.get(category) ?? 0), year - input.baseYear);

  const epsAt = new Float64Array(K);
  const drawValues = (l: Linear): Float64Array => {
    const out = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < K; k++) epsAt[k] = eps[k][i];
      out[i] = evaluate(l, epsAt, rhoDraws[i]);
    }
    return out;
  };

  /** The linear figures of a set of groups in a year. */
  const linearOf = (gs: readonly GroupCoefficients[], year: number) => {
    const w = recognitionWeight(a.recognitionYears, year);
    const net = newLinear(K);
    const fund = newLinear(K);
    for (const g of gs) addGroup(net, fund, g, catIndex.get(g.category)!, trendFactor(g.category, year), w);
    const oop: Linear = { a: net.a - fund.a, b: net.b.map((x, k) => x - fund.b[k]), c: net.c - fund.c };
    return { net, fund, oop };
  };

  const staticOf = (gs: readonly GroupCoefficients[]): Triple => {
    let net = 0;
    let fund = 0;
    for (const g of gs) {
      net += g.staticNet;
      fund += g.staticFund;
    }
    return { netFen: net, fundFen: fund, outOfPocketFen: net - fund };
  };
  const noResponseOf = (l: ReturnType<typeof linearOf>): Triple => {
    const net = roundHalfAway(l.net.a);
    const fund = roundHalfAway(l.fund.a);
    return { netFen: net, fundFen: fund, outOfPocketFen: net - fund };
  };

  const year = input.year;
  const w = recognitionWeight(a.recognitionYears, year);
  const groupAt = (key: string, labelZh: string, gs: readonly GroupCoefficients[]) => {
    const l = linearOf(gs, year);
    const netV = drawValues(l.net);
    const fundV = drawValues(l.fund);
    const oopV = Float64Array.from(netV, (x, i) => x - fundV[i]);
    const group: ForecastGroup = {
      key,
      labelZh,
      static: staticOf(gs),
      noResponse: noResponseOf(l),
      net: bandOf(netV, l.net, ranges, a.recognition),
      fund: bandOf(fundV, l.fund, ranges, a.recognition),
      outOfPocket: bandOf(oopV, l.oop, ranges, a.recognition),
    };
    return { group, l, netV, fundV };
  };

  const total = groupAt('total', '合计', coef);
  const byCategory = categories.map((c) => groupAt(c, CATEGORY_ZH.get(c) ?? c, coef.filter((g) => g.category === c)).group);
  const levels = [...new Set(coef.map((g) => g.level))].sort((x, y) => y - x);
  const levelResults = levels.map((lv) => groupAt(String(lv), HOSPITAL_LEVEL_LABEL[lv] ?? String(lv), coef.filter((g) => g.level === lv)));

  // every draw in whole fen: net and fund rounded, out-of-pocket the difference
  const netFen = Float64Array.from(total.netV, roundHalfAway);
  const fundFen = Float64Array.from(total.fundV, roundHalfAway);
  const outOfPocketFen = Float64Array.from(netFen, (x, i) => x - fundFen[i]);

  // freed spending of the marked rows: Σ T·w·ρ·P¹·Q
  const savings: Linear = { a: 0, b: new Float64Array(K), c: 0 };
  const savingsFund: Linear = { a: 0, b: new Float64Array(K), c: 0 };
  for (const g of coef) {
    const t = trendFactor(g.category, year);
    savings.c += t * w * g.markedSpend;
    savingsFund.c += t * w * g.markedSpendFund;
  }
  const savingsV = drawValues(savings);
  const savingsFundV = drawValues(savingsFund);

  const checks: ForecastCheck[] = [];
  const limits = input.limits;
  /** A limit checked on every draw, on the static figure and on the worst end of the exact range. */
  const check = (code: ForecastCheck['code'], labelZh: string, limitFen: number, draws: ArrayLike<number>, staticFen: number, worst: number): ForecastCheck => {
    let n = 0;
    for (let k = 0; k < draws.length; k++) if (within(draws[k], limitFen)) n++;
    const shareWithin = n / N;
    return {
      code, labelZh, limitFen, shareWithin,
      staticWithin: within(staticFen, limitFen),
      worstWithin: within(worst, limitFen),
      sentenceZh: `${pctText(shareWithin)}的抽样中${labelZh}` + (within(worst, limitFen) ? '，假设区间内最不利情形也不超过。' : '。'),
    };
  };
  if (limits.totalFen !== null) {
    checks.push(check('FORECAST.OVER_BUDGET', '净调价金额不超过调价总量', limits.totalFen, netFen, total.group.static.netFen, total.group.net.maxFen));
  }
  if (limits.fundCapFen !== null) {
    checks.push(check('FORECAST.FUND_CAP', '基金增支不超过基金承受能力上限', limits.fundCapFen, fundFen, total.group.static.fundFen, total.group.fund.maxFen));
  }

  // the fan: the same draws in the forecast year and the years after it
  const byYear: FanYear[] = [];
  for (let y = year; y < year + a.fanYears; y++) {
    const l = linearOf(coef, y);
    byYear.push({
      year: y,
      recognitionWeight: recognitionWeight(a.recognitionYears, y),
      static: staticOf(coef),
      noResponse: noResponseOf(l),
      net: bandOf(drawValues(l.net), l.net, ranges, a.recognition),
      fund: bandOf(drawValues(l.fund), l.fund, ranges, a.recognition),
    });
  }

  const elasticity: Record<string, Float64Array> = {};
  categories.forEach((c, k) => (elasticity[c] = eps[k]));
  const byLevelNetFen: Record<string, Float64Array> = {};
  levelResults.forEach((r) => (byLevelNetFen[r.group.key] = Float64Array.from(r.netV, roundHalfAway)));

  return {
    year,
    horizon: year - input.baseYear,
    recognitionWeight: w,
    drawCount: N,
    total: total.group,
    byCategory,
    byLevel: levelResults.map((r) => r.group),
    recognitionSavings: { net: bandOf(savingsV, savings, ranges, a.recognition), fund: bandOf(savingsFundV, savingsFund, ranges, a.recognition) },
    checks,
    byYear,
    draws: { count: N, elasticity, recognition: rhoDraws, netFen, fundFen, outOfPocketFen, byLevelNetFen, savingsFen: Float64Array.from(savingsV, roundHalfAway) },
  };
}

/** Whether a row is marked for recognition: its category or its item code is listed. */
export function recognitionMarker(a: Pick<ForecastAssumptions, 'recognitionCategories' | 'recognitionItems'>): (r: ForecastRow) => boolean {
  const cats = new Set(a.recognitionCategories);
  const items = new Set(a.recognitionItems);
  return (r) => cats.has(r.categoryCode) || items.has(r.itemCode);
}
