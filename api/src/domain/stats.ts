/**
 * Generic statistics over plain numbers, used by the impact, the positions and the charts: quantiles (linear
 * interpolation between order statistics, the default of most statistics packages), histograms over [from, to) bins,
 * order statistics by selection instead of a sort, and grouping into accumulators.
 */

export interface HistogramBin {
  labelZh: string;
  /** Inclusive lower edge; null = −∞. */
  from: number | null;
  /** Exclusive upper edge; null = +∞. */
  to: number | null;
  count: number;
}

/** Linear interpolation between order statistics (the default of most statistics packages). */
export function quantile(sorted: ArrayLike<number>, p: number): number | null {
  const k = sorted.length;
  if (k === 0) return null;
  const h = (k - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, k - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function binLabel(from: number | null, to: number | null): string {
  const p = (x: number) => `${Math.round(x * 10000) / 100}%`;
  if (from === null && to !== null) return `<${p(to)}`;
  if (to === null && from !== null) return `≥${p(from)}`;
  if (from !== null && to !== null) return `${p(from)}–${p(to)}`;
  return '全部';
}

/** Histogram over [from, to) bins cut at `edges`, with open-ended first and last bins. */
export function histogram(values: ArrayLike<number>, edges: readonly number[]): HistogramBin[] {
  const bins: HistogramBin[] = [];
  for (let b = 0; b <= edges.length; b++) {
    const from = b === 0 ? null : edges[b - 1];
    const to = b === edges.length ? null : edges[b];
    bins.push({ labelZh: binLabel(from, to), from, to, count: 0 });
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let lo = 0;
    let hi = edges.length;
    // first edge > v
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] > v) hi = mid;
      else lo = mid + 1;
    }
    bins[lo].count++;
  }
  return bins;
}

/**
 * Puts the order statistics ks (ascending, distinct, each in [0, n)) of `a` in place: afterwards a[k] is the value a
 * full ascending sort would put at k, for every k of ks. Multi-quickselect: one partition (median-of-three pivot)
 * serves every k of the range, and only the sides holding a k are partitioned again; expected O(n log |ks|).
 */
export function selectInPlace(a: Float64Array, ks: readonly number[]): void {
  const stack: number[] = [0, a.length - 1, 0, ks.length]; // lo, hi, first k, end of ks
  while (stack.length) {
    const kEnd = stack.pop()!;
    const kFrom = stack.pop()!;
    const hi = stack.pop()!;
    const lo = stack.pop()!;
    if (kFrom >= kEnd || hi <= lo) continue;
    const mid = (lo + hi) >> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // [lo, j] ≤ pivot ≤ [i, hi]; positions strictly between j and i hold the pivot value and are in place
    let split = kFrom;
    while (split < kEnd && ks[split] <= j) split++;
    let right = split;
    while (right < kEnd && ks[right] < i) right++;
    stack.push(lo, j, kFrom, split, i, hi, right, kEnd);
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * The quantiles ps of `values` (any order; not modified), as quantile() of the sorted values, by selecting only the
 * order statistics they need.
 */
export function quantilesBySelection(values: Float64Array, ps: readonly number[]): (number | null)[] {
  const n = values.length;
  if (n === 0) return ps.map(() => null);
  const a = values.slice();
  const ks = [...new Set(ps.flatMap((p) => { const lo = Math.floor((n - 1) * p); return [lo, Math.min(lo + 1, n - 1)]; }))].sort((x, y) => x - y);
  selectInPlace(a, ks);
  return ps.map((p) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return a[lo] + (h - lo) * (a[hi] - a[lo]);
  });
}

/** Groups items into accumulators by key, in first-seen key order. */
export function groupBy<T, K, A>(
  items: readonly T[],
  keyOf: (item: T, index: number) => K,
  init: (key: K) => A,
  add: (acc: A, item: T, index: number) => void,
): Map<K, A> {
  const m = new Map<K, A>();
  for (let i = 0; i < items.length; i++) {
    const k = keyOf(items[i], i);
    let a = m.get(k);
    if (a === undefined) {
      a = init(k);
      m.set(k, a);
    }
    add(a, items[i], i);
  }
  return m;
}
