// Item costs (作业成本法 style): unit cost and its four components, in 分; the components always sum exactly.
import { costClass, type CostClass, type Item } from './items';
import type { Ladder } from './prices';
import { Rng } from './random';

export interface CostRow {
  year: number;
  regionCode: string;
  /** Blank for a regional average. */
  institutionCode: string;
  itemCode: string;
  itemName: string;
  staff: number;
  materials: number;
  depreciation: number;
  other: number;
  total: number;
}

/** Typical cost-recovery rates (price ÷ cost) by cost class. */
export const RECOVERY: Record<CostClass, [number, number]> = {
  labour: [0.5, 0.9],
  bed: [0.6, 0.9],
  mixed: [0.85, 1.2],
  equipment: [1.1, 1.6],
  lab: [1.1, 1.6],
};

/** Shares of 人员经费 / 卫生材料费 / 固定资产折旧 (其他费用 takes the rest, at least 5%). */
const SHARES: Record<CostClass, Array<[number, number]>> = {
  labour: [[0.55, 0.68], [0.05, 0.12], [0.05, 0.1]],
  bed: [[0.35, 0.45], [0.05, 0.1], [0.25, 0.35]],
  mixed: [[0.35, 0.45], [0.1, 0.18], [0.2, 0.28]],
  equipment: [[0.18, 0.28], [0.08, 0.16], [0.35, 0.48]],
  lab: [[0.15, 0.22], [0.4, 0.52], [0.12, 0.2]],
};

export function splitCost(total: number, cls: CostClass, r: Rng): Pick<CostRow, 'staff' | 'materials' | 'depreciation' | 'other' | 'total'> {
  const [s, m, d] = SHARES[cls].map(([lo, hi]) => r.range(lo, hi)) as [number, number, number];
  const staff = Math.floor(total * s);
  const materials = Math.floor(total * m);
  const depreciation = Math.floor(total * d);
  return { staff, materials, depreciation, other: total - staff - materials - depreciation, total };
}

/** Regional average costs for 2022 and 2023, derived from the 三级 price and a recovery rate of the item's class. */
export function regionalCosts(regionCode: string, items: Item[], prices: Map<string, Ladder>, rng: Rng): CostRow[] {
  const r = rng.fork('costs:' + regionCode);
  const out: CostRow[] = [];
  for (const it of items) {
    const ladder = prices.get(it.code);
    if (!ladder) continue;
    const cls = costClass(it.kind);
    const [lo, hi] = RECOVERY[cls];
    const recovery = r.range(lo, hi);
    const c2022 = Math.max(1, Math.round(ladder.p3 / recovery));
    const c2023 = Math.max(1, Math.round(c2022 * r.range(1.02, 1.05)));
    for (const [year, total] of [[2022, c2022], [2023, c2023]] as const) {
      out.push({ year, regionCode, institutionCode: '', itemCode: it.code, itemName: it.name, ...splitCost(total, cls, r) });
    }
  }
  return out;
}

/** Institution-level costs: the regional cost scaled by an institution factor and an item jitter. */
export function institutionCosts(
  regionRows: CostRow[],
  institution: { code: string },
  provides: (itemCode: string) => boolean,
  items: Map<string, Item>,
  rng: Rng,
): CostRow[] {
  const r = rng.fork('inst-costs:' + institution.code);
  const factor = r.range(0.9, 1.15);
  const out: CostRow[] = [];
  for (const row of regionRows) {
    if (!provides(row.itemCode)) continue;
    const it = items.get(row.itemCode);
    if (!it) continue;
    const total = Math.max(1, Math.round(row.total * factor * r.spread(0.05)));
    out.push({ ...row, institutionCode: institution.code, ...splitCost(total, costClass(it.kind), r) });
  }
  return out;
}
