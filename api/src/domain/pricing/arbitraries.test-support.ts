/**
 * Random scenario rows for the property tests of the impact and of the forecast (fast-check): items of a few
 * categories of each family, a price and its change (−90 % … +300 %, plus a few fen), a volume and a fund share.
 */
import fc from 'fast-check';
import type { CategoryFamily, HospitalLevel } from '../reference';
import type { ImpactItem } from './impact';

export const CATS: [string, CategoryFamily][] = [
  ['nursing', 'labour'],
  ['surgery', 'labour'],
  ['clinical', 'mixed'],
  ['lab', 'equipment'],
  ['imaging', 'equipment'],
];
export const SHARES = [0, 0.5, 0.52, 0.64, 0.7, 0.74, 1, 0.333];

export const impactItemArb: fc.Arbitrary<ImpactItem> = fc
  .record({
    code: fc.integer({ min: 0, max: 30 }),
    cat: fc.integer({ min: 0, max: CATS.length - 1 }),
    level: fc.constantFrom<HospitalLevel>(3, 2, 1),
    old: fc.integer({ min: 0, max: 200_000 }),
    pct: fc.integer({ min: -90, max: 300 }),
    plus: fc.integer({ min: -50, max: 50 }),
    quantity: fc.integer({ min: 0, max: 100_000 }),
    share: fc.constantFrom(...SHARES),
    cost: fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null }),
    labour: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  })
  .map((x) => ({
    itemCode: `I${x.code}`,
    name: `项目${x.code}`,
    categoryCode: CATS[x.cat][0],
    family: CATS[x.cat][1],
    level: x.level,
    oldPriceFen: x.old,
    newPriceFen: Math.max(0, x.old + Math.trunc((x.old * x.pct) / 100) + x.plus),
    quantity: x.quantity,
    fundShare: x.share,
    unitCostFen: x.cost,
    labourShare: x.labour,
  }));
