import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impactItemArb } from './arbitraries.test-support';
import { analyzeImpact } from './impact';
import { changeLimitProblems, LIMIT_ROWS_LISTED, MAX_PRICE_FEN, type LimitRow } from './limits';

const row = (oldPriceFen: number, newPriceFen: number, quantity = 10, itemCode = 'A'): LimitRow => ({ itemCode, level: 3, oldPriceFen, newPriceFen, quantity });
const codes = (rows: LimitRow[], cap: number | null = 0.3) => changeLimitProblems(rows, cap).map((p) => p.code);

describe('limits of stored price changes (changeLimitProblems)', () => {
  it('the cap is exact at its edge: ±30% of 1000 fen is in, one fen more is out; a price of 0 before is over any cap', () => {
    expect(codes([row(1000, 1300), row(1000, 700), row(1000, 1000)])).toEqual([]);
    expect(codes([row(1000, 1301)])).toEqual(['SCENARIO.ITEM_OVER_CAP']);
    expect(codes([row(1000, 699)])).toEqual(['SCENARIO.ITEM_OVER_CAP']);
    expect(codes([row(0, 1)])).toEqual(['SCENARIO.ITEM_OVER_CAP']);
    expect(codes([row(0, 0)])).toEqual([]);
    // without a cap only the bounds apply
    expect(codes([row(1000, 999_999)], null)).toEqual([]);
  });

  it('refuses new prices beyond the bound or not integer fen, and revenue beyond the exact range', () => {
    expect(codes([row(1000, MAX_PRICE_FEN)], 10_000_000)).toEqual([]);
    expect(codes([row(1000, MAX_PRICE_FEN + 1)], null)).toEqual(['SCENARIO.PRICE_OUT_OF_RANGE']);
    expect(codes([row(1000, -1)], null)).toEqual(['SCENARIO.PRICE_OUT_OF_RANGE']);
    expect(codes([row(1000, 10.5)], null)).toEqual(['SCENARIO.PRICE_OUT_OF_RANGE']);
    expect(codes([row(1000, 2 ** 53)], null)).toEqual(['SCENARIO.PRICE_OUT_OF_RANGE']);
    // an unchanged price above the bound is the price in force: not the scenario's to refuse
    expect(codes([row(MAX_PRICE_FEN * 2, MAX_PRICE_FEN * 2)], null)).toEqual([]);
    // P × Q beyond 2⁵³ − 1 although the price is within the bound
    expect(codes([row(1000, MAX_PRICE_FEN, 10_000_000)], null)).toEqual(['SCENARIO.AMOUNT_OUT_OF_RANGE']);
  });

  it('counts every row, lists the first few with their change, and names the first in the message', () => {
    const rows = Array.from({ length: 25 }, (_, i) => row(1000, 2000 + i, 1, `X${i}`));
    const [p] = changeLimitProblems(rows, 0.3);
    expect(p).toMatchObject({ code: 'SCENARIO.ITEM_OVER_CAP', severity: 'error', count: 25 });
    expect(p.items).toHaveLength(LIMIT_ROWS_LISTED);
    expect(p.items[0]).toEqual({ itemCode: 'X0', level: 3, oldPriceFen: 1000, newPriceFen: 2000, changeRate: 1 });
    expect(p.messageZh).toBe('25条项目价格的变动幅度超过调价幅度上限30%（如项目 X0 三级：10.00 元 → 20.00 元）。');
  });

  it('flags exactly the rows the impact counts in SCENARIO.ITEM_OVER_CAP (one rule, overCap)', () => {
    fc.assert(
      fc.property(fc.array(impactItemArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 400 }), (items, capPct) => {
        const cap = capPct / 100;
        const impact = analyzeImpact(items, null, { changeCap: cap, itemShareFloor: 0 }).checks.find((c) => c.code === 'SCENARIO.ITEM_OVER_CAP');
        const mine = changeLimitProblems(items, cap).find((p) => p.code === 'SCENARIO.ITEM_OVER_CAP');
        expect(mine?.count ?? 0).toBe(impact?.items?.length ?? 0);
        expect(mine?.items.map((i) => `${i.itemCode}|${i.level}|${i.newPriceFen}`)).toEqual(
          impact?.items?.slice(0, LIMIT_ROWS_LISTED).map((i) => `${i.itemCode}|${i.level}|${items[i.index].newPriceFen}`),
        );
      }),
      { numRuns: 300 },
    );
  });
});
