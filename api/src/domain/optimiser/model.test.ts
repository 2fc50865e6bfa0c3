import { describe, expect, it } from 'vitest';
import { buildLp, ceilTimes, floorTimes, isLabourDominant, prepareModel, wideVars, type OptimiserItem } from './model';
import { fromDecimal } from '../pricing';
import { A, B, C, D, item } from './fixtures.spec';

describe('exact helpers', () => {
  it('floor and ceil of an integer times a decimal', () => {
    expect(floorTimes(1000, fromDecimal(0.3))).toBe(300);
    expect(floorTimes(999, fromDecimal(0.3))).toBe(299); // 299.7
    expect(ceilTimes(999, fromDecimal(0.01))).toBe(10); // 9.99
    expect(ceilTimes(1000, fromDecimal(0.01))).toBe(10);
    expect(floorTimes(12345, fromDecimal(0.85))).toBe(10493); // 10493.25
  });

  it('labour dominance follows analyzeImpact', () => {
    expect(isLabourDominant({ labourShare: 0.61, family: 'equipment' }, 0.6)).toBe(true);
    expect(isLabourDominant({ labourShare: 0.6, family: 'labour' }, 0.6)).toBe(false);
    expect(isLabourDominant({ labourShare: null, family: 'labour' }, 0.6)).toBe(true);
    expect(isLabourDominant({ family: 'mixed' }, 0.6)).toBe(false);
  });
});

describe('prepareModel: columns, bounds and weights', () => {
  const m = prepareModel([A, B, C, D], { totalFen: 10_000, changeCap: 0.3, itemShareFloor: 0 });

  it('one column per movable row, bounded by the tighter of cap and cost', () => {
    expect(m.vars.map((v) => [v.name, v.row, v.dir, v.upperFen, v.bound, v.labour])).toEqual([
      ['x1', 0, 'up', 300, 'cap', true], // cap 300 < cost room 1000
      ['x2', 1, 'up', 2000, 'cost', true], // cost room 2000 < cap 3000
      ['x3', 2, 'down', 6000, 'cap', false], // cap 6000 < 20000 − 10000
      ['x4', 3, 'up', 300, 'cap', false], // mixed, under cost: may rise
    ]);
    expect(m.vars.map((v) => v.gap)).toEqual([1, 0.2, 0.5, 4]);
    // (gap − 0.0001) × Q / 100
    expect(m.vars[0].objective).toBeCloseTo(0.9999, 12);
    expect(m.vars[2].objective).toBeCloseTo(0.024995, 12);
    expect(m.capacity).toEqual({ upFen: 30_000 + 20_000 + 60_000, labourUpFen: 50_000, downFen: 30_000 });
    expect(m.lpRows).toEqual(['total', 'labour_rule']);
  });

  it('the LP text: named rows in 元, safe column names, bounds', () => {
    const lp = buildLp(m).text;
    expect(lp).toContain('Maximize\n obj: + 0.9999 x1 + 0.01999 x2 + 0.024995 x3 + 7.9998 x4');
    expect(lp).toContain(' total: + 1 x1 + 0.1 x2 - 0.05 x3 + 2 x4 <= 100');
    // (1 − 0.6)·Q/100 on labour raises, −0.6·Q/100 on the others
    expect(lp).toContain(' labour_rule: + 0.4 x1 + 0.04 x2 - 1.2 x4 >= 0');
    expect(lp).toContain('Bounds\n x1 <= 300\n x2 <= 2000\n x3 <= 6000\n x4 <= 300\nEnd');
    expect(lp).not.toContain('min_net');
  });

  it('min_net, lower bounds and an elastic row', () => {
    const m2 = prepareModel([A, C], { totalFen: 100_000, changeCap: 0.3, itemShareFloor: 0, minNetFen: 10_000 });
    expect(m2.lpRows).toEqual(['total', 'min_net']); // no non-labour raise: the labour rule cannot bind
    const lp = buildLp(m2, { lowerBounds: new Map([[0, 10]]), elastic: 'min_net' });
    expect(lp.elasticName).toBe('e1');
    expect(lp.text).toContain('Minimize\n obj: e1');
    expect(lp.text).toContain(' min_net: + 1 x1 - 0.05 x2 + e1 >= 100');
    expect(lp.text).toContain(' 10 <= x1 <= 300');
  });

  it('long rows are split over lines (linear-time join)', () => {
    const many = Array.from({ length: 20 }, (_, i) => item({ itemCode: `N${i}`, oldPriceFen: 100, quantity: 1, unitCostFen: 200 }));
    const lp = buildLp(prepareModel(many, { totalFen: 0, changeCap: 0.5, itemShareFloor: 0 })).text;
    const totalLines = lp.slice(lp.indexOf(' total:'), lp.indexOf('Bounds')).trim().split('\n');
    expect(totalLines).toHaveLength(3);
  });
});

