/**
 * A region's 医保待遇政策 as the burden model reads it (etl kind `insurance-policy`, docs/forecast.md): what each
 * layer of the insurance pays of a patient's cost. Money is integer fen, rates are decimals in [0, 1].
 *
 * - 基本医保 (inpatient): per stay, the fund pays rate_l × (cost − 起付线_l), at most the annual ceiling (封顶线).
 *   rate_l is the policy's 住院报销比例 by level, else the 医保支付比例表's 甲类 share of that level.
 * - 基本医保 (outpatient, 门诊统筹): over a year, rate × (annual outpatient cost − 起付线), at most the annual limit.
 * - 大病保险: on the cost the patient still pays after basic insurance above the threshold (起付线, often about
 *   15,000元), by bands of that excess: band k pays rate_k of the part of the excess in [from_k, from_{k+1}); at most
 *   its ceiling when it has one. 医疗救助 recipients: a lower threshold, rates raised by some points, and possibly no
 *   ceiling (the tilt of 国办发〔2021〕42号: 降低起付线、提高报销比例、取消封顶线).
 * - 惠民保 (optional, city commercial cover): rate × (what is left − its deductible), at most its limit.
 * - 医疗救助 (assistance recipients only, 先保险后救助): rate × (what is left − its 起付线), at most the annual limit.
 */
import type { HospitalLevel } from '../reference';

export interface CriticalBand {
  /** Lower edge of the band on the excess over the threshold, fen (the first band starts at 0). */
  fromFen: number;
  /** Share of the band paid, decimal. */
  rate: number;
}

export interface InsurancePolicy {
  regionCode: string;
  /** 城乡居民医保 or 职工医保 */
  scheme: 'resident' | 'employee';
  validFrom: string;
  inpatient: {
    deductibleFen: Record<HospitalLevel, number>;
    /** Share of the cost above the deductible; null: the 医保支付比例表's 甲类 share is used. */
    rate: Record<HospitalLevel, number> | null;
    ceilingFen: number;
  };
  outpatient: { deductibleFen: number; rate: number; ceilingFen: number } | null;
  critical: {
    thresholdFen: number;
    bands: CriticalBand[];
    ceilingFen: number | null;
    assisted: { thresholdFen: number; rateUplift: number; noCeiling: boolean };
  };
  assistance: { deductibleFen: number; rate: number; ceilingFen: number };
  huiminbao: { deductibleFen: number; rate: number; ceilingFen: number } | null;
}

export const SCHEME_ZH: Record<InsurancePolicy['scheme'], string> = { resident: '城乡居民基本医疗保险', employee: '职工基本医疗保险' };

/** Throws RangeError naming the first field that is out of range. */
export function validatePolicy(p: InsurancePolicy): void {
  const fen = (x: number, what: string) => {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`${what} must be a non-negative integer (fen), got ${x}`);
  };
  const rate = (x: number, what: string) => {
    if (!(x >= 0 && x <= 1)) throw new RangeError(`${what} must be a decimal in [0, 1], got ${x}`);
  };
  for (const l of [3, 2, 1] as const) {
    fen(p.inpatient.deductibleFen[l], `inpatient.deductibleFen.${l}`);
    if (p.inpatient.rate) rate(p.inpatient.rate[l], `inpatient.rate.${l}`);
  }
  fen(p.inpatient.ceilingFen, 'inpatient.ceilingFen');
  if (p.outpatient) {
    fen(p.outpatient.deductibleFen, 'outpatient.deductibleFen');
    rate(p.outpatient.rate, 'outpatient.rate');
    fen(p.outpatient.ceilingFen, 'outpatient.ceilingFen');
  }
  fen(p.critical.thresholdFen, 'critical.thresholdFen');
  if (p.critical.bands.length === 0 || p.critical.bands[0].fromFen !== 0) throw new RangeError('critical.bands must start at 0');
  p.critical.bands.forEach((b, i) => {
    fen(b.fromFen, `critical.bands[${i}].fromFen`);
    rate(b.rate, `critical.bands[${i}].rate`);
    if (i > 0 && !(b.fromFen > p.critical.bands[i - 1].fromFen)) throw new RangeError('critical.bands must ascend');
  });
  if (p.critical.ceilingFen !== null) fen(p.critical.ceilingFen, 'critical.ceilingFen');
  fen(p.critical.assisted.thresholdFen, 'critical.assisted.thresholdFen');
  if (!(p.critical.assisted.rateUplift >= 0 && p.critical.assisted.rateUplift <= 1)) throw new RangeError('critical.assisted.rateUplift must be in [0, 1]');
  fen(p.assistance.deductibleFen, 'assistance.deductibleFen');
  rate(p.assistance.rate, 'assistance.rate');
  fen(p.assistance.ceilingFen, 'assistance.ceilingFen');
  if (p.huiminbao) {
    fen(p.huiminbao.deductibleFen, 'huiminbao.deductibleFen');
    rate(p.huiminbao.rate, 'huiminbao.rate');
    fen(p.huiminbao.ceilingFen, 'huiminbao.ceilingFen');
  }
}
