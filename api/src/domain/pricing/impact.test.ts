import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogram, quantile, selectInPlace } from '../stats';
import { analyzeImpact, FUND_SHARE_BY_LEVEL_DEMO, rowFundFen, type ImpactItem, type ImpactParams } from './impact';
import { summarizeImpactBy } from './impact-groups';
import { serviceRevenueShare } from './service-share';

// Three rows in the shape of the 北京 2017 round (护理 7→26元, 阑尾切除 234→560元, CT 180→135元), computed by hand:
//   1 一级护理  三级  700 → 2600 fen,  Q 1000, s 0.52: ΔP·Q = +1,900,000; fund = 988,000
//   2 阑尾切除术 二级 23400 → 56005,   Q 301,  s 0.64: ΔP·Q = 32,605 × 301 = +9,814,105; fund = 6,281,027.2 → 6,281,027
//   3 CT平扫    三级 18000 → 13495,   Q 2001, s 0.52: ΔP·Q = −4,505 × 2001 = −9,014,505; fund = −4,687,542.6 → −4,687,543
//   gross up = 11,714,105; gross down = 9,014,505; net = 2,699,600
//   fund = 988,000 + 6,281,027 − 4,687,543 = 2,581,484; out-of-pocket = 2,699,600 − 2,581,484 = 118,116
const rows: ImpactItem[] = [
  { itemCode: '120100002', name: '一级护理', categoryCode: 'nursing', family: 'labour', level: 3, oldPriceFen: 700, newPriceFen: 2600, quantity: 1000, fundShare: 0.52, unitCostFen: 3000, labourShare: 0.8 },
  { itemCode: '331003001', name: '阑尾切除术', categoryCode: 'surgery', family: 'labour', level: 2, oldPriceFen: 23400, newPriceFen: 56005, quantity: 301, fundShare: 0.64, unitCostFen: 70000, labourShare: 0.7 },
  { itemCode: '210300001', name: 'X线计算机体层(CT)平扫', categoryCode: 'imaging', family: 'equipment', level: 3, oldPriceFen: 18000, newPriceFen: 13495, quantity: 2001, fundShare: 0.52, unitCostFen: 9000, labourShare: 0.2 },
];
const params: ImpactParams = { changeCap: 3, itemShareFloor: 0.5 };
const codes = (r: ReturnType<typeof analyzeImpact>) => r.checks.map((c) => c.code);