describe('prepareModel: rows that cannot move', () => {
  it('says why', () => {
    const rows: OptimiserItem[] = [
      { ...A, itemCode: 'L', locked: true },
      { ...A, itemCode: 'Q0', quantity: 0 },
      { ...A, itemCode: 'P0', oldPriceFen: 0 },
      { ...A, itemCode: 'NC', unitCostFen: null },
      { ...A, itemCode: 'CAP', oldPriceFen: 3, unitCostFen: 10 }, // ⌊3 × 0.3⌋ = 0
      { ...C, itemCode: 'EQ-UNDER', unitCostFen: 30000 }, // equipment under cost: no raise
      { ...A, itemCode: 'LAB-OVER', unitCostFen: 500 }, // labour over cost: no cut by default
      { ...A, itemCode: 'AT', unitCostFen: 1000 },
      { ...A, itemCode: 'TINY', oldPriceFen: 100000, unitCostFen: 100005 }, // gap 0.00005 < penalty
    ];
    const m = prepareModel(rows, { totalFen: 0, changeCap: 0.3, itemShareFloor: 0 });
    expect(m.rows.map((r) => r.fixedReason)).toEqual(['locked', 'no_volume', 'zero_price', 'no_cost', 'cap_zero', 'no_raise_family', 'no_cut_family', 'at_target', 'gap_too_small']);
    expect(m.vars).toEqual([]);
    expect(m.lpRows).toEqual([]);
    expect(() => buildLp(m)).toThrow(RangeError);
  });

  it('target recovery below 1 stops raises earlier; allowCutsOn and noRaiseOn switch directions', () => {
    const m = prepareModel([A, B, { ...A, itemCode: 'LAB-OVER', unitCostFen: 500 }], {
      totalFen: 0,
      changeCap: 0.5,
      itemShareFloor: 0,
      targetRecovery: 0.85,
      allowCutsOn: ['labour', 'equipment'],
    });
    // A: ⌊2000 × 0.85⌋ − 1000 = 700 > cap 500; B: ⌊12000 × 0.85⌋ = 10200 − 10000 = 200; LAB-OVER: cut to cost 500
    expect(m.vars.map((v) => [v.row, v.dir, v.upperFen, v.bound])).toEqual([
      [0, 'up', 500, 'cap'],
      [1, 'up', 200, 'cost'],
      [2, 'down', 500, 'cost'],
    ]);
    const none = prepareModel([C], { totalFen: 0, changeCap: 0.3, itemShareFloor: 0, allowCutsOn: [] });
    expect(none.rows[0].fixedReason).toBe('no_cut_family');
  });

  it('raises only labour-dominant rows when asked (the per-item technical-labour screen)', () => {
    // D (mixed, no share) and a labour-family row with share 0.5 are under cost; A (0.8) and B (0.7) are labour-dominant
    const half = { ...A, itemCode: 'H', labourShare: 0.5 };
    const free = prepareModel([A, B, D, half], { totalFen: 1e9, changeCap: 0.3, itemShareFloor: 0 });
    expect(free.rows.map((r) => r.direction)).toEqual(['up', 'up', 'up', 'up']);
    const screened = prepareModel([A, B, D, half], { totalFen: 1e9, changeCap: 0.3, itemShareFloor: 0, raiseLabourItemsOnly: true });
    expect(screened.rows.map((r) => [r.direction, r.fixedReason])).toEqual([['up', null], ['up', null], [null, 'not_labour_item'], [null, 'not_labour_item']]);
    expect(wideVars(screened).map((v) => v.row)).toEqual([0, 1]);
  });

  it('the item-share floor counts distinct item codes', () => {
    const m = prepareModel([A, { ...A, level: 2 }, C, { ...C, itemCode: 'NC', unitCostFen: null }], { totalFen: 0, changeCap: 0.3, itemShareFloor: 0.5 });
    expect(m.itemCount).toBe(3);
    expect(m.requiredItems).toBe(2);
    expect(m.movableItemCount).toBe(2);
  });

  it('wide columns lift the per-row limits but keep locks and directions', () => {
    const m = prepareModel([A, C, { ...A, itemCode: 'L', locked: true }, { ...A, itemCode: 'NC', unitCostFen: null }], { totalFen: 0, changeCap: 0.3, itemShareFloor: 0 });
    expect(wideVars(m).map((v) => [v.row, v.dir, v.upperFen])).toEqual([
      [0, 'up', 10_000],
      [1, 'down', 20_000],
      [3, 'up', 10_000],
    ]);
  });

  it('rejects bad input', () => {
    expect(() => prepareModel([{ ...A, oldPriceFen: 1.5 }], { totalFen: 0, changeCap: 0.3, itemShareFloor: 0 })).toThrow(/oldPriceFen/);
    expect(() => prepareModel([A], { totalFen: 0.5, changeCap: 0.3, itemShareFloor: 0 })).toThrow(/totalFen/);
    expect(() => prepareModel([A], { totalFen: 0, changeCap: -1, itemShareFloor: 0 })).toThrow(/changeCap/);
    expect(() => prepareModel([A], { totalFen: 0, changeCap: 0.3, itemShareFloor: 2 })).toThrow(/itemShareFloor/);
    expect(() => prepareModel([A], { totalFen: 0, changeCap: 0.3, itemShareFloor: 0, targetRecovery: 0 })).toThrow(/targetRecovery/);
  });
});
