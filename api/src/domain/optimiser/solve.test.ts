import fc from 'fast-check';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeImpact, type ImpactItem } from '../pricing';
import type { CategoryFamily, HospitalLevel } from '../reference';
import type { OptimiserItem, OptimiserSettings } from './model';
import { OPTIMISER_HIGHS_OPTIONS, optimisePrices, type LpSolver, type OptimalProposal, type OptimiserResult } from './solve';
import { A, B, C, D, E, item } from './fixtures.spec';

let solve: LpSolver;
let solveDefault: LpSolver;
beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const highs = await (require('highs') as () => Promise<Highs>)();
  solve = (lp) => highs.solve(lp, OPTIMISER_HIGHS_OPTIONS);
  solveDefault = (lp) => highs.solve(lp);
});

const base: OptimiserSettings = { totalFen: 10_000, changeCap: 0.3, itemShareFloor: 0 };

function optimal(r: OptimiserResult): OptimalProposal {
  if (r.status !== 'optimal') throw new Error(`expected optimal, got ${JSON.stringify(r)}`);
  return r;
}

const deltas = (r: OptimalProposal) => Object.fromEntries(r.changes.map((c) => [c.itemCode, [c.deltaFen, c.binding]]));

/** The pricing domain's own checks on the proposal. */
function impactOf(items: readonly OptimiserItem[], r: OptimalProposal, s: OptimiserSettings) {
  const rows: ImpactItem[] = items.map((it, i) => ({ ...it, newPriceFen: r.newPriceFen[i], fundShare: 0.52 }));
  return analyzeImpact(rows, s.totalFen, {
    changeCap: s.changeCap,
    itemShareFloor: s.itemShareFloor,
    labourRuleShare: s.labourRuleShare,
    labourItemThreshold: s.labourItemThreshold,
    catalogueItemCount: s.catalogueItemCount,
  });
}

