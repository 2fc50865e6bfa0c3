/**
 * 复杂型 quotes (DOMAIN.md §1 分类形成): hospitals quote a price from their own costs, the bureau scores the quotes and
 * selects within the total. Pure: no I/O.
 *
 * Score of a quote, 0–100 (rounded to 0.01), the weighted sum of three parts, each in [0, 1]:
 *
 *   coverage   (weight 0.5)  r = price ÷ unit cost;  1 − |r − 1| ÷ 0.5, floored at 0
 *                            (a price at cost scores 1; 50% above or below cost scores 0; no cost scores 0)
 *   structure  (weight 0.2)  s = labour ÷ unit cost (技术劳务占比 of the cost basis);
 *                            1 for s in [0.25, 0.65], s ÷ 0.25 below, (1 − s) ÷ 0.35 above
 *   median     (weight 0.3)  m = price ÷ median of the proposed prices of all quotes for the same item and level;
 *                            1 − |m − 1| ÷ 0.5, floored at 0 (a lone quote is its own median and scores 1)
 *
 * Selection (greedy, exact in fen): quotes in order of score (high first; ties: smaller cost, then lower id). The
 * cost of a quote is ΔP × Q, ΔP = proposed − current price, Q the volume the caller supplies (the base-year volume the
 * impact uses). A quote is
 *   rejected 'duplicate'   when a quote for the same item and level is already selected (one regional price each),
 *   rejected 'low_score'   when its score is below minScore,
 *   rejected 'no_price'    when the item has no current price at that level,
 *   rejected 'over_budget' when its cost exceeds what is left of the budget (the shortfall is given),
 *   selected otherwise, and the budget left is reduced by its cost (a cut, cost < 0, adds to it).
 * The net of the selection is Σ cost of the selected quotes ≤ budget, in whole fen.
 */

import { formatFenAuto } from '../money';

export interface QuoteInput {
  id: number;
  institutionCode: string;
  itemCode: string;
  level: number;
  proposedPriceFen: number;
  /** Σ of the cost basis components, fen; null when no cost basis is given. */
  unitCostFen: number | null;
  labourFen: number | null;
  /** Price in force at the level, fen; null when none. */
  currentPriceFen: number | null;
  /** Volume the cost of the quote is measured with. */
  quantity: number;
}

export const SCORE_WEIGHTS = { coverage: 0.5, structure: 0.2, median: 0.3 } as const;
export const COVERAGE_TOLERANCE = 0.5;
export const MEDIAN_TOLERANCE = 0.5;
export const LABOUR_BAND = { low: 0.25, high: 0.65 } as const;

export interface QuoteScore {
  id: number;
  coverage: number;
  structure: number;
  median: number;
  medianPriceFen: number;
  /** 0–100, two decimals. */
  score: number;
}

export type RejectReason = 'duplicate' | 'low_score' | 'no_price' | 'over_budget';

export const REJECT_REASON_ZH: Readonly<Record<RejectReason, string>> = {
  duplicate: '同一项目同一等级已选中评分更高的报价',
  low_score: '评分低于最低分',
  no_price: '该项目在此等级没有现行价格',
  over_budget: '超出剩余调价总量',
};

export interface QuoteDecision extends QuoteScore {
  itemCode: string;
  level: number;
  institutionCode: string;
  selected: boolean;
  /** ΔP × Q, fen; null without a current price. */
  costFen: number | null;
  reason: RejectReason | null;
  reasonZh: string;
  /** Budget left after this decision, fen. */
  remainingFen: number;
}

