/**
 * Patient burden of a scenario per insurance layer (docs/forecast.md): per hospital level, the change in the average
 * cost of an inpatient stay and of an outpatient visit, split into 基本医保基金 / 大病保险 / 惠民保 / 医疗救助 / 个人自付,
 * for an ordinary insured person and for a 医疗救助 recipient.
 *
 * - A scenario changes the cost of every stay and visit at level l by the same relative amount r_l = item share ×
 *   (net_l ÷ R₀_l): net_l ÷ R₀_l is the relative change of the level's revenue from priced services (the impact at
 *   base-year volumes), the item share the part of a stay's or visit's cost that is priced services (medical services,
 *   exams and lab; not drugs and consumables).
 * - Stays: lognormal per level (distribution.ts), calibrated to the mean cost per stay of DOMAIN.md §8 (resident
 *   insurance 2023: 12,765 / 6,205 / 2,943元 at 三级 / 二级 / 一级) with a documented σ; each node's cost moves to
 *   x + round(x·r_l) and both are split by layers.ts. The average of a part is Σ part ÷ n rounded half away from zero;
 *   the average self-paid part is the average cost minus the other parts, so the parts add up to the average cost to
 *   the fen, before, after and in the change.
 * - Visits: the average patient's year of visits (visits per year × average cost per visit) through 门诊统筹, per
 *   visit the year's figures ÷ visits (the same rounding rule).
 */
import { divRound } from '../money';
import { HOSPITAL_LEVEL_LABEL, type HospitalLevel } from '../reference';
import { lognormalNodes, muOf, type LognormalModel } from './distribution';
import { splitOutpatientYear, splitStay, type Parts, type PatientKind } from './layers';
import { validatePolicy, type InsurancePolicy } from './policy';
import { roundHalfAway } from '../forecast/band';

/** Mean cost per inpatient stay of resident insurance, 2023 (DOMAIN.md §8), fen. */
export const STAY_MEAN_2023_FEN: Readonly<Record<HospitalLevel, number>> = { 3: 1_276_500, 2: 620_500, 1: 294_300 };
/** σ of ln(cost per stay): an assumption (the sources give means, not spread); CV = √(e^σ² − 1) ≈ 1.1. */
export const DEFAULT_STAY_SIGMA = 0.9;
/** Average cost per outpatient visit 2021 (DOMAIN.md §8, seed 003), fen: the default when no regional figure is loaded. */
export const VISIT_COST_2021_FEN = 32_900;
/** Visits per person and year 2021 (DOMAIN.md §8). */
export const VISITS_PER_YEAR_2021 = 6;
export const DEFAULT_NODES = 2000;

export interface BurdenAssumptions {
  stay: Record<HospitalLevel, LognormalModel>;
  visitFen: Record<HospitalLevel, number>;
  visitsPerYear: number;
  /** Share of a stay's and a visit's cost that is priced services, decimal. */
  itemShare: number;
  nodes: number;
}

export interface LevelChange {
  level: HospitalLevel;
  /** net_l ÷ R₀_l (null when R₀_l = 0: then r_l = 0) */
  revenueChange: number | null;
}

export interface BurdenCell {
  before: Parts;
  after: Parts;
  change: Parts;
  /** Share of stays the 大病保险 pays for, before and after (null for visits). */
  criticalShareBefore: number | null;
  criticalShareAfter: number | null;
}

export interface LevelBurden {
  level: HospitalLevel;
  labelZh: string;
  revenueChange: number | null;
  /** r_l: relative change of a stay's and a visit's cost */
  costChange: number;
  /** The basic-insurance rate used for stays at this level, and where it came from. */
  inpatientRate: number;
  inpatientRateSource: 'policy' | 'reimbursement_rate';
  /** μ and σ of ln(cost per stay), and the mean. */
  stayModel: { meanFen: number; mu: number; sigma: number };
  stay: Record<PatientKind, BurdenCell>;
  visit: Record<PatientKind, BurdenCell>;
  /** The fund's share of the average stay's cost before the change (ordinary insured): the calibration check. */
  fundShareOfStay: number;
}

export interface BurdenInput {
  policy: InsurancePolicy;
  levels: readonly LevelChange[];
  assumptions: BurdenAssumptions;
  /** The 医保支付比例表's 甲类 share by level: the basic rate where the policy gives none. */
  fallbackRate: Record<HospitalLevel, number>;
}

/** The averages of splits over equally likely nodes: parts ÷ n rounded, self-paid the rest. */
export function averageParts(splits: readonly Parts[], withHuiminbao: boolean): Parts {
  const n = splits.length;
  let cost = 0;
  let basic = 0;
  let critical = 0;
  let hmb = 0;
  let assistance = 0;
  for (const s of splits) {
    cost += s.costFen;
    basic += s.basicFen;
    critical += s.criticalFen;
    hmb += s.huiminbaoFen ?? 0;
    assistance += s.assistanceFen;
  }
  const c = divRound(cost, n);
  const b = divRound(basic, n);
  const cr = divRound(critical, n);
  const h = withHuiminbao ? divRound(hmb, n) : null;
  const a = divRound(assistance, n);
  return { costFen: c, basicFen: b, criticalFen: cr, huiminbaoFen: h, assistanceFen: a, selfPaidFen: c - b - cr - (h ?? 0) - a };
}