describe('hand-checked optima', () => {
  it('total binding: cut the equipment item to its cap, raise by recovery gap until the total is used', () => {
    // Cut C by its cap 6000 fen × 5 = 30,000 → room 10,000 + 30,000 = 40,000.
    // A (gap 1) first: cap 300 fen × 100 = 30,000. B (gap 0.2): the remaining 10,000 ÷ 10 = 1000 fen (cost room 2000).
    const s = base;
    const r = optimal(optimisePrices([A, B, C], s, solve));
    expect(deltas(r)).toEqual({ A: [300, 'cap'], B: [1000, 'total'], C: [-6000, 'cap'] });
    expect(r.newPriceFen).toEqual([1300, 11000, 14000]);
    expect(r.summary).toMatchObject({ netFen: 10_000, grossUpFen: 40_000, grossDownFen: 30_000, labourUpFen: 40_000, labourShare: 1, upRowCount: 2, downRowCount: 1 });
    // objective: 0.9999 × 300 + 0.1999 × 100 + 0.4999 × 300 (元 × gap)
    expect(r.summary.objective).toBeCloseTo(299.97 + 19.99 + 149.97, 6);
    expect(r.binding.map((b) => [b.constraint, b.slackFen, b.rowCount])).toEqual([
      ['total', 0, null],
      ['cap', null, 2],
    ]);
    expect(r.binding[0].shadowPrice).toBeCloseTo(0.1999, 9); // the marginal item's gap − penalty
    expect(r.changes[0].reasonZh).toBe('成本回收率50%，技术劳务占比80%的技术劳务项目，上调30%至成本的65%（受调价幅度上限30%约束）');
    expect(r.changes[1].reasonZh).toBe('成本回收率83.3%，技术劳务占比70%的技术劳务项目，上调10%至成本的91.7%（调价总量已用尽，为边际项目）');
    expect(r.changes[2].reasonZh).toBe('成本回收率200%，设备物耗为主的项目，下调30%至成本的140%（受调价幅度上限30%约束）');
    const imp = impactOf([A, B, C], r, s);
    expect(imp.checks).toEqual([]);
    expect(imp.netFen).toBe(10_000);
  });

  it('labour rule binding: the mixed item rises only as far as 60% labour allows', () => {
    // Labour raises at most A 30,000 + B 20,000 (cost) = 50,000 → D ≤ 50,000 × 0.4 / 0.6 = 33,333.3 → 166 fen × 200.
    // Net 50,000 + 33,200 − 30,000 = 53,200 ≤ 100,000: the total does not bind.
    const s = { ...base, totalFen: 100_000 };
    const r = optimal(optimisePrices([A, B, C, D], s, solve));
    expect(deltas(r)).toEqual({ A: [300, 'cap'], B: [2000, 'cost'], C: [-6000, 'cap'], D: [166, 'labour_rule'] });
    expect(r.summary).toMatchObject({ netFen: 53_200, grossUpFen: 83_200, labourUpFen: 50_000 });
    expect(r.summary.labourShare).toBeCloseTo(50_000 / 83_200, 12);
    expect(r.binding.map((b) => b.constraint)).toEqual(['labour_rule', 'cap', 'cost']);
    expect(r.binding[0].slackFen).toBe(80); // 50,000 − 0.6 × 83,200 = 80 fen of room, less than one fen × 200
    expect(r.changes.find((c) => c.itemCode === 'B')?.reasonZh).toContain('上调20%至成本的100%（已调至成本）');
    expect(r.changes.find((c) => c.itemCode === 'D')?.reasonZh).toBe('成本回收率20%，综合类项目，上调16.6%至成本的23.3%（受技术劳务项目占上调金额60%以上的要求约束）');
    // every check passes; the mixed item D is raised without being labour-dominant, which the per-item screen names
    const checks = impactOf([A, B, C, D], r, s).checks;
    expect(checks.map((c) => [c.code, c.severity, c.items?.map((i) => i.itemCode)])).toEqual([['SCENARIO.RAISED_ITEM_LOW_LABOUR', 'warning', ['D']]]);
    // with the screen asked for, D stays where it is and no check is left
    const screened = optimal(optimisePrices([A, B, C, D], { ...s, raiseLabourItemsOnly: true }, solve));
    expect(deltas(screened)).toEqual({ A: [300, 'cap'], B: [2000, 'cost'], C: [-6000, 'cap'] });
    expect(impactOf([A, B, C, D], screened, s).checks).toEqual([]);
  });

  it('minimum net binding: the cut stops where the net reaches minNet', () => {
    // A rises 300 × 100 = 30,000; C may be cut only by 20,000 so that net ≥ 10,000 → 4000 fen × 5.
    const s = { ...base, totalFen: 100_000, minNetFen: 10_000 };
    const r = optimal(optimisePrices([A, C], s, solve));
    expect(deltas(r)).toEqual({ A: [300, 'cap'], C: [-4000, 'min_net'] });
    expect(r.summary.netFen).toBe(10_000);
    expect(r.binding.map((b) => [b.constraint, b.slackFen])).toEqual([
      ['min_net', 0],
      ['cap', null],
    ]);
    expect(r.changes[1].reasonZh).toContain('受最低净调价金额100.00元约束');
  });

  it('item-share floor: pre-selects the best unadjusted item and re-solves', () => {
    // First solve adjusts A, B, C (E, gap 0.1, gets nothing). Floor 100% of 4 items → E forced to ⌈1000 × 1%⌉ = 10 fen
    // (10,000), B keeps ≥ 100 fen (1000), A ≥ 10 fen; C still cut 30,000 → room 40,000: E 10,000 + B 1,000 + A 29,000.
    const s = { ...base, itemShareFloor: 1 };
    const r = optimal(optimisePrices([A, B, C, E], s, solve));
    expect(deltas(r)).toEqual({ A: [290, 'total'], B: [100, 'item_share_floor'], C: [-6000, 'cap'], E: [10, 'item_share_floor'] });
    expect(r.summary).toMatchObject({ netFen: 10_000, adjustedItemCount: 4, requiredItemCount: 4, floorForcedCount: 4, solves: 2 });
    expect(r.notesZh[0]).toContain('只调整了3项');
    expect(r.changes.find((c) => c.itemCode === 'E')?.reasonZh).toContain('为满足调价项目数比例下限100%而小幅调整');
    expect(impactOf([A, B, C, E], r, s).checks).toEqual([]);
  });

  it('rounding keeps the total: raises are rounded down, the leftover fen are topped up', () => {
    // Room 10,000 + 0 on items with Q = 3 and Q = 7: the LP optimum is fractional, whole fen must stay ≤ total.
    const P = item({ itemCode: 'P', oldPriceFen: 10_000, quantity: 3, unitCostFen: 30_000 });
    const Q = item({ itemCode: 'Q', oldPriceFen: 10_000, quantity: 7, unitCostFen: 20_000 });
    const s = { totalFen: 10_000, changeCap: 1, itemShareFloor: 0 };
    const r = optimal(optimisePrices([P, Q], s, solve));
    // P (gap 2) takes all: 10,000 / 3 = 3333.3 → 3333 fen = 9,999; the last fen cannot buy a whole fen of Q (7).
    expect(deltas(r)).toEqual({ P: [3333, 'total'] });
    expect(r.summary.netFen).toBe(9_999);
    expect(impactOf([P, Q], r, s).checks).toEqual([]);
  });

  it('HiGHS with its default options gives the same proposal', () => {
    const s = { ...base, totalFen: 100_000 };
    expect(optimal(optimisePrices([A, B, C, D], s, solveDefault)).newPriceFen).toEqual(optimal(optimisePrices([A, B, C, D], s, solve)).newPriceFen);
  });

  it('nothing to move: an empty proposal', () => {
    const r = optimal(optimisePrices([{ ...A, locked: true }], base, solve));
    expect(r.changes).toEqual([]);
    expect(r.summary.netFen).toBe(0);
    expect(r.notesZh).toEqual(['1条项目未参与优化：已锁定1条。']);
  });
});

