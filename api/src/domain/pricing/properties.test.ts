/**
 * Property tests (fast-check) of the identities of DOMAIN.md §4 on random scenarios.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder } from './allocation';
import { impactItemArb } from './arbitraries.test-support';
import { analyzeImpact } from './impact';
import { impactColumns, mergeImpactGroups, summarizeImpactBy, summarizeImpactByIndex, withPrices } from './impact-groups';
import { indexPrice } from './indexation';
import * as R from '../rational';
import { scaleToTarget, type ScalingItem } from './scaling';
import { computeAdjustmentTotal, type TotalConfig } from './total';

const itemArb = impactItemArb;

const scenarioArb = fc.array(itemArb, { minLength: 0, maxLength: 60 });

describe('impact identities', () => {
  it('Σ_up − Σ_down = net; fund + out-of-pocket = net exactly; groups add up', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: -1e9, max: 1e9 }), (items, total) => {
        const r = analyzeImpact(items, total, { changeCap: 0.3, itemShareFloor: 0.2 });
        let up = 0;
        let down = 0;
        for (const it of items) {
          const a = (it.newPriceFen - it.oldPriceFen) * it.quantity;
          if (a > 0) up += a;
          else down -= a;
        }
        expect(r.grossUpFen).toBe(up);
        expect(r.grossDownFen).toBe(down);
        expect(r.grossUpFen - r.grossDownFen).toBe(r.netFen);
        expect(r.fundFen + r.outOfPocketFen).toBe(r.netFen);
        expect(Number.isInteger(r.fundFen)).toBe(true);
        // fund is the sum of per-row rounded parts: each within ½ fen of ΔP·Q·s
        for (const groups of [r.byCategory, r.byLevel, summarizeImpactBy(items, (it) => it.itemCode)]) {
          expect(groups.reduce((a, g) => a + g.netFen, 0)).toBe(r.netFen);
          expect(groups.reduce((a, g) => a + g.fundFen, 0)).toBe(r.fundFen);
          for (const g of groups) expect(g.fundFen + g.outOfPocketFen).toBe(g.netFen);
        }
        expect(r.newRevenueFen - r.baseRevenueFen).toBe(r.netFen);
      }),
      { numRuns: 300 },
    );
  });

  it('grouping entries (a row at a group\'s own volume) by index equals grouping the expanded rows', () => {
    const entryArb = fc.array(fc.record({ row: fc.nat(), group: fc.integer({ min: 0, max: 4 }), quantity: fc.integer({ min: 0, max: 50_000 }) }), { maxLength: 80 });
    fc.assert(
      fc.property(scenarioArb, entryArb, (items, raw) => {
        const entries = items.length ? raw.map((e) => ({ ...e, row: e.row % items.length })) : [];
        const keys = ['甲医院', '乙医院', '丙医院', '丁医院', '戊医院'];
        const expanded = entries.map((e) => ({ ...items[e.row], quantity: e.quantity, group: keys[e.group] }));
        const expected = summarizeImpactBy(expanded, (it) => (it as (typeof expanded)[number]).group).sort((a, b) => keys.indexOf(a.key) - keys.indexOf(b.key));
        const got = summarizeImpactByIndex(items, {
          row: Int32Array.from(entries, (e) => e.row), quantity: Float64Array.from(entries, (e) => e.quantity), group: Int32Array.from(entries, (e) => e.group),
        }, keys);
        expect(got).toEqual(expected);
        // the same from columns: built from the rows, or from the unchanged rows with the changed prices put in place
        const ent = { row: Int32Array.from(entries, (e) => e.row), quantity: Float64Array.from(entries, (e) => e.quantity), group: Int32Array.from(entries, (e) => e.group) };
        expect(summarizeImpactByIndex(impactColumns(items), ent, keys)).toEqual(expected);
        const unchanged = items.map((it) => ({ ...it, newPriceFen: it.oldPriceFen, oldPriceFen: it.oldPriceFen + 1 }));
        const changedIdx = items.map((_, i) => i).filter((i) => i % 2 === 0 || items[i].newPriceFen !== items[i].oldPriceFen);
        const patched = items.map((it, i) => (changedIdx.includes(i) ? it : unchanged[i]));
        const expectedPatched = summarizeImpactByIndex(patched, ent, keys);
        expect(summarizeImpactByIndex(withPrices(impactColumns(unchanged), patched, changedIdx), ent, keys)).toEqual(expectedPatched);
        // hospitals 甲乙 and 丙丁戊 as two types: merged groups equal grouping the rows by type directly
        const typeOf = (k: string) => (k === '甲医院' || k === '乙医院' ? '综合' : '专科');
        const byType = summarizeImpactBy(expanded, (it) => typeOf((it as (typeof expanded)[number]).group));
        const merged = mergeImpactGroups(got, (g) => typeOf(g.key));
        expect([...merged].sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([...byType].sort((a, b) => (a.key < b.key ? -1 : 1)));
      }),
      { numRuns: 200 },
    );
  });

  it('net ≤ total ⇔ no SCENARIO.OVER_BUDGET', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: -1e8, max: 1e8 }), (items, total) => {
        const r = analyzeImpact(items, total, { changeCap: 0.3, itemShareFloor: 0 });
        const flagged = r.checks.some((c) => c.code === 'SCENARIO.OVER_BUDGET');
        expect(r.netFen <= total).toBe(!flagged);
        expect(r.withinTotal).toBe(!flagged);
        expect(r.overByFen).toBe(Math.max(0, r.netFen - total));
      }),
      { numRuns: 300 },
    );
  });

  it('every |ΔP/P⁰| ≤ cap ⇔ no SCENARIO.ITEM_OVER_CAP (cap in whole percent, checked in integers)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 400 }), (items, capPct) => {
        const r = analyzeImpact(items, 0, { changeCap: capPct / 100, itemShareFloor: 0 });
        const over = items.filter((it) => Math.abs(it.newPriceFen - it.oldPriceFen) * 100 > it.oldPriceFen * capPct);
        const check = r.checks.find((c) => c.code === 'SCENARIO.ITEM_OVER_CAP');
        expect(check === undefined).toBe(over.length === 0);
        expect(check?.items?.length ?? 0).toBe(over.length);
      }),
      { numRuns: 300 },
    );
  });

  it('adjusted-item share under the floor ⇔ SCENARIO.ITEM_SHARE_UNDER_FLOOR', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 100 }), (items, floorPct) => {
        const r = analyzeImpact(items, 0, { changeCap: 10, itemShareFloor: floorPct / 100 });
        const flagged = r.checks.some((c) => c.code === 'SCENARIO.ITEM_SHARE_UNDER_FLOOR');
        expect(flagged).toBe(r.adjustedItemCount * 100 < r.itemCount * floorPct);
      }),
      { numRuns: 200 },
    );
  });
});

describe('scaling', () => {
  const proposalArb = fc.array(
    fc
      .record({ old: fc.integer({ min: 5_000, max: 100_000 }), pct: fc.integer({ min: -30, max: 30 }), q: fc.integer({ min: 1, max: 200 }) })
      .map((x): ScalingItem => ({ oldPriceFen: x.old, newPriceFen: x.old + Math.trunc((x.old * x.pct) / 100), quantity: x.q })),
    { minLength: 1, maxLength: 40 },
  );

  it('after scaling to an achievable target T, net = T exactly', () => {
    fc.assert(
      fc.property(proposalArb, fc.double({ min: 0, max: 3, noNaN: true }), (items, f) => {
        const net = items.reduce((a, it) => a + (it.newPriceFen - it.oldPriceFen) * it.quantity, 0);
        let g = 0;
        for (const it of items) if (it.newPriceFen !== it.oldPriceFen) g = R.gcdInt(g, it.quantity);
        fc.pre(net !== 0 && g > 0);
        // an achievable target of the same sign: a multiple of gcd near f × net
        const T = Math.round((net * f) / g) * g + 0;
        const r = scaleToTarget(items, T);
        expect(r.status).toBe('exact');
        expect(r.achievedNetFen).toBe(T);
        const achieved = r.rows.reduce((a, x) => a + x.deltaFen * x.quantity, 0);
        expect(achieved).toBe(T);
        for (const row of r.rows) {
          expect(row.newPriceFen).toBeGreaterThanOrEqual(0);
          if (!row.scaled) expect(row.newPriceFen).toBe(row.proposedPriceFen);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any target: exact iff gcd divides it (no price pushed to 0), otherwise the gap is reported', () => {
    fc.assert(
      fc.property(proposalArb, fc.integer({ min: 0, max: 2_000_000 }), (items, T) => {
        const net = items.reduce((a, it) => a + (it.newPriceFen - it.oldPriceFen) * it.quantity, 0);
        fc.pre(net > 0);
        const r = scaleToTarget(items, T);
        expect(r.achievedNetFen + r.gapFen).toBe(T);
        expect(r.rows.reduce((a, x) => a + x.deltaFen * x.quantity, 0)).toBe(r.achievedNetFen);
        const divisible = T % r.quantityGcd === 0;
        if (!divisible) expect(r.status).toBe('not-divisible');
        // with f ≤ 3 and changes within ±30% of prices ≥ 50元 no price reaches 0, and a divisible target is met
        if (divisible && T <= 3 * net) expect(r.status).toBe('exact');
        if (divisible && r.status !== 'exact') expect(r.status).toBe('blocked-at-zero');
      }),
      { numRuns: 500 },
    );
  });

  it("scope 'increases' never touches cuts and 'prices' reaches R₀ + T", () => {
    fc.assert(
      fc.property(proposalArb, fc.integer({ min: -50_000, max: 50_000 }), (items, T) => {
        const inc = scaleToTarget(items, T, { scope: 'increases' });
        for (const row of inc.rows) if (row.proposedDeltaFen <= 0) expect(row.newPriceFen).toBe(row.proposedPriceFen);
        expect(inc.achievedNetFen + inc.gapFen).toBe(T);
        const pr = scaleToTarget(items, T, { scope: 'prices' });
        if (pr.status === 'exact') expect(pr.rows.reduce((a, x) => a + x.deltaFen * x.quantity, 0)).toBe(T);
      }),
      { numRuns: 200 },
    );
  });
});

describe('allocation and total', () => {
  it('largest-remainder parts sum to the total and stay within 1 fen of the exact quota', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 50 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = largestRemainder(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const W = BigInt(weights.reduce((a, b) => a + b, 0));
          parts.forEach((p, i) => {
            const diff = BigInt(p) * W - BigInt(total) * BigInt(weights[i]); // (part − quota) × W
            expect(diff < W && diff > -W).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the waterfall steps sum to the total, and a capped total is affordable', () => {
    const cfgArb = fc.record({
      price: fc.integer({ min: 1, max: 100_000 }),
      q: fc.integer({ min: 0, max: 1_000_000 }),
      growth: fc.integer({ min: -500, max: 2000 }),
      target: fc.integer({ min: 0, max: 2000 }),
      actual: fc.integer({ min: 0, max: 3000 }),
      spending: fc.integer({ min: 0, max: 1e12 }),
      alpha: fc.integer({ min: 0, max: 100 }),
      savings: fc.integer({ min: 0, max: 1e10 }),
      cuts: fc.integer({ min: 0, max: 1e10 }),
      share: fc.integer({ min: 1, max: 100 }),
      current: fc.integer({ min: -1e10, max: 1e11 }),
      accumulated: fc.integer({ min: -1e10, max: 1e12 }),
      annual: fc.integer({ min: 1, max: 1e12 }),
      months: fc.integer({ min: 0, max: 12 }),
    });
    fc.assert(
      fc.property(cfgArb, (c) => {
        const config: TotalConfig = {
          growth: { from: 'gdp', value: c.growth / 10_000, cap: 0.08 },
          costControl: { targetGrowth: c.target / 10_000, actualGrowth: c.actual / 10_000, baseSpendingFen: c.spending },
          procurement: { alpha: c.alpha / 100, savingsFen: c.savings },
          selfFinancing: { cutsFen: c.cuts },
          fundCap: { fundShare: c.share / 100, currentBalanceFen: c.current, accumulatedBalanceFen: c.accumulated, annualSpendingFen: c.annual, minReserveMonths: c.months },
        };
        const r = computeAdjustmentTotal({ baseItems: [{ itemCode: 'A', level: 3, priceFen: c.price, quantity: c.q }], config });
        const summed = r.steps.filter((s) => s.kind === 'component' || s.kind === 'cap').reduce((a, s) => a + s.amountFen, 0);
        expect(summed).toBe(r.totalFen);
        expect(r.steps.at(-1)!.amountFen).toBe(r.totalFen);
        expect(r.totalFen).toBeLessThanOrEqual(r.maxIncreaseFen!);
        if (r.totalFen > 0) {
          // fund increase at the total keeps the current balance ≥ 0 and the reserve ≥ minimum (exact in integers)
          const dF = R.toSafeInt(R.roundHalfAway(R.mul(R.fromInt(r.totalFen), R.fromDecimal(c.share / 100))));
          expect(c.current - dF).toBeGreaterThanOrEqual(0);
          expect(12 * (c.accumulated - dF) >= c.months * (c.annual + dF)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('indexed prices are within ½ fen of old × (1 + g)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: -5000, max: 5000 }), (old, bp) => {
        const g = bp / 10_000;
        const p = indexPrice(old, g);
        // |p − old(1 + g)| ≤ ½  ⇔  |2·p·10000 − 2·old·(10000 + bp)| ≤ 10000
        expect(Math.abs(2 * p * 10_000 - 2 * old * (10_000 + bp))).toBeLessThanOrEqual(10_000);
      }),
      { numRuns: 300 },
    );
  });
});
