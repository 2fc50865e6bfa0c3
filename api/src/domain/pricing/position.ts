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
 * Where a scenario's changed rows stand among the other regions, in bands of the percentile rank: below every other
 * region (the price under their minimum), [0, 25), [25, 50), [50, 75), [75, 100], above every other region (over
 * their maximum). Rows without peers count in rowCount only.
 */
export function summarizePositions(rows: readonly { oldPriceFen: number; newPriceFen: number }[], positions: readonly PricePosition[]): PositionSummary {
  if (positions.length !== rows.length) throw new RangeError('summarizePositions: one position per row');
  const labels = ['低于所有其他地区', '0–25%', '25%–50%', '50%–75%', '75%–100%', '高于所有其他地区'];
  const from: (number | null)[] = [null, 0, 25, 50, 75, null];
  const to: (number | null)[] = [null, 25, 50, 75, null, null];
  const before = new Array<number>(6).fill(0);
  const after = new Array<number>(6).fill(0);
  const olds: number[] = [];
  const news: number[] = [];
  let up = 0;
  let down = 0;
  const band = (p: number, pct: number, pos: PricePosition): number => {
    if (pos.minFen !== null && p < pos.minFen) return 0;
    if (pos.maxFen !== null && p > pos.maxFen) return 5;
    let b = 1;
    for (const e of BAND_EDGES) if (pct >= e) b++;
    return b;
  };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const pos = positions[i];
    if (pos.regionCount === 0 || pos.percentileOld === null || pos.percentileNew === null) continue;
    olds.push(pos.percentileOld);
    news.push(pos.percentileNew);
    if (pos.percentileNew > pos.percentileOld) up++;
    else if (pos.percentileNew < pos.percentileOld) down++;
    before[band(r.oldPriceFen, pos.percentileOld, pos)]++;
    after[band(r.newPriceFen, pos.percentileNew, pos)]++;
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