describe('infeasible settings name the conflicting constraints', () => {
  it('minimum net above the total', () => {
    const r = optimisePrices([A, C], { ...base, minNetFen: 20_000 }, solve);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') return;
    expect(r.conflicts.map((c) => [c.constraint, c.relaxFen])).toEqual([
      ['total', 10_000],
      ['min_net', 10_000],
    ]);
    expect(r.messageZh).toBe('调价设置相互冲突，无法同时满足：调价总量、最低净调价金额。');
    expect(r.conflicts[0].messageZh).toBe('净调价金额不得超过调价总量100.00元；与其他约束相容至少需将调价总量提高100.00元。');
    expect(r.conflicts[1].messageZh).toBe('净调价金额不得低于200.00元；在其他约束下净调价最多为100.00元，差100.00元。');
  });

  it('labour rule impossible: only a non-labour item may rise but the net must grow', () => {
    const r = optimisePrices([{ ...A, locked: true }, D], { ...base, totalFen: 100_000, minNetFen: 10_000 }, solve);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') return;
    expect(r.conflicts.map((c) => c.constraint)).toEqual(['labour_rule', 'min_net']);
    // 0.6 × 10,000 fen of the gross raise should be on labour items, and none can rise
    expect(r.conflicts[0].relaxFen).toBe(6_000);
    expect(r.conflicts[0].messageZh).toContain('可上调的技术劳务项目上调空间合计0.00元');
    expect(r.conflicts[1].messageZh).toContain('净调价最多为0.00元');
  });

  it('a negative total beyond what the caps allow to cut', () => {
    const r = optimisePrices([A, C], { ...base, totalFen: -50_000 }, solve);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') return;
    expect(r.conflicts.map((c) => [c.constraint, c.relaxFen])).toEqual([
      ['total', 20_000],
      ['item_bounds', null],
    ]);
    expect(r.conflicts[1].messageZh).toBe('在单项限制下（调价幅度上限30%、降价不低于成本、上调不超过成本的100%），最多可上调300.00元（其中技术劳务项目300.00元），最多可下调300.00元。');
  });

  it('the item-share floor with too few movable items (no solve needed)', () => {
    const r = optimisePrices([A, C, { ...A, itemCode: 'NC', unitCostFen: null }], { ...base, itemShareFloor: 1 }, solve);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') return;
    expect(r.solves).toBe(0);
    expect(r.conflicts.map((c) => c.constraint)).toEqual(['item_share_floor', 'item_bounds']);
    expect(r.conflicts[0].messageZh).toBe('至少需调整3项（项目总数3项 × 100%），但在现有设置下只有2项可以调整。');
    expect(r.conflicts[1].messageZh).toContain('另有1条不可调整（缺少单位成本1条）');
  });

  it('the item-share floor whose forced steps do not fit in the total', () => {
    // A alone uses the total; forcing E (10 fen × 1000) and keeping A (10 fen × 100) needs 11,000 > 5,000.
    const r = optimisePrices([A, E], { ...base, totalFen: 5_000, itemShareFloor: 1 }, solve);
    expect(r.status).toBe('infeasible');
    if (r.status !== 'infeasible') return;
    expect(r.conflicts.map((c) => [c.constraint, c.relaxFen])).toEqual([
      ['total', 6_000],
      ['item_share_floor', null],
    ]);
    expect(r.conflicts[1].messageZh).toContain('最小调幅（原价的1%，至少1分）与其他约束冲突');
  });
});

