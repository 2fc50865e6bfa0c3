/**
 * One patient's cost split over the insurance layers (policy.ts), in the order they pay (先保险后救助): 基本医保,
 * 大病保险, 惠民保, 医疗救助, and what is left, 个人自付. Integer fen throughout: each layer's payment is rounded once,
 * half away from zero (rates are exact decimals), and capped by what is still unpaid, so the parts always add up to
 * the cost exactly.
 *
 * An inpatient stay is taken as the patient's only stay in the year (the annual ceilings and the 大病 threshold
 * apply to it alone). Ordinary outpatient visits (普通门诊) are paid by 门诊统筹 over a year; 大病保险, 惠民保 and
 * 医疗救助 cover stays (and 门诊慢特病, not modelled), not ordinary visits.
 */
import * as R from '../rational';
import type { HospitalLevel } from '../reference';
import type { InsurancePolicy } from './policy';

export type PatientKind = 'ordinary' | 'assisted';

export interface Parts {
  costFen: number;
  /** 基本医保基金 */
  basicFen: number;
  /** 大病保险 */
  criticalFen: number;
  /** 惠民保; null when the policy has none */
  huiminbaoFen: number | null;
  /** 医疗救助 */
  assistanceFen: number;
  /** 个人自付 */
  selfPaidFen: number;
}

const pay = (base: number, rate: number): number => (base <= 0 ? 0 : R.mulFen(base, rate));

/** 大病保险's payment on an excess `q` over the threshold: Σ rate_k × (the part of q in band k), rounded once. */
export function criticalPayment(q: number, bands: readonly { fromFen: number; rate: number }[], uplift = 0): number {
  if (q <= 0) return 0;
  let sum: R.Ratio = R.ZERO;
  const up = R.fromDecimal(uplift);
  for (let k = 0; k < bands.length; k++) {
    const from = bands[k].fromFen;
    if (q <= from) break;
    const to = k + 1 < bands.length ? Math.min(q, bands[k + 1].fromFen) : q;
    const rate = R.min(R.ONE, R.add(R.fromDecimal(bands[k].rate), up));
    sum = R.add(sum, R.mul(R.fromInt(to - from), rate));
  }
  return R.toSafeInt(R.roundHalfAway(sum), 'critical payment');
}

/** The layers of one inpatient stay of `costFen` at `level`. `inpatientRate` is the basic rate used at that level. */
export function splitStay(costFen: number, level: HospitalLevel, policy: InsurancePolicy, inpatientRate: number, kind: PatientKind): Parts {
  if (!Number.isSafeInteger(costFen) || costFen < 0) throw new RangeError(`costFen must be a non-negative integer, got ${costFen}`);
  const ip = policy.inpatient;
  const basic = Math.min(ip.ceilingFen, pay(costFen - ip.deductibleFen[level], inpatientRate), costFen);
  let left = costFen - basic;

  const c = policy.critical;
  const assisted = kind === 'assisted';
  const threshold = assisted ? c.assisted.thresholdFen : c.thresholdFen;
  let critical = criticalPayment(left - threshold, c.bands, assisted ? c.assisted.rateUplift : 0);
  const ceiling = assisted && c.assisted.noCeiling ? null : c.ceilingFen;
  if (ceiling !== null) critical = Math.min(critical, ceiling);
  critical = Math.min(critical, left);
  left -= critical;

  let huiminbao: number | null = null;
  if (policy.huiminbao) {
    const h = policy.huiminbao;
    huiminbao = Math.min(h.ceilingFen, pay(left - h.deductibleFen, h.rate), left);
    left -= huiminbao;
  }

  let assistance = 0;
  if (assisted) {
    const a = policy.assistance;
    assistance = Math.min(a.ceilingFen, pay(left - a.deductibleFen, a.rate), left);
    left -= assistance;
  }
  return { costFen, basicFen: basic, criticalFen: critical, huiminbaoFen: huiminbao, assistanceFen: assistance, selfPaidFen: left };
}

/**
 * A year of ordinary outpatient visits of `annualFen` in total: 门诊统筹 pays rate × (annual cost − 起付线), at most
 * its annual limit; without an outpatient policy `fallbackRate` × the cost (the 医保支付比例表's share). The rest is
 * self-paid (the other layers do not cover ordinary visits).
 */
export function splitOutpatientYear(annualFen: number, policy: InsurancePolicy, fallbackRate: number, withHuiminbao: boolean): Parts {
  if (!Number.isSafeInteger(annualFen) || annualFen < 0) throw new RangeError(`annualFen must be a non-negative integer, got ${annualFen}`);
  const op = policy.outpatient;
  const basic = op ? Math.min(op.ceilingFen, pay(annualFen - op.deductibleFen, op.rate), annualFen) : Math.min(pay(annualFen, fallbackRate), annualFen);
  return { costFen: annualFen, basicFen: basic, criticalFen: 0, huiminbaoFen: withHuiminbao ? 0 : null, assistanceFen: 0, selfPaidFen: annualFen - basic };
}

/** Σ of the parts other than the cost (equals costFen for every split above). */
export function partsSum(p: Parts): number {
  return p.basicFen + p.criticalFen + (p.huiminbaoFen ?? 0) + p.assistanceFen + p.selfPaidFen;
}
