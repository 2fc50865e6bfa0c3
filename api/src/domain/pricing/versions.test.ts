import { describe, expect, it } from 'vitest';
import { analyzeImpact, type ImpactItem } from './impact';
import { changeListDiff, impactDifference } from './versions';

describe('changeListDiff (two versions of a change list)', () => {
  const v1 = [
    { itemCode: 'A', level: 3, oldPriceFen: 1000, newPriceFen: 1200, reason: null },
    { itemCode: 'A', level: 2, oldPriceFen: 800, newPriceFen: 900, reason: '劳务' },
    { itemCode: 'B', level: 3, oldPriceFen: 500, newPriceFen: 450, reason: null },
    { itemCode: 'D', level: 1, oldPriceFen: 300, newPriceFen: 330, reason: null },
  ];
  const v2 = [
    { itemCode: 'D', level: 1, oldPriceFen: 300, newPriceFen: 330, reason: null }, // alike: not listed
    { itemCode: 'A', level: 2, oldPriceFen: 800, newPriceFen: 900, reason: '技术劳务' }, // another reason only
    { itemCode: 'A', level: 3, oldPriceFen: 1000, newPriceFen: 1300, reason: null }, // new price moved
    { itemCode: 'C', level: 1, oldPriceFen: 200, newPriceFen: 260, reason: null }, // added
  ]; // B3 removed

  it('lists added, removed, re-priced and re-worded rows with both sides, in item and level order', () => {
    expect(changeListDiff(v1, v2)).toEqual([
      { itemCode: 'A', level: 3, kind: 'changed', from: { oldPriceFen: 1000, newPriceFen: 1200, reason: null }, to: { oldPriceFen: 1000, newPriceFen: 1300, reason: null } },
      { itemCode: 'A', level: 2, kind: 'reason', from: { oldPriceFen: 800, newPriceFen: 900, reason: '劳务' }, to: { oldPriceFen: 800, newPriceFen: 900, reason: '技术劳务' } },
      { itemCode: 'B', level: 3, kind: 'removed', from: { oldPriceFen: 500, newPriceFen: 450, reason: null }, to: null },
      { itemCode: 'C', level: 1, kind: 'added', from: null, to: { oldPriceFen: 200, newPriceFen: 260, reason: null } },
    ]);
  });

  it('is empty for the same list and mirrors when the versions swap', () => {
    expect(changeListDiff(v2, [...v2].reverse())).toEqual([]);
    const back = changeListDiff(v2, v1);
    expect(back.map((r) => `${r.itemCode}${r.level}:${r.kind}`)).toEqual(['A3:changed', 'A2:reason', 'B3:added', 'C1:removed']);
  });
});

describe('impactDifference', () => {
  // two rows computed by hand: 一级护理 三级 700 → 2600, Q 1000, s 0.52 (ΔP·Q +1,900,000, fund 988,000);
  // CT 三级 18000 → 13495, Q 2001, s 0.52 (ΔP·Q −9,014,505, fund −4,687,543)
  const nursing: ImpactItem = { itemCode: '120100002', name: '一级护理', categoryCode: 'nursing', family: 'labour', level: 3, oldPriceFen: 700, newPriceFen: 2600, quantity: 1000, fundShare: 0.52, unitCostFen: 3000, labourShare: 0.8 };
  const ct: ImpactItem = { itemCode: '210300001', name: 'CT平扫', categoryCode: 'imaging', family: 'equipment', level: 3, oldPriceFen: 18000, newPriceFen: 13495, quantity: 2001, fundShare: 0.52, unitCostFen: 9000, labourShare: 0.2 };
  const params = { changeCap: 3, itemShareFloor: 0 };
  const from = analyzeImpact([nursing, { ...ct, newPriceFen: ct.oldPriceFen }], 1_000_000, params);
  const to = analyzeImpact([nursing, ct], 1_000_000, params);

  it('gives each figure as from, to and to − from, and the net by category and level', () => {
    const d = impactDifference(from, to);
    expect(d.figures.netFen).toEqual({ from: 1_900_000, to: 1_900_000 - 9_014_505, difference: -9_014_505 });
    expect(d.figures.grossDownFen).toEqual({ from: 0, to: 9_014_505, difference: 9_014_505 });
    expect(d.figures.fundFen).toEqual({ from: 988_000, to: 988_000 - 4_687_543, difference: -4_687_543 });
    expect(d.figures.changedRowCount).toEqual({ from: 1, to: 2, difference: 1 });
    expect(d.byCategory.find((g) => g.key === 'imaging')).toMatchObject({ fromNetFen: 0, toNetFen: -9_014_505, differenceFen: -9_014_505 });
    expect(d.byCategory.find((g) => g.key === 'nursing')).toMatchObject({ fromNetFen: 1_900_000, toNetFen: 1_900_000, differenceFen: 0 });
    expect(d.byLevel.find((g) => g.key === '3')!.differenceFen).toBe(-9_014_505);
    expect(d.labourShare).toEqual({ from: 1, to: 1, difference: 0 });
  });

  it('names the checks raised and cleared', () => {
    // over the total of 1,000,000 before (net 1,900,000), within it after (net −7,114,505)
    expect(from.checks.map((c) => c.code)).toContain('SCENARIO.OVER_BUDGET');
    const d = impactDifference(from, to);
    expect(d.checks.cleared).toContain('SCENARIO.OVER_BUDGET');
    expect(impactDifference(to, from).checks.raised).toContain('SCENARIO.OVER_BUDGET');
    expect(impactDifference(to, to).checks).toEqual({ raised: [], cleared: [] });
  });
});
