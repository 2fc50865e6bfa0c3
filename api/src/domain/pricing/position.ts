/**
 * Cross-region price position of an item at a level: where a price stands among the prices in force for the same
 * item code and level in the other regions. Percentile rank of p among n prices = 100 × (#below + ½ #equal) ÷ n.
 */
export interface PricePosition {
  regionCount: number;
  minFen: number | null;
  medianFen: number | null;
  maxFen: number | null;
  percentileOld: number | null;
  percentileNew: number | null;
}

export function percentileRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  let below = 0;
  let equal = 0;
  for (const x of sorted) {
    if (x < p) below++;
    else if (x === p) equal++;
  }
  return (100 * (below + equal / 2)) / sorted.length;
}

export function medianOfSorted(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** The position of an old and a new price among the other regions' prices (ascending). */
export function pricePosition(sortedOthers: readonly number[], oldFen: number, newFen: number): PricePosition {
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
