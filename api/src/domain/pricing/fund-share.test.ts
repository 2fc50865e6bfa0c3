import { describe, expect, it } from 'vitest';
import { FundShares } from './fund-share';

describe('FundShares', () => {
  const rates = new Map([
    ['甲|3', 0.55],
    ['乙|3', 0.495],
    ['甲|2', 0.66],
  ]);

  it('reads the loaded 医保支付比例表 for the class and level; an item without a class reads 甲类', () => {
    const s = new FundShares(rates, undefined);
    expect(s.of('甲', 3)).toEqual({ share: 0.55, source: 'reimbursement_rate' });
    expect(s.of('乙', 3)).toEqual({ share: 0.495, source: 'reimbursement_rate' });
    expect(s.of(null, 2)).toEqual({ share: 0.66, source: 'reimbursement_rate' });
  });

  it('falls back to the level share times the class factor where the table has no rate', () => {
    const s = new FundShares(rates, undefined);
    // 乙 at level 2 is not in the table: 64% × 0.9 = 57.6%
    expect(s.of('乙', 2)).toEqual({ share: 0.576, source: 'demo' });
    expect(s.of('自费', 3)).toEqual({ share: 0, source: 'demo' });
    expect(s.of(null, 1)).toEqual({ share: 0.74, source: 'demo' });
    const configured = new FundShares(new Map(), { '1': 0.8 });
    expect(configured.of('乙', 1)).toEqual({ share: 0.72, source: 'params' });
  });
});
