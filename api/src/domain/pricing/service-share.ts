import type { ImpactColumns } from './impact-groups';

export interface ServiceShareChange {
  before: number;
  after: number;
  serviceRevenueFen: number;
  examLabRevenueFen: number;
  impliedMedicalRevenueFen: number;
  deltaServiceFen: number;
  deltaExamLabFen: number;
}

/**
 * 医疗服务收入占比 after a scenario, from its value before (`shareBefore`, a rate): the base-year revenue of the service
 * items other than exams and lab (S0, at old prices) is the numerator, so medical revenue M0 = S0 ÷ shareBefore;
 * volumes and drug and material revenue unchanged, after = (S0 + ΔS) ÷ (M0 + ΔS + ΔE), ΔS and ΔE the net changes of
 * the service and of the exam/lab rows. Rows are columns (`examLab[i]` 1 for an exam or lab row); `changed` lists the
 * rows whose prices differ. Null when shareBefore or S0 is not positive.
 */
export function serviceRevenueShare(
  cols: Pick<ImpactColumns, 'oldFen' | 'newFen'>,
  quantity: ArrayLike<number>,
  examLab: ArrayLike<number>,
  changed: ArrayLike<number>,
  shareBefore: number,
): ServiceShareChange | null {
  const { oldFen, newFen } = cols;
  let S0 = 0;
  let E0 = 0;
  for (let i = 0; i < oldFen.length; i++) {
    if (examLab[i]) E0 += oldFen[i] * quantity[i];
    else S0 += oldFen[i] * quantity[i];
  }
  let dS = 0;
  let dE = 0;
  for (let k = 0; k < changed.length; k++) {
    const i = changed[k];
    const d = (newFen[i] - oldFen[i]) * quantity[i];
    if (examLab[i]) dE += d;
    else dS += d;
  }
  if (!(shareBefore > 0 && S0 > 0)) return null;
  const M0 = S0 / shareBefore;
  return {
    before: shareBefore,
    after: (S0 + dS) / (M0 + dS + dE),
    serviceRevenueFen: S0,
    examLabRevenueFen: E0,
    impliedMedicalRevenueFen: Math.round(M0),
    deltaServiceFen: dS,
    deltaExamLabFen: dE,
  };
}