export interface Selection {
  budgetFen: number;
  netFen: number;
  remainingFen: number;
  selectedCount: number;
  rejectedCount: number;
  decisions: QuoteDecision[];
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export function coverageScore(priceFen: number, unitCostFen: number | null): number {
  if (unitCostFen === null || unitCostFen <= 0) return 0;
  return clamp01(1 - Math.abs(priceFen / unitCostFen - 1) / COVERAGE_TOLERANCE);
}

export function structureScore(labourFen: number | null, unitCostFen: number | null): number {
  if (labourFen === null || unitCostFen === null || unitCostFen <= 0) return 0;
  const s = labourFen / unitCostFen;
  if (s < LABOUR_BAND.low) return clamp01(s / LABOUR_BAND.low);
  if (s > LABOUR_BAND.high) return clamp01((1 - s) / (1 - LABOUR_BAND.high));
  return 1;
}

export function medianScore(priceFen: number, medianFen: number): number {
  if (medianFen <= 0) return priceFen === 0 ? 1 : 0;
  return clamp01(1 - Math.abs(priceFen / medianFen - 1) / MEDIAN_TOLERANCE);
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return 0;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Scores every quote; the median is taken over the quotes of the same item and level. */
export function scoreQuotes(quotes: readonly QuoteInput[]): QuoteScore[] {
  const prices = new Map<string, number[]>();
  for (const q of quotes) {
    const k = `${q.itemCode}|${q.level}`;
    const l = prices.get(k);
    if (l) l.push(q.proposedPriceFen);
    else prices.set(k, [q.proposedPriceFen]);
  }
  const medians = new Map([...prices].map(([k, l]) => [k, median(l)]));
  return quotes.map((q) => {
    const m = medians.get(`${q.itemCode}|${q.level}`)!;
    const coverage = coverageScore(q.proposedPriceFen, q.unitCostFen);
    const structure = structureScore(q.labourFen, q.unitCostFen);
    const med = medianScore(q.proposedPriceFen, m);
    const raw = 100 * (SCORE_WEIGHTS.coverage * coverage + SCORE_WEIGHTS.structure * structure + SCORE_WEIGHTS.median * med);
    return { id: q.id, coverage, structure, median: med, medianPriceFen: m, score: Math.round(raw * 100) / 100 };
  });
}

/** Greedy selection by score within `budgetFen` (see the module comment). */
export function selectQuotes(quotes: readonly QuoteInput[], budgetFen: number, opts: { minScore?: number } = {}): Selection {
  if (!Number.isSafeInteger(budgetFen)) throw new RangeError(`budgetFen must be an integer, got ${budgetFen}`);
  const minScore = opts.minScore ?? 0;
  const scores = scoreQuotes(quotes);
  const cost = (q: QuoteInput): number | null => {
    if (q.currentPriceFen === null) return null;
    const c = (q.proposedPriceFen - q.currentPriceFen) * q.quantity;
    if (!Number.isSafeInteger(c)) throw new RangeError(`quote ${q.id}: ΔP × Q exceeds the exact range`);
    return c;
  };
  const order = quotes
    .map((q, i) => ({ q, s: scores[i], c: cost(q) }))
    .sort((a, b) => b.s.score - a.s.score || (a.c ?? Infinity) - (b.c ?? Infinity) || a.q.id - b.q.id);
  let remaining = budgetFen;
  let net = 0;
  const taken = new Set<string>();
  const decisions: QuoteDecision[] = [];
  for (const { q, s, c } of order) {
    const key = `${q.itemCode}|${q.level}`;
    let reason: RejectReason | null = null;
    let detail = '';
    if (taken.has(key)) reason = 'duplicate';
    else if (s.score < minScore) reason = 'low_score';
    else if (c === null) reason = 'no_price';
    else if (c > remaining) {
      reason = 'over_budget';
      detail = `（需 ${formatFenAuto(c)}，剩余 ${formatFenAuto(remaining)}）`;
    }
    if (reason === null) {
      taken.add(key);
      remaining -= c!;
      net += c!;
    }
    decisions.push({
      ...s,
      itemCode: q.itemCode,
      level: q.level,
      institutionCode: q.institutionCode,
      selected: reason === null,
      costFen: c,
      reason,
      reasonZh: reason === null ? `入选：评分 ${s.score}，调价金额 ${formatFenAuto(c!)}` : `未入选：${REJECT_REASON_ZH[reason]}${detail}`,
      remainingFen: remaining,
    });
  }
  const selectedCount = decisions.filter((d) => d.selected).length;
  return { budgetFen, netFen: net, remainingFen: remaining, selectedCount, rejectedCount: decisions.length - selectedCount, decisions };
}
