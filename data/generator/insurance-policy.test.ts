// The demo 医保待遇政策表 is calibrated to the 2023 resident-insurance fund shares under the burden model's defaults.
import { describe, expect, it } from 'vitest';
import { calibrateInpatientRate, DEFAULT_STAY_SIGMA, patientBurden, STAY_MEAN_2023_FEN, type InsurancePolicy } from '../../api/src/domain/burden';
import { DEMO_POLICY } from './insurance-policy';

const yuan = (x: number) => Math.round(x * 100);
const TARGET = { 3: 0.52, 2: 0.64, 1: 0.74 } as const;

describe('demo 医保待遇政策表', () => {
  it('has the basic rates at which the modelled fund pays 52% / 64% / 74% of the average stay', () => {
    for (const l of [3, 2, 1] as const) {
      const r = calibrateInpatientRate({ meanFen: STAY_MEAN_2023_FEN[l], sigma: DEFAULT_STAY_SIGMA }, TARGET[l], yuan(DEMO_POLICY.deductible[l]), yuan(DEMO_POLICY.ceiling));
      expect(Math.round(r * 1000) / 10, `level ${l}`).toBe(DEMO_POLICY.rate[l]);
    }
    const policy: InsurancePolicy = {
      regionCode: '320500', scheme: 'resident', validFrom: '2022-01-01',
      inpatient: {
        deductibleFen: { 3: yuan(1000), 2: yuan(600), 1: yuan(300) },
        rate: { 3: DEMO_POLICY.rate[3] / 100, 2: DEMO_POLICY.rate[2] / 100, 1: DEMO_POLICY.rate[1] / 100 },
        ceilingFen: yuan(DEMO_POLICY.ceiling),
      },
      outpatient: null,
      critical: { thresholdFen: yuan(15_000), bands: [{ fromFen: 0, rate: 0.6 }, { fromFen: yuan(100_000), rate: 0.7 }], ceilingFen: yuan(400_000), assisted: { thresholdFen: yuan(7_500), rateUplift: 0.05, noCeiling: true } },
      assistance: { deductibleFen: 0, rate: 0.7, ceilingFen: yuan(60_000) },
      huiminbao: null,
    };
    const levels = patientBurden({
      policy,
      levels: [3, 2, 1].map((l) => ({ level: l as 3 | 2 | 1, revenueChange: 0 })),
      assumptions: {
        stay: { 3: { meanFen: STAY_MEAN_2023_FEN[3], sigma: DEFAULT_STAY_SIGMA }, 2: { meanFen: STAY_MEAN_2023_FEN[2], sigma: DEFAULT_STAY_SIGMA }, 1: { meanFen: STAY_MEAN_2023_FEN[1], sigma: DEFAULT_STAY_SIGMA } },
        visitFen: { 3: 32_900, 2: 32_900, 1: 32_900 }, visitsPerYear: 6, itemShare: 0.5, nodes: 2000,
      },
      fallbackRate: { 3: 0.52, 2: 0.64, 1: 0.74 },
    });
    for (const x of levels) expect(Math.abs(x.fundShareOfStay - TARGET[x.level])).toBeLessThan(0.001);
  });
});
