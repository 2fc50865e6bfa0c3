import type { Region } from './regions';

/**
 * 医保支付比例表 of the demo regions: the share of a service price the fund pays, per 医保支付类别 and hospital level,
 * from the price tables' date. Calibrated to the national resident-insurance figures of 2023 (DOMAIN.md §8: per
 * inpatient stay the fund paid about 52% at 三级, 64% at 二级 and 74% at 一级 hospitals); 乙类 items carry a 10%
 * 先行自付 part (90% of the 甲类 share); the fund pays nothing for 丙类 and 自费 items. The same in every demo region —
 * these are national averages, not any region's own table.
 */
export const LEVEL_SHARE_PCT: Readonly<Record<3 | 2 | 1, number>> = { 3: 52, 2: 64, 1: 74 };
export const CLASS_FACTOR: Readonly<Record<ReimbursementClass, number>> = { 甲类: 1, 乙类: 0.9, 丙类: 0, 自费: 0 };
export type ReimbursementClass = '甲类' | '乙类' | '丙类' | '自费';

export interface ReimbursementRow {
  regionCode: string;
  regionName: string;
  paymentClass: ReimbursementClass;
  /** percent with at most two decimals, per level */
  pct: Record<3 | 2 | 1, number>;
}

export function reimbursementRows(regions: readonly Region[]): ReimbursementRow[] {
  const out: ReimbursementRow[] = [];
  for (const r of regions) {
    for (const cls of Object.keys(CLASS_FACTOR) as ReimbursementClass[]) {
      const pct = (l: 3 | 2 | 1) => Math.round(LEVEL_SHARE_PCT[l] * CLASS_FACTOR[cls] * 100) / 100;
      out.push({ regionCode: r.code, regionName: r.name, paymentClass: cls, pct: { 3: pct(3), 2: pct(2), 1: pct(1) } });
    }
  }
  return out;
}