export function diffParts(after: Parts, before: Parts): Parts {
  return {
    costFen: after.costFen - before.costFen,
    basicFen: after.basicFen - before.basicFen,
    criticalFen: after.criticalFen - before.criticalFen,
    huiminbaoFen: after.huiminbaoFen === null || before.huiminbaoFen === null ? null : after.huiminbaoFen - before.huiminbaoFen,
    assistanceFen: after.assistanceFen - before.assistanceFen,
    selfPaidFen: after.selfPaidFen - before.selfPaidFen,
  };
}

function cell(before: readonly Parts[], after: readonly Parts[], withHuiminbao: boolean, stays: boolean): BurdenCell {
  const b = averageParts(before, withHuiminbao);
  const a = averageParts(after, withHuiminbao);
  const share = (xs: readonly Parts[]) => xs.filter((x) => x.criticalFen > 0).length / xs.length;
  return { before: b, after: a, change: diffParts(a, b), criticalShareBefore: stays ? share(before) : null, criticalShareAfter: stays ? share(after) : null };
}

function validateAssumptions(a: BurdenAssumptions): void {
  for (const l of [3, 2, 1] as const) {
    if (!Number.isSafeInteger(a.visitFen[l]) || a.visitFen[l] < 0) throw new RangeError(`visitFen.${l} must be a non-negative integer (fen)`);
  }
  if (!Number.isSafeInteger(a.visitsPerYear) || a.visitsPerYear < 1 || a.visitsPerYear > 100) throw new RangeError('visitsPerYear must be an integer in [1, 100]');
  if (!(a.itemShare > 0 && a.itemShare <= 1)) throw new RangeError('itemShare must be in (0, 1]');
  if (!Number.isSafeInteger(a.nodes) || a.nodes < 10 || a.nodes > 20000) throw new RangeError('nodes must be an integer in [10, 20000]');
}

/** The burden of the module comment, for each level of `input.levels`. */
export function patientBurden(input: BurdenInput): LevelBurden[] {
  const { policy, assumptions: a } = input;
  validatePolicy(policy);
  validateAssumptions(a);
  const withHmb = policy.huiminbao !== null;
  return input.levels.map(({ level, revenueChange }) => {
    const r = (revenueChange ?? 0) * a.itemShare;
    if (!(r > -1)) throw new RangeError(`the cost change at level ${level} must be above −100%`);
    const rate = policy.inpatient.rate ? policy.inpatient.rate[level] : input.fallbackRate[level];
    const model = a.stay[level];
    const nodes = lognormalNodes(model, a.nodes);
    const moved = nodes.map((x) => x + roundHalfAway(x * r));
    const kinds: PatientKind[] = ['ordinary', 'assisted'];
    const stay = {} as Record<PatientKind, BurdenCell>;
    const visit = {} as Record<PatientKind, BurdenCell>;
    const v = a.visitsPerYear;
    const visitBefore = a.visitFen[level];
    const visitAfter = visitBefore + roundHalfAway(visitBefore * r);
    // a year of visits, then per visit (ordinary visits are outside 大病保险, 惠民保 and 医疗救助: the same for both kinds)
    const yearBefore = splitOutpatientYear(v * visitBefore, policy, input.fallbackRate[level], withHmb);
    const yearAfter = splitOutpatientYear(v * visitAfter, policy, input.fallbackRate[level], withHmb);
    const visitCell = cell([perVisitOf(yearBefore, v, withHmb)], [perVisitOf(yearAfter, v, withHmb)], withHmb, false);
    for (const kind of kinds) {
      stay[kind] = cell(
        nodes.map((x) => splitStay(x, level, policy, rate, kind)),
        moved.map((x) => splitStay(x, level, policy, rate, kind)),
        withHmb,
        true,
      );
      visit[kind] = visitCell;
    }
    const before = stay.ordinary.before;
    return {
      level,
      labelZh: HOSPITAL_LEVEL_LABEL[level],
      revenueChange,
      costChange: r,
      inpatientRate: rate,
      inpatientRateSource: policy.inpatient.rate ? 'policy' : 'reimbursement_rate',
      stayModel: { meanFen: model.meanFen, mu: muOf(model), sigma: model.sigma },
      stay,
      visit,
      fundShareOfStay: before.costFen > 0 ? before.basicFen / before.costFen : 0,
    };
  });
}

/** A year's parts per visit: each part ÷ visits rounded half away from zero, self-paid the rest of the visit's cost. */
function perVisitOf(p: Parts, visits: number, withHuiminbao: boolean): Parts {
  const c = divRound(p.costFen, visits);
  const b = divRound(p.basicFen, visits);
  const cr = divRound(p.criticalFen, visits);
  const h = withHuiminbao ? divRound(p.huiminbaoFen ?? 0, visits) : null;
  const a = divRound(p.assistanceFen, visits);
  return { costFen: c, basicFen: b, criticalFen: cr, huiminbaoFen: h, assistanceFen: a, selfPaidFen: c - b - cr - (h ?? 0) - a };
}

/**
 * The basic-insurance rate r at which the modelled fund pays `targetShare` of the average stay (deductible D and
 * ceiling C as given): the calibration of a policy table to published fund shares (bisection, to 1e−6).
 */
export function calibrateInpatientRate(model: LognormalModel, targetShare: number, deductibleFen: number, ceilingFen: number, nodes = DEFAULT_NODES): number {
  const xs = lognormalNodes(model, nodes);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const shareAt = (rate: number) => xs.reduce((s, x) => s + Math.min(ceilingFen, rate * Math.max(0, x - deductibleFen)), 0) / xs.length / mean;
  if (shareAt(1) < targetShare) throw new RangeError(`no rate reaches a fund share of ${targetShare}`);
  let lo = 0;
  let hi = 1;
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    if (shareAt(mid) < targetShare) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
