/**
 * 跟踪监测 by month: each month of the monitored year, the forecast the round was approved on against what the
 * month's volumes give, overall and by category.
 *
 * For each change (ΔP at an item and level):
 *   forecast of a month = ΔP × Q_base ÷ 12    Q_base: the base year's annual public volume at that level, spread evenly
 *   actual of a month   = ΔP × Q_m            Q_m: that month's public volume at that level
 * The forecast of a group is Σ ΔP·Q_base ÷ 12 rounded half away from zero to the fen once, after the exact sum; the
 * volumes likewise (Q_base ÷ 12, to 0.01). A month without any reported volume in the region (no data loaded yet)
 * has no actual (null), not a zero. gap = actual − forecast; gapRate = actual ÷ forecast − 1 (null when the forecast
 * is 0 or the month is not reported).
 */

export interface MonthlyChange {
  categoryCode: string;
  deltaFen: number;
  /** annual public volume of the base year */
  baseQuantity: number;
  /** public volume of each month of the monitored year, by month 1–12 (missing: 0) */
  monthQuantity: ReadonlyMap<number, number>;
}

export interface MonthPoint {
  month: number;
  reported: boolean;
  forecastFen: number;
  actualFen: number | null;
  gapFen: number | null;
  gapRate: number | null;
  forecastQuantity: number;
  actualQuantity: number | null;
}

export interface MonthlyResult {
  total: MonthPoint[];
  byCategory: { key: string; points: MonthPoint[] }[];
}

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

/** n ÷ d rounded half away from zero to a whole number (n, d exact integers as bigint). */
function divRound(n: bigint, d: bigint): number {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return Number(neg ? -q : q);
}

interface Acc {
  f: bigint;
  qb: bigint;
  a: bigint[];
  qa: number[];
}

function points(acc: Acc, reported: ReadonlySet<number>): MonthPoint[] {
  const forecastFen = divRound(acc.f, 12n);
  const forecastQuantity = divRound(acc.qb * 100n, 12n) / 100;
  return MONTHS.map((m) => {
    const r = reported.has(m);
    const actualFen = r ? Number(acc.a[m]) : null;
    return {
      month: m,
      reported: r,
      forecastFen,
      actualFen,
      gapFen: actualFen === null ? null : actualFen - forecastFen,
      gapRate: actualFen === null || forecastFen === 0 ? null : actualFen / forecastFen - 1,
      forecastQuantity,
      actualQuantity: r ? acc.qa[m] : null,
    };
  });
}

const emptyAcc = (): Acc => ({ f: 0n, qb: 0n, a: new Array<bigint>(13).fill(0n), qa: new Array<number>(13).fill(0) });

/** The forecast and the actual of every month, overall and by category (categories in first-seen order). */
export function monthlyMonitoring(changes: readonly MonthlyChange[], reportedMonths: readonly number[]): MonthlyResult {
  const reported = new Set(reportedMonths);
  const total = emptyAcc();
  const byCat = new Map<string, Acc>();
  for (const c of changes) {
    let g = byCat.get(c.categoryCode);
    if (!g) byCat.set(c.categoryCode, (g = emptyAcc()));
    const dp = BigInt(c.deltaFen);
    const qb = BigInt(c.baseQuantity);
    for (const acc of [total, g]) {
      acc.f += dp * qb;
      acc.qb += qb;
      for (const m of MONTHS) {
        const q = c.monthQuantity.get(m) ?? 0;
        acc.a[m] += dp * BigInt(q);
        acc.qa[m] += q;
      }
    }
  }
  return { total: points(total, reported), byCategory: [...byCat].map(([key, acc]) => ({ key, points: points(acc, reported) })) };
}

/** Whether a point's gap exceeds a threshold (a decimal: 0.1 = 10%) in either direction; unreported months never. */
export function gapExceeds(p: Pick<MonthPoint, 'gapRate'>, threshold: number): boolean {
  return p.gapRate !== null && Math.abs(p.gapRate) > threshold;
}
