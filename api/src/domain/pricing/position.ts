/**
 * Cross-region price position of an item at a level: where a price stands among the prices in force for the same
 * item code and level in the other regions. Percentile rank of p among n prices = 100 × (#below + ½ #equal) ÷ n.
 * The other regions' prices come sorted ascending; counts are found by binary search.
 */
export interface PricePosition {
  regionCount: number;
  minFen: number | null;
  medianFen: number | null;
  maxFen: number | null;
  percentileOld: number | null;
  percentileNew: number | null;
}

/** Index of the first element ≥ p (strict: > p) of an ascending list. */
function bound(sorted: ArrayLike<number>, p: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < p || (strict && sorted[mid] === p)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function percentileRank(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const below = bound(sorted, p, false);
  const equal = bound(sorted, p, true) - below;
  return (100 * (below + equal / 2)) / sorted.length;
}

export function medianOfSorted(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** The position of an old and a new price among the other regions' prices (ascending). */
export function pricePosition(sortedOthers: ArrayLike<number>, oldFen: number, newFen: number): PricePosition {
  const n = sortedOthers.length;
  return {
    regionCount: n,
    minFen: n ? sortedOthers[0] : null,
    medianFen: medianOfSorted(sortedOthers),
    maxFen: n ? sortedOthers[n - 1] : null,
    percentileOld: percentileRank(sortedOthers, oldFen),
    percentileNew: percentileRank(sortedOthers, newFen),
  };
}

export interface PositionBand {
  labelZh: string;
  /** Inclusive lower edge of the percentile rank; null = the band of prices below every other region's. */
  from: number | null;
  /** Exclusive upper edge; null = prices above every other region's. */
  to: number | null;
  before: number;
  after: number;
}

export interface PositionSummary {
  /** Rows (items at a level) summarised. */
  rowCount: number;
  /** Rows that have at least one other region's price. */
  withPeersCount: number;
  /** Median percentile rank of the old and the new prices, over rows with peers. */
  medianPercentileOld: number | null;
  medianPercentileNew: number | null;
  /** Rows whose price moved up / down in rank. */
  rankUpCount: number;
  rankDownCount: number;
  /** Rows by the band their percentile rank falls in, before and after. */
  bands: PositionBand[];
}

const BAND_EDGES = [25, 50, 75] as const;

/**
 * The positions of many rows as columns (NaN where a row has no other region's price): rows[k]'s old and new price
 * among lists[k]. The same figures as pricePosition, without an object per row.
 */
export interface PositionColumns {
  regionCount: Int32Array;
  minFen: Float64Array;
  medianFen: Float64Array;
  maxFen: Float64Array;
  percentileOld: Float64Array;
  percentileNew: Float64Array;
}

export function positionColumns(lists: readonly (ArrayLike<number> | undefined)[], oldFen: ArrayLike<number>, newFen: ArrayLike<number>): PositionColumns {
  const n = lists.length;
  const c: PositionColumns = {
    regionCount: new Int32Array(n), minFen: new Float64Array(n).fill(NaN), medianFen: new Float64Array(n).fill(NaN), maxFen: new Float64Array(n).fill(NaN),
    percentileOld: new Float64Array(n).fill(NaN), percentileNew: new Float64Array(n).fill(NaN),
  };
  for (let k = 0; k < n; k++) {
    const l = lists[k];
    const m = l ? l.length : 0;
    if (m === 0) continue;
    c.regionCount[k] = m;
    c.minFen[k] = l![0];
    c.maxFen[k] = l![m - 1];
    c.medianFen[k] = medianOfSorted(l!)!;
    c.percentileOld[k] = percentileRank(l!, oldFen[k])!;
    c.percentileNew[k] = percentileRank(l!, newFen[k])!;
  }
  return c;
}

/** Row k of position columns as a PricePosition. */
export function positionAt(c: PositionColumns, k: number): PricePosition {
  const v = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    regionCount: c.regionCount[k], minFen: v(c.minFen[k]), medianFen: v(c.medianFen[k]), maxFen: v(c.maxFen[k]),
    percentileOld: v(c.percentileOld[k]), percentileNew: v(c.percentileNew[k]),
  };
}

/**
 * Where a scenario's changed rows stand among the other regions, in bands of the percentile rank: below every other
 * region (the price under their minimum), [0, 25), [25, 50), [50, 75), [75, 100], above every other region (over
 * their maximum). Rows without peers count in rowCount only.
 */
export function summarizePositions(rows: readonly { oldPriceFen: number; newPriceFen: number }[], positions: PositionColumns): PositionSummary {
  if (positions.regionCount.length !== rows.length) throw new RangeError('summarizePositions: one position per row');
  const labels = ['低于所有其他地区', '0–25%', '25%–50%', '50%–75%', '75%–100%', '高于所有其他地区'];
  const from: (number | null)[] = [null, 0, 25, 50, 75, null];
  const to: (number | null)[] = [null, 25, 50, 75, null, null];
  const before = new Array<number>(6).fill(0);
  const after = new Array<number>(6).fill(0);
  const olds: number[] = [];
  const news: number[] = [];
  let up = 0;
  let down = 0;
  const band = (p: number, pct: number, k: number): number => {
    if (p < positions.minFen[k]) return 0;
    if (p > positions.maxFen[k]) return 5;
    let b = 1;
    for (const e of BAND_EDGES) if (pct >= e) b++;
    return b;
  };
  for (let k = 0; k < rows.length; k++) {
    if (positions.regionCount[k] === 0) continue;
    const po = positions.percentileOld[k];
    const pn = positions.percentileNew[k];
    olds.push(po);
    news.push(pn);
    if (pn > po) up++;
    else if (pn < po) down++;
    before[band(rows[k].oldPriceFen, po, k)]++;
    after[band(rows[k].newPriceFen, pn, k)]++;
  }
  return {
    rowCount: rows.length,
    withPeersCount: olds.length,
    medianPercentileOld: medianOfSorted(Float64Array.from(olds).sort()),
    medianPercentileNew: medianOfSorted(Float64Array.from(news).sort()),
    rankUpCount: up,
    rankDownCount: down,
    bands: labels.map((labelZh, i) => ({ labelZh, from: from[i], to: to[i], before: before[i], after: after[i] })),
  };
}

/**
 * The indexes of the `n` highest values (NaN left out), highest first, ties in index order (row order: item code,
 * level 3 → 1) — the first `n` of a stable descending sort, by one pass keeping the best `n` in order.
 */
export function topByValue(v: ArrayLike<number>, n: number): number[] {
  const top: number[] = [];
  for (let k = 0; k < v.length; k++) {
    const x = v[k];
    if (Number.isNaN(x)) continue;
    if (top.length === n && !(x > v[top[n - 1]])) continue;
    // insert after every kept index with a value ≥ x (an equal value came earlier: it stays ahead)
    let at = top.length;
    while (at > 0 && v[top[at - 1]] < x) at--;
    top.splice(at, 0, k);
    if (top.length > n) top.pop();
  }
  return top;
}

/** The five figures of a box plot of an ascending list (quartiles by linear interpolation between ranks). */
export interface PriceBox {
  count: number;
  minFen: number;
  q1Fen: number;
  medianFen: number;
  q3Fen: number;
  maxFen: number;
}

/**
 * Quantile p (0–1) of an ascending list: x[h] interpolated linearly, h = (n − 1)·p (the definition of R's type 7 and
 * of spreadsheets' QUARTILE.INC); its p = ½ is medianOfSorted.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The box of an ascending list; null when it is empty. */
export function boxOfSorted(sorted: ArrayLike<number>): PriceBox | null {
  const n = sorted.length;
  if (n === 0) return null;
  return {
    count: n,
    minFen: sorted[0],
    q1Fen: quantileOfSorted(sorted, 0.25)!,
    medianFen: medianOfSorted(sorted)!,
    q3Fen: quantileOfSorted(sorted, 0.75)!,
    maxFen: sorted[n - 1],
  };
}
