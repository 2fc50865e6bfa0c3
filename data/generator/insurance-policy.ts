import type { Region } from './regions';

/**
 * 医保待遇政策表 of the demo regions (城乡居民医保, from the price tables' date): the same national-typical policy in
 * every region — not any region's own — with the basic rates calibrated to the 2023 resident-insurance fund shares
 * (DOMAIN.md §8: the fund paid about 52% / 64% / 74% of a stay at 三级 / 二级 / 一级 hospitals). With these deductibles
 * and the burden model's stay-cost distribution (lognormal, mean 12,765 / 6,205 / 2,943元, σ = 0.9; see
 * api/src/domain/burden) the rates at which the modelled fund pays those shares are 56.4% / 70.8% / 82.4%
 * (calibrateInpatientRate; data/generator/insurance-policy.test.ts checks it).
 *
 * 大病保险 from 15,000元 of self-paid cost (DOMAIN.md §8), 60% up to 10万元 above it and 70% beyond, at most 40万元;
 * for 医疗救助 recipients half the threshold, 5 points more and no ceiling (the tilt of 国办发〔2021〕42号); 医疗救助 70%
 * of what is left, at most 6万元 a year. 苏州 also has a city 惠民保 (generated figures of the usual shape: 2万元
 * deductible, 80%, 100万元).
 */
export interface PolicyRow {
  regionCode: string;
  regionName: string;
  /** 元 */
  deductible: Record<3 | 2 | 1, number>;
  /** percent */
  rate: Record<3 | 2 | 1, number>;
  ceiling: number;
  outpatient: { deductible: number; rate: number; ceiling: number };
  critical: { threshold: number; breakpoints: number[]; rates: number[]; ceiling: number };
  assisted: { threshold: number; uplift: number; noCeiling: boolean };
  assistance: { deductible: number; rate: number; ceiling: number };
  huiminbao: { deductible: number; rate: number; ceiling: number } | null;
}

export const DEMO_POLICY: Omit<PolicyRow, 'regionCode' | 'regionName' | 'huiminbao'> = {
  deductible: { 3: 1000, 2: 600, 1: 300 },
  rate: { 3: 56.4, 2: 70.8, 1: 82.4 },
  ceiling: 200_000,
  outpatient: { deductible: 100, rate: 50, ceiling: 500 },
  critical: { threshold: 15_000, breakpoints: [100_000], rates: [60, 70], ceiling: 400_000 },
  assisted: { threshold: 7_500, uplift: 5, noCeiling: true },
  assistance: { deductible: 0, rate: 70, ceiling: 60_000 },
};

const HUIMINBAO: Record<string, PolicyRow['huiminbao']> = { '320500': { deductible: 20_000, rate: 80, ceiling: 1_000_000 } };

export function policyRows(regions: readonly Region[]): PolicyRow[] {
  return regions.map((r) => ({ regionCode: r.code, regionName: r.name, ...DEMO_POLICY, huiminbao: HUIMINBAO[r.code] ?? null }));
}

export const POLICY_HEADERS = [
  '行政区划代码', '地区名称', '险种',
  '三级医院住院起付线（元）', '二级医院住院起付线（元）', '一级医院住院起付线（元）',
  '三级医院住院报销比例（%）', '二级医院住院报销比例（%）', '一级医院住院报销比例（%）', '年度最高支付限额（元）',
  '门诊统筹起付线（元）', '门诊统筹报销比例（%）', '门诊统筹年度限额（元）',
  '大病保险起付线（元）', '大病保险分段点（元）', '大病保险报销比例（%）', '大病保险年度最高支付限额（元）',
  '救助对象大病保险起付线（元）', '救助对象大病保险报销比例提高（百分点）', '救助对象大病保险取消封顶线',
  '医疗救助起付线（元）', '医疗救助比例（%）', '医疗救助年度限额（元）',
  '惠民保起付线（元）', '惠民保报销比例（%）', '惠民保年度限额（元）', '执行日期',
] as const;

/** A row's cells in the order of POLICY_HEADERS. */
export function policyCells(p: PolicyRow, date: string): (string | number)[] {
  const h = p.huiminbao;
  return [
    p.regionCode, p.regionName, '城乡居民医保',
    p.deductible[3], p.deductible[2], p.deductible[1], p.rate[3], p.rate[2], p.rate[1], p.ceiling,
    p.outpatient.deductible, p.outpatient.rate, p.outpatient.ceiling,
    p.critical.threshold, p.critical.breakpoints.join('；'), p.critical.rates.join('；'), p.critical.ceiling,
    p.assisted.threshold, p.assisted.uplift, p.assisted.noCeiling ? '是' : '否',
    p.assistance.deductible, p.assistance.rate, p.assistance.ceiling,
    h ? h.deductible : '', h ? h.rate : '', h ? h.ceiling : '', date,
  ];
}