describe('scenario impact: the 3-row hand example', () => {
  const r = analyzeImpact(rows, 3_000_000, params);

  it('gross, net and the total', () => {
    expect(r.grossUpFen).toBe(11_714_105);
    expect(r.grossDownFen).toBe(9_014_505);
    expect(r.netFen).toBe(2_699_600);
    expect(r.withinTotal).toBe(true);
    expect(r.overByFen).toBe(0);
    expect(r.baseRevenueFen).toBe(700_000 + 7_043_400 + 36_018_000);
    expect(r.newRevenueFen).toBe(r.baseRevenueFen + r.netFen);
  });

  it('without a total the net stands in for it, and without a cap no row is over one', () => {
    // the 阑尾切除术 row rises 139% (23400 → 56005), over a 30% cap; the net 2,699,600 is over a total of 1,000,000
    const capped = analyzeImpact(rows, 1_000_000, { ...params, changeCap: 0.3 });
    expect(codes(capped)).toEqual(expect.arrayContaining(['SCENARIO.OVER_BUDGET', 'SCENARIO.ITEM_OVER_CAP']));
    expect(capped.overByFen).toBe(1_699_600);
    const open = analyzeImpact(rows, null, { ...params, changeCap: null });
    expect(codes(open)).not.toContain('SCENARIO.OVER_BUDGET');
    expect(codes(open)).not.toContain('SCENARIO.ITEM_OVER_CAP');
    expect(open.totalFen).toBe(2_699_600);
    expect(open.withinTotal).toBe(true);
    expect(open.netFen).toBe(2_699_600);
  });

  it('names every raised item that is not labour-dominant, with its share and where the share came from', () => {
    // raised: 护理 0.8 (labour), CT 0.2 from the item list, 换药 exactly 0.6 from cost data (≤ threshold: named),
    // 综合诊疗 without a share in the mixed family (the category decides: named); the cut CT row at level 2 is not named
    const more: ImpactItem[] = [
      rows[0],
      { ...rows[2], newPriceFen: 19_000, labourShareSource: 'item' },
      { ...rows[2], level: 2, newPriceFen: 17_000 },
      { itemCode: '120400001', name: '换药', categoryCode: 'general', family: 'labour', level: 3, oldPriceFen: 1000, newPriceFen: 1100, quantity: 10, fundShare: 0.52, unitCostFen: 1500, labourShare: 0.6, labourShareSource: 'cost' },
      { itemCode: '310000001', name: '综合诊疗', categoryCode: 'clinical', family: 'mixed', level: 3, oldPriceFen: 1000, newPriceFen: 1050, quantity: 10, fundShare: 0.52, unitCostFen: null, labourShare: null },
    ];
    const r = analyzeImpact(more, null, { ...params, labourItemThreshold: 0.6 });
    const check = r.checks.find((c) => c.code === 'SCENARIO.RAISED_ITEM_LOW_LABOUR')!;
    expect(check.severity).toBe('warning');
    expect(check.items!.map((i) => [i.itemCode, i.level, i.value, i.source])).toEqual([
      ['210300001', 3, 0.2, 'item'],
      ['120400001', 3, 0.6, 'cost'],
      ['310000001', 3, null, 'category'],
    ]);
    expect(check.messageZh).toBe('3条上调项目的技术劳务占比不高于60%（其中1条无成本数据，按所属类别判断为非技术劳务类），上调应以技术劳务为主的项目为先。');
    // a lower threshold (a round parameter) clears 换药 and CT stays named
    const lower = analyzeImpact(more, null, { ...params, labourItemThreshold: 0.5 });
    expect(lower.checks.find((c) => c.code === 'SCENARIO.RAISED_ITEM_LOW_LABOUR')!.items!.map((i) => i.itemCode)).toEqual(['210300001', '310000001']);
    // the hand example raises only labour items: no such check
    expect(codes(r)).toContain('SCENARIO.RAISED_ITEM_LOW_LABOUR');
    expect(codes(analyzeImpact(rows, 3_000_000, params))).not.toContain('SCENARIO.RAISED_ITEM_LOW_LABOUR');
  });

  it('fund and out-of-pocket, rounded per row, add up to the net exactly', () => {
    expect(r.fundFen).toBe(2_581_484);
    expect(r.outOfPocketFen).toBe(118_116);
    expect(rowFundFen(rows[1])).toBe(6_281_027);
    expect(rowFundFen(rows[2])).toBe(-4_687_543);
  });

  it('by level and by category', () => {
    // 三级: 1,900,000 − 9,014,505 = −7,114,505; fund 988,000 − 4,687,543 = −3,699,543; OOP −3,414,962
    expect(r.byLevel.map((g) => [g.key, g.labelZh, g.netFen, g.fundFen, g.outOfPocketFen])).toEqual([
      ['3', '三级', -7_114_505, -3_699_543, -3_414_962],
      ['2', '二级', 9_814_105, 6_281_027, 3_533_078],
    ]);
    // display order of the category list: nursing, surgery, imaging
    expect(r.byCategory.map((g) => [g.key, g.labelZh, g.upCount, g.downCount, g.netFen])).toEqual([
      ['nursing', '护理', 1, 0, 1_900_000],
      ['surgery', '手术治疗', 1, 0, 9_814_105],
      ['imaging', '医学影像', 0, 1, -9_014_505],
    ]);
  });

  it('technical-labour share: both raised rows are labour-dominant', () => {
    expect(r.labour.labourUpFen).toBe(11_714_105);
    expect(r.labour.share).toBe(1);
    expect(r.labour.imputedCount).toBe(0);
    // labour rows' revenue: before 700,000 + 7,043,400; after 2,600,000 + 16,857,505
    expect(r.labour.revenueShareBefore).toBeCloseTo(7_743_400 / 43_761_400, 15);
    expect(r.labour.revenueShareAfter).toBeCloseTo(19_457_505 / 46_461_000, 15);
  });

  it('cost-recovery distribution before and after', () => {
    // before: 700/3000 = 0.2333, 23400/70000 = 0.3343, 18000/9000 = 2
    expect(r.recovery.before.count).toBe(3);
    expect(r.recovery.before.median).toBeCloseTo(23400 / 70000, 15);
    expect(r.recovery.before.min).toBeCloseTo(700 / 3000, 15);
    expect(r.recovery.before.max).toBe(2);
    expect(r.recovery.before.belowCostCount).toBe(2);
    expect(r.recovery.before.aggregateRate).toBeCloseTo(43_761_400 / 42_079_000, 15);
    expect(r.recovery.before.histogram.map((b) => b.count)).toEqual([2, 0, 0, 0, 0, 0, 1]);
    expect(r.recovery.before.histogram.map((b) => b.labelZh)).toEqual(['<50%', '50%–80%', '80%–100%', '100%–120%', '120%–150%', '150%–200%', '≥200%']);
    // after: 2600/3000 = 0.8667, 56005/70000 = 0.80007, 13495/9000 = 1.4994
    expect(r.recovery.after.median).toBeCloseTo(2600 / 3000, 15);
    expect(r.recovery.after.histogram.map((b) => b.count)).toEqual([0, 0, 2, 0, 1, 0, 0]);
    expect(r.recovery.after.belowCostCount).toBe(2);
  });

  it('item counts and no checks fire', () => {
    expect(r).toMatchObject({ rowCount: 3, changedRowCount: 3, upRowCount: 2, downRowCount: 1, itemCount: 3, adjustedItemCount: 3, minAdjustedItems: 2 });
    expect(r.checks).toEqual([]);
  });
});

