import { describe, expect, it } from 'vitest';
import { changeSummary } from './change-summary';

describe('changeSummary (what a write did to a change list, for the audit trail)', () => {
  const before = [
    { itemCode: 'A', level: 3, oldPriceFen: 1000, newPriceFen: 1200, reason: null },
    { itemCode: 'A', level: 2, oldPriceFen: 800, newPriceFen: 900, reason: '劳务' },
    { itemCode: 'B', level: 3, oldPriceFen: 500, newPriceFen: 450, reason: null },
    { itemCode: 'D', level: 1, oldPriceFen: 300, newPriceFen: 330, reason: null },
  ];
  const after = [
    { itemCode: 'D', level: 1, oldPriceFen: 300, newPriceFen: 330, reason: null }, // alike
    { itemCode: 'A', level: 2, oldPriceFen: 800, newPriceFen: 900, reason: '技术劳务' }, // reason only
    { itemCode: 'A', level: 3, oldPriceFen: 1000, newPriceFen: 1300, reason: null }, // +100 more
    { itemCode: 'C', level: 1, oldPriceFen: 200, newPriceFen: 260, reason: null }, // added, +60
  ]; // B3 (−50) removed
  const volume: Record<string, number> = { 'A|3': 10, 'A|2': 7, 'B|3': 4, 'C|1': 3, 'D|1': 100 };
  const quantity = (c: string, l: number) => volume[`${c}|${l}`] ?? 0;

  it('counts rows added, removed, re-priced and re-worded and the net ΔP·Q the write added (hand-computed)', () => {
    const s = changeSummary(before, after, { quantity });
    expect(s).toMatchObject({ added: 1, removed: 1, repriced: 1, reworded: 1, omitted: 0 });
    // A3: (300 − 200) × 10 = 1,000; C1: +60 × 3 = 180; B3 removed: −(−50 × 4) = +200 → 1,380
    expect(s.netDeltaFen).toBe(1380);
    expect(s.rows.map((r) => `${r.itemCode}${r.level}:${r.kind}`)).toEqual(['A3:changed', 'A2:reason', 'B3:removed', 'C1:added']);
    expect(s.rows[0]).toEqual({ itemCode: 'A', level: 3, kind: 'changed', from: { oldPriceFen: 1000, newPriceFen: 1200, reason: null }, to: { oldPriceFen: 1000, newPriceFen: 1300, reason: null } });
  });

  it('has no net without volumes, nothing for an unchanged list, and lists at most `limit` rows', () => {
    expect(changeSummary(before, after).netDeltaFen).toBeNull();
    expect(changeSummary(after, [...after].reverse(), { quantity })).toEqual({ added: 0, removed: 0, repriced: 0, reworded: 0, netDeltaFen: 0, rows: [], omitted: 0 });
    const many = Array.from({ length: 10_000 }, (_, i) => ({ itemCode: `X${String(i).padStart(5, '0')}`, level: 3, oldPriceFen: 100, newPriceFen: 110, reason: null }));
    const s = changeSummary([], many, { quantity: () => 2 });
    expect(s).toMatchObject({ added: 10_000, omitted: 9_950, netDeltaFen: 200_000 });
    expect(s.rows).toHaveLength(50);
    expect(s.rows[0].itemCode).toBe('X00000');
    expect(changeSummary(many, [], { limit: 3 })).toMatchObject({ removed: 10_000, omitted: 9_997 });
  });

  it('summarises a PATCH from the touched rows only: a set row that was absent is added, a removed one that existed is removed', () => {
    const s = changeSummary([{ itemCode: 'B', level: 3, oldPriceFen: 500, newPriceFen: 450, reason: null }], [{ itemCode: 'E', level: 2, oldPriceFen: 100, newPriceFen: 120, reason: null }], { quantity });
    expect(s).toMatchObject({ added: 1, removed: 1, repriced: 0, netDeltaFen: 200 });
  });
});
