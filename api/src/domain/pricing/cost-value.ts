/**
 * 成本比价: how an item's price stands against its unit cost (成本回收率 = price ÷ cost) and against its 人力资源消耗
 * 相对值 (the 2023 技术规范's relative value, "points": 比价 = price ÷ points), summed over a group of items.
 *
 * A group's figures are ratios of sums weighted by the base-year volume Q, so a frequent item counts for more than a
 * rare one: recovery = Σ P·Q ÷ Σ C·Q over the rows with a cost, price per point = Σ P·Q ÷ Σ RV·Q over the rows with
 * points. When none of those rows has volume (Σ Q = 0), each row counts once (Q = 1 for all). Rows without a cost
 * (or with cost 0) and rows without points (or with 0 points) are left out of the respective figure and counted.
 */

export interface CostValueInput {
  priceFen: number;
  /** unit cost, 分; null: no cost data */
  unitCostFen: number | null;
  /** 人力资源消耗相对值; null: no catalogue item with points */
  relativeValue: number | null;
  quantity: number;
}

export interface CostValueFigures {
  rowCount: number;
  /** rows with a cost > 0 */
  costedCount: number;
  /** rows with points > 0 */
  pointedCount: number;
  /** Σ P·Q ÷ Σ C·Q (decimal, 1 = price equals cost); null without a costed row */
  recovery: number | null;
  /** Σ P·Q ÷ Σ RV·Q (分 per point); null without a row with points */
  pricePerPointFen: number | null;
  /** whether the figures are weighted by volume (false: no volume in the group, each row once) */
  recoveryWeighted: boolean;
  pointsWeighted: boolean;
}

/** Σ num·w ÷ Σ den·w over `rows`, w = Q, or w = 1 when Σ Q = 0; null when `rows` is empty or Σ den·w = 0. */
function weightedRatio<T extends { quantity: number }>(rows: readonly T[], num: (r: T) => number, den: (r: T) => number): { ratio: number | null; weighted: boolean } {
  if (rows.length === 0) return { ratio: null, weighted: false };
  const weighted = rows.some((r) => r.quantity > 0);
  let n = 0;
  let d = 0;
  for (const r of rows) {
    const w = weighted ? Math.max(r.quantity, 0) : 1;
    n += num(r) * w;
    d += den(r) * w;
  }
  return { ratio: d > 0 ? n / d : null, weighted };
}

/** The recovery and the price per point of a group of rows (see the module's header). */
export function costValueFigures(rows: readonly CostValueInput[]): CostValueFigures {
  const costed = rows.filter((r) => r.unitCostFen !== null && r.unitCostFen > 0);
  const pointed = rows.filter((r) => r.relativeValue !== null && r.relativeValue > 0);
  const rec = weightedRatio(costed, (r) => r.priceFen, (r) => r.unitCostFen!);
  const ppp = weightedRatio(pointed, (r) => r.priceFen, (r) => r.relativeValue!);
  return {
    rowCount: rows.length,
    costedCount: costed.length,
    pointedCount: pointed.length,
    recovery: rec.ratio,
    pricePerPointFen: ppp.ratio,
    recoveryWeighted: rec.weighted,
    pointsWeighted: ppp.weighted,
  };
}

/** The figures of each group of rows, in the order the groups first occur. */
export function costValueByGroup<T extends CostValueInput>(rows: readonly T[], key: (r: T) => string): { key: string; figures: CostValueFigures }[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups].map(([k, g]) => ({ key: k, figures: costValueFigures(g) }));
}