describe('scenario checks', () => {
  it('SCENARIO.OVER_BUDGET exactly when net > total', () => {
    expect(codes(analyzeImpact(rows, 2_699_600, params))).not.toContain('SCENARIO.OVER_BUDGET');
    const r = analyzeImpact(rows, 2_699_599, params);
    expect(r.withinTotal).toBe(false);
    expect(r.overByFen).toBe(1);
    const c = r.checks.find((x) => x.code === 'SCENARIO.OVER_BUDGET')!;
    expect(c.severity).toBe('error');
    expect(c.messageZh).toBe('净调价金额2.70万元超出调价总量2.70万元，超出0.01元。');
  });

  it('SCENARIO.ITEM_OVER_CAP lists every row over the cap', () => {
    // cap 30%: 护理 +271% and 阑尾 +139% are over; CT −25% is not
    const r = analyzeImpact(rows, 3_000_000, { ...params, changeCap: 0.3 });
    const c = r.checks.find((x) => x.code === 'SCENARIO.ITEM_OVER_CAP')!;
    expect(c.severity).toBe('error');
    expect(c.items!.map((i) => i.itemCode)).toEqual(['120100002', '331003001']);
    expect(c.items![0].value).toBeCloseTo(1900 / 700, 15);
    expect(c.messageZh).toBe('2条项目价格的变动幅度超过调价幅度上限30%。');
    // exactly at the cap is allowed: 1000 → 1300 with cap 0.3
    const at = (p: number) => analyzeImpact([{ ...rows[0], oldPriceFen: 1000, newPriceFen: p }], 1e9, { ...params, changeCap: 0.3 });
    expect(codes(at(1300))).not.toContain('SCENARIO.ITEM_OVER_CAP');
    expect(codes(at(1301))).toContain('SCENARIO.ITEM_OVER_CAP');
    expect(codes(at(700))).not.toContain('SCENARIO.ITEM_OVER_CAP');
    expect(codes(at(699))).toContain('SCENARIO.ITEM_OVER_CAP');
  });

  it('SCENARIO.ITEM_SHARE_UNDER_FLOOR against the catalogue size', () => {
    // 3 adjusted of 10: floor 30% needs 3, floor 31% needs ⌈3.1⌉ = 4
    expect(codes(analyzeImpact(rows, 3_000_000, { ...params, itemShareFloor: 0.3, catalogueItemCount: 10 }))).not.toContain('SCENARIO.ITEM_SHARE_UNDER_FLOOR');
    const r = analyzeImpact(rows, 3_000_000, { ...params, itemShareFloor: 0.31, catalogueItemCount: 10 });
    const c = r.checks.find((x) => x.code === 'SCENARIO.ITEM_SHARE_UNDER_FLOOR')!;
    expect(c.messageZh).toBe('调价项目3项，占项目总数10项的30%，低于调价项目数比例下限31%（至少需4项）。');
  });

  it('an item counts once across its level rows', () => {
    const twoLevels = [rows[0], { ...rows[0], level: 2 as const, newPriceFen: 700 }, rows[2]];
    const r = analyzeImpact(twoLevels, 1e9, params);
    expect(r.itemCount).toBe(2);
    expect(r.adjustedItemCount).toBe(2);
    expect(r.changedRowCount).toBe(2);
  });

  it('SCENARIO.LABOUR_RULE_MISSED when labour-dominant rows take < 60% of the raise', () => {
    // 阑尾 labourShare 0.6 is not > 0.6: labour up = 1,900,000 ÷ 11,714,105 = 16.22%
    const r = analyzeImpact([rows[0], { ...rows[1], labourShare: 0.6 }, rows[2]], 3_000_000, params);
    expect(r.labour.share).toBeCloseTo(1_900_000 / 11_714_105, 15);
    const c = r.checks.find((x) => x.code === 'SCENARIO.LABOUR_RULE_MISSED')!;
    expect(c.severity).toBe('warning');
    expect(c.messageZh).toBe('技术劳务占比超过60%的项目占上调金额的16.22%，低于60%的要求。');
    // nothing raised → the rule does not apply
    expect(codes(analyzeImpact([rows[2]], 0, params))).not.toContain('SCENARIO.LABOUR_RULE_MISSED');
  });

  it('falls back to the category family when labourShare is missing', () => {
    const r = analyzeImpact([{ ...rows[0], labourShare: null }, { ...rows[1], labourShare: undefined }, rows[2]], 3_000_000, params);
    expect(r.labour.imputedCount).toBe(2);
    expect(r.labour.share).toBe(1);
  });

  it('SCENARIO.CUT_BELOW_COST when a cut ends below unit cost', () => {
    const cut = (p: number) => analyzeImpact([{ ...rows[2], newPriceFen: p }], 1e9, params);
    expect(codes(cut(9000))).not.toContain('SCENARIO.CUT_BELOW_COST');
    const c = cut(8999).checks.find((x) => x.code === 'SCENARIO.CUT_BELOW_COST')!;
    expect(c.severity).toBe('warning');
    expect(c.items![0].value).toBeCloseTo(8999 / 9000, 15);
    // a raise below cost is not a cut
    expect(codes(analyzeImpact([rows[0]], 1e9, params))).not.toContain('SCENARIO.CUT_BELOW_COST');
  });

  it('SCENARIO.EQUIPMENT_RAISED when an equipment-family row goes up', () => {
    const r = analyzeImpact([{ ...rows[2], newPriceFen: 18001 }], 1e9, params);
    const c = r.checks.find((x) => x.code === 'SCENARIO.EQUIPMENT_RAISED')!;
    expect(c.severity).toBe('warning');
    expect(c.items!.map((i) => i.itemCode)).toEqual(['210300001']);
  });

  it('rounds each row fund half away from zero: ΔP·Q = ±1 at s = 0.5 → ±1', () => {
    const one = { ...rows[0], oldPriceFen: 100, newPriceFen: 101, quantity: 1, fundShare: 0.5 };
    const r = analyzeImpact([one, { ...one, itemCode: 'b', oldPriceFen: 101, newPriceFen: 100 }], 0, params);
    expect(r.netFen).toBe(0);
    expect(r.fundFen).toBe(0); // +1 and −1
    expect(rowFundFen(one)).toBe(1);
    // 45 × 0.7 = 31.5 → 32 (a float product would give 31)
    expect(rowFundFen({ oldPriceFen: 0, newPriceFen: 45, quantity: 1, fundShare: 0.7 })).toBe(32);
  });

  it('rejects invalid rows', () => {
    expect(() => analyzeImpact([{ ...rows[0], newPriceFen: 1.5 }], 0, params)).toThrow(RangeError);
    expect(() => analyzeImpact([{ ...rows[0], fundShare: 1.1 }], 0, params)).toThrow(RangeError);
    expect(() => analyzeImpact([{ ...rows[0], quantity: -1 }], 0, params)).toThrow(RangeError);
  });
});

