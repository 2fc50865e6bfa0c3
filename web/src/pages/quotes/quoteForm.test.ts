import { describe, expect, it } from 'vitest';
import { emptyDraft, toRequest, unitCostFen, type QuoteDraft } from './quoteForm';

const filled = (): QuoteDraft => ({
  ...emptyDraft('H001'),
  itemCode: '331100001',
  proposedPrice: '1234.56',
  cost: { labourFen: '500.10', materialFen: '300', equipmentFen: '', overheadFen: '0.90', otherFen: '' },
  expectedVolume: '120',
  reason: '  新增护理人力  ',
});

describe('the 申报 form of a quote', () => {
  it('turns amounts in 元 into exact fen and the parts into the unit cost', () => {
    const r = toRequest(filled());
    expect(r.problems).toBeNull();
    expect(r.body).toEqual({
      institutionCode: 'H001',
      itemCode: '331100001',
      proposedPriceFen: 123456,
      costBasis: { labourFen: 50010, materialFen: 30000, equipmentFen: 0, overheadFen: 90, otherFen: 0 },
      expectedVolume: 120,
      reason: '新增护理人力',
    });
    // 500.10 + 300 + 0.90 = 801.00 元
    expect(unitCostFen(filled())).toBe(80100);
  });

  it('names every field it cannot send', () => {
    expect(toRequest(emptyDraft()).problems).toEqual({
      institutionCode: 'institutionRequired',
      itemCode: 'itemRequired',
      proposedPrice: 'priceRequired',
      labourFen: 'labourRequired',
      expectedVolume: 'volumeRequired',
    });
    const bad = { ...filled(), proposedPrice: '12.345', expectedVolume: '1.5', reason: '理'.repeat(2001) };
    bad.cost = { ...bad.cost, materialFen: '三百' };
    expect(toRequest(bad).problems).toEqual({ proposedPrice: 'priceFormat', materialFen: 'amountFormat', expectedVolume: 'volumeFormat', reason: 'reasonLong' });
    expect(unitCostFen(bad)).toBeNull();
    const zero = { ...filled(), proposedPrice: '0', cost: { labourFen: '0', materialFen: '', equipmentFen: '', overheadFen: '', otherFen: '' } };
    expect(toRequest(zero).problems).toEqual({ proposedPrice: 'priceFormat', costBasis: 'costPositive' });
  });
});