describe('the injected solver', () => {
  it('a non-optimal, non-infeasible status is reported, not thrown', () => {
    const stub: LpSolver = () => ({ Status: 'Time limit reached', Columns: {}, Rows: [] });
    expect(optimisePrices([A, C], base, stub)).toEqual({ status: 'error', solverStatus: 'Time limit reached', messageZh: '线性规划求解未得到最优解（求解器状态：Time limit reached）。' });
    let calls = 0;
    const failLater: LpSolver = () => (calls++ === 0 ? { Status: 'Infeasible', Columns: {}, Rows: [] } : { Status: 'Unknown', Columns: {}, Rows: [] });
    expect(optimisePrices([A, C], { ...base, minNetFen: 1 }, failLater)).toMatchObject({ status: 'error', solverStatus: 'Unknown' });
  });

  it('receives CPLEX-LP text with named rows', () => {
    const seen: string[] = [];
    optimisePrices([A, C], { ...base, minNetFen: 0 }, (lp) => {
      seen.push(lp);
      return solve(lp);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^Maximize\n obj: .*\nSubject To\n total: .*\n min_net: .*\nBounds\n/s);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property: for random small instances the proposal never violates total, caps, cost limits, labour rule, floor, minNet

const CATS: [string, CategoryFamily][] = [
  ['nursing', 'labour'],
  ['surgery', 'labour'],
  ['clinical', 'mixed'],
  ['lab', 'equipment'],
  ['imaging', 'equipment'],
];

const itemArb: fc.Arbitrary<OptimiserItem> = fc
  .record({
    code: fc.integer({ min: 0, max: 6 }),
    cat: fc.integer({ min: 0, max: CATS.length - 1 }),
    level: fc.constantFrom<HospitalLevel>(3, 2, 1),
    old: fc.integer({ min: 0, max: 50_000 }),
    costPct: fc.integer({ min: 20, max: 400 }),
    hasCost: fc.integer({ min: 0, max: 3 }).map((k) => k > 0),
    quantity: fc.integer({ min: 0, max: 5_000 }),
    labour: fc.option(fc.constantFrom(0.2, 0.5, 0.6, 0.65, 0.9), { nil: null }),
    locked: fc.boolean(),
  })
  .map((x) => ({
    itemCode: `I${x.code}`,
    name: `项目${x.code}`,
    categoryCode: CATS[x.cat][0],
    family: CATS[x.cat][1],
    level: x.level,
    oldPriceFen: x.old,
    quantity: x.quantity,
    unitCostFen: x.hasCost ? Math.round((x.old * x.costPct) / 100) : null,
    labourShare: x.labour,
    locked: x.locked && x.code === 0,
  }));

const settingsArb: fc.Arbitrary<OptimiserSettings> = fc.record({
  totalFen: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 5_000_000 }), weight: 4 }, { arbitrary: fc.integer({ min: -1_000_000, max: 0 }), weight: 1 }),
  changeCap: fc.constantFrom(0.1, 0.25, 0.3, 0.5, 1),
  itemShareFloor: fc.constantFrom(0, 0, 0, 0.2, 0.5),
  labourRuleShare: fc.constantFrom(0.6, 0.6, 0.5, 0.8),
  targetRecovery: fc.constantFrom(1, 1, 0.85, 1.1),
  allowCutsOn: fc.constantFrom<CategoryFamily[]>(['equipment'], ['equipment', 'mixed']),
  noRaiseOn: fc.constantFrom<CategoryFamily[]>(['equipment'], []),
  minNetFen: fc.option(fc.integer({ min: -2_000_000, max: 1_000_000 }), { nil: null, freq: 2 }),
});

describe('property: every constraint holds on the proposal', () => {
  it('total, caps, no cut below cost, no raise above the target, labour rule, floor, minNet', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 8 }), settingsArb, (items, s) => {
        const r = optimisePrices(items, s, solve);
        if (r.status !== 'optimal') {
          expect(r.status).toBe('infeasible');
          if (r.status === 'infeasible') expect(r.conflicts.length).toBeGreaterThan(0);
          return;
        }
        const imp = impactOf(items, r, s);
        const codes = imp.checks.map((c) => c.code);
        expect(codes).not.toContain('SCENARIO.OVER_BUDGET');
        expect(codes).not.toContain('SCENARIO.ITEM_OVER_CAP');
        expect(codes).not.toContain('SCENARIO.ITEM_SHARE_UNDER_FLOOR');
        expect(codes).not.toContain('SCENARIO.LABOUR_RULE_MISSED');
        expect(codes).not.toContain('SCENARIO.CUT_BELOW_COST');
        if (s.noRaiseOn?.includes('equipment')) expect(codes).not.toContain('SCENARIO.EQUIPMENT_RAISED');
        expect(imp.netFen).toBe(r.summary.netFen);
        if (s.minNetFen != null) expect(r.summary.netFen).toBeGreaterThanOrEqual(s.minNetFen);
        items.forEach((it, i) => {
          const p1 = r.newPriceFen[i];
          expect(Number.isSafeInteger(p1)).toBe(true);
          if (p1 === it.oldPriceFen) return;
          expect(it.locked).toBeFalsy();
          const c = it.unitCostFen ?? 0;
          expect(c).toBeGreaterThan(0);
          if (p1 < it.oldPriceFen) expect(p1).toBeGreaterThanOrEqual(c);
          else expect(p1 * 100).toBeLessThanOrEqual(c * Math.round((s.targetRecovery ?? 1) * 100));
        });
      }),
      { numRuns: 400 },
    );
  });
});