describe('grouping helpers and statistics', () => {
  it('summarizes by any key with the same rounding as the scenario', () => {
    const byShare = summarizeImpactBy(rows, (it) => `s=${it.fundShare}`);
    expect(byShare.map((g) => [g.key, g.netFen, g.fundFen])).toEqual([
      ['s=0.52', -7_114_505, -3_699_543],
      ['s=0.64', 9_814_105, 6_281_027],
    ]);
    const total = analyzeImpact(rows, 0, params);
    expect(byShare.reduce((a, g) => a + g.fundFen, 0)).toBe(total.fundFen);
  });

  it('quantile interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('selects order statistics in place as a full sort would place them (ties, duplicates, any order)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 300 }), fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), (xs, raw) => {
        const a = Float64Array.from(xs, (x) => x / 4);
        const sorted = a.slice().sort();
        const ks = [...new Set(raw.map((k) => k % a.length))].sort((x, y) => x - y);
        selectInPlace(a, ks);
        for (const k of ks) expect(a[k]).toBe(sorted[k]);
        expect(a.slice().sort()).toEqual(sorted); // a permutation
      }),
      { numRuns: 500 },
    );
  });

  it('recovery quantiles equal quantile() of the sorted rates', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ p: fc.integer({ min: 0, max: 5000 }), c: fc.integer({ min: 1, max: 5000 }) }), { minLength: 1, maxLength: 200 }), (xs) => {
        const items: ImpactItem[] = xs.map((x, i) => ({
          itemCode: `I${i}`, name: 'x', categoryCode: 'lab', family: 'equipment', level: 3, oldPriceFen: x.p, newPriceFen: x.p, quantity: 1, fundShare: 0.5, unitCostFen: x.c,
        }));
        const d = analyzeImpact(items, 0, { changeCap: 0.3, itemShareFloor: 0 }).recovery.before;
        const sorted = xs.map((x) => x.p / x.c).sort((a, b) => a - b);
        expect([d.min, d.p10, d.p25, d.median, d.p75, d.p90, d.max]).toEqual([sorted[0], ...[0.1, 0.25, 0.5, 0.75, 0.9].map((p) => quantile(sorted, p)), sorted[sorted.length - 1]]);
      }),
      { numRuns: 300 },
    );
  });

  it('histogram bins are [from, to)', () => {
    expect(histogram([0.5, 0.79, 0.8, 1, 2, 3], [0.8, 1]).map((b) => b.count)).toEqual([2, 1, 3]);
  });

  it('demo fund shares follow DOMAIN §8', () => {
    expect(FUND_SHARE_BY_LEVEL_DEMO).toEqual({ 3: 0.52, 2: 0.64, 1: 0.74 });
  });
});

describe('at scale (timing lives in npm run bench -- engine)', () => {
  it('keeps the identities on 10,000 changed rows', () => {
    const items: ImpactItem[] = [];
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 10_000; i++) {
      const old = 100 + Math.floor(rnd() * 100_000);
      items.push({
        itemCode: `I${i % 4000}`,
        name: `项目${i}`,
        categoryCode: ['nursing', 'surgery', 'lab', 'imaging'][i % 4],
        family: (['labour', 'labour', 'equipment', 'equipment'] as const)[i % 4],
        level: ([3, 2, 1] as const)[i % 3],
        oldPriceFen: old,
        newPriceFen: old + Math.floor((rnd() - 0.5) * old * 0.6) || old + 1,
        quantity: Math.floor(rnd() * 50_000),
        fundShare: [0.52, 0.64, 0.74][i % 3],
        unitCostFen: 100 + Math.floor(rnd() * 100_000),
        labourShare: rnd(),
      });
    }
    const r = analyzeImpact(items, 1e12, params);
    expect(r.netFen).toBe(r.grossUpFen - r.grossDownFen);
    expect(r.fundFen + r.outOfPocketFen).toBe(r.netFen);
  });
});

describe('serviceRevenueShare (医疗服务收入占比)', () => {
  // A, B service rows (100 × 10, 50 × 4: S0 = 1200), C an exam row (200 × 3: E0 = 600); A → 120, C → 150
  const cols = { oldFen: Float64Array.from([100, 50, 200]), newFen: Float64Array.from([120, 50, 150]) };
  const quantity = [10, 4, 3];
  const examLab = [0, 0, 1];

  it('infers medical revenue from the share before and moves the share by the net changes', () => {
    // M0 = 1200 / 0.3 = 4000; ΔS = 20 × 10 = 200, ΔE = −50 × 3 = −150; after = 1400 / 4050
    expect(serviceRevenueShare(cols, quantity, examLab, [0, 2], 0.3)).toEqual({
      before: 0.3,
      after: 1400 / 4050,
      serviceRevenueFen: 1200,
      examLabRevenueFen: 600,
      impliedMedicalRevenueFen: 4000,
      deltaServiceFen: 200,
      deltaExamLabFen: -150,
    });
  });

  it('is null without a positive share before or service revenue', () => {
    expect(serviceRevenueShare(cols, quantity, examLab, [0, 2], 0)).toBeNull();
    expect(serviceRevenueShare(cols, quantity, [1, 1, 1], [0, 2], 0.3)).toBeNull();
  });
});
