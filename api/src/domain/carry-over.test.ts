import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carryOverNote, carryOverPrice, type CarryOverSource } from './carry-over';

const src = (code: string, priceFen: number | null, volume: number | null): CarryOverSource => ({ code, priceFen, volume });

describe('carryOverPrice', () => {
  it('takes the volume-weighted average of the old prices', () => {
    // (70.00×300 + 60.00×100) / 400 = 67.50元
    const r = carryOverPrice([src('220301001', 7000, 300), src('220301002', 6000, 100)]);
    expect(r.priceFen).toBe(6750);
    expect(r.method).toBe('weighted');
    expect(r.basis).toEqual(['220301001', '220301002']);
    expect(r.totalVolume).toBe(400);
    expect(r.flags).toEqual([]);
    expect(carryOverNote(r)).toBe('');
  });

  it('rounds half away from zero to whole fen', () => {
    // (1000×1 + 1001×1) / 2 = 1000.5 → 1001
    expect(carryOverPrice([src('a', 1000, 1), src('b', 1001, 1)]).priceFen).toBe(1001);
    // (1000×2 + 1001×1) / 3 = 1000.33… → 1000
    expect(carryOverPrice([src('a', 1000, 2), src('b', 1001, 1)]).priceFen).toBe(1000);
    // (1000×1 + 1001×2) / 3 = 1000.67 → 1001
    expect(carryOverPrice([src('a', 1000, 1), src('b', 1001, 2)]).priceFen).toBe(1001);
    // 舌针 4.00元×1200, 鼻针 3.50元×500, 腹针 6.00元×300: (480000 + 175000 + 180000) / 2000 = 417.5 → 418
    expect(carryOverPrice([src('430000020x', 400, 1200), src('430000021x', 350, 500), src('430000022x', 600, 300)]).priceFen).toBe(418);
  });

  it('reports a guideline item without any mapped old item', () => {
    const r = carryOverPrice([]);
    expect(r).toMatchObject({ priceFen: null, method: 'none', flags: ['no-mapping'] });
    expect(carryOverNote(r)).toBe('无映射的原项目');
  });

  it('falls back to the simple average when no mapped item has a volume, and says so', () => {
    // (1500 + 1200 + 1001) / 3 = 1233.67 → 1234
    const r = carryOverPrice([src('a', 1500, null), src('b', 1200, 0), src('c', 1001, null)]);
    expect(r.priceFen).toBe(1234);
    expect(r.method).toBe('simple-average');
    expect(r.flags).toEqual(['no-volume']);
    expect(r.withoutVolume).toEqual(['a', 'b', 'c']);
    expect(carryOverNote(r)).toBe('原项目均无基期服务量，按简单平均');
  });

  it('gives a priced item without volume zero weight next to items with volume', () => {
    const r = carryOverPrice([src('a', 1000, 10), src('b', 9000, null)]);
    expect(r.priceFen).toBe(1000);
    expect(r.method).toBe('weighted');
    expect(r.withoutVolume).toEqual(['b']);
    expect(carryOverNote(r)).toBe('无服务量（权重为0）：b');
  });

  it('leaves out mapped items without a price at the level and lists them', () => {
    // 120100016x is not priced (e.g. not offered at 一级); its volume does not count
    const r = carryOverPrice([src('120100002', 15000, 20), src('120100016x', null, 999), src('120100003', 5000, 80)]);
    expect(r.priceFen).toBe(7000); // (15000×20 + 5000×80) / 100
    expect(r.unpriced).toEqual(['120100016x']);
    expect(r.flags).toEqual(['unpriced']);
    expect(carryOverNote(r)).toBe('无价格未计入：120100016x');
  });

  it('has no price when none of the mapped items is priced at the level', () => {
    const r = carryOverPrice([src('a', null, 5), src('b', null, null)]);
    expect(r).toMatchObject({ priceFen: null, method: 'none', unpriced: ['a', 'b'], flags: ['no-price', 'unpriced'] });
  });

  it('counts a code listed twice once', () => {
    expect(carryOverPrice([src('a', 1000, 1), src('a', 1000, 1), src('b', 2000, 1)]).priceFen).toBe(1500);
  });

  it('stays exact beyond 2^53 (large volumes × prices)', () => {
    // Σ P·Q = 1e7×1e9 + 2e7×1e9 = 3e16 > 2^53; Σ Q = 2e9 → 1.5e7
    expect(carryOverPrice([src('a', 10_000_000, 1_000_000_000), src('b', 20_000_000, 1_000_000_000)]).priceFen).toBe(15_000_000);
    expect(carryOverPrice([src('a', 10_000_001, 1_000_000_000), src('b', 20_000_000, 1_000_000_000)]).priceFen).toBe(15_000_001);
  });

  it('rejects negative or fractional inputs', () => {
    expect(() => carryOverPrice([src('a', -1, 1)])).toThrow(RangeError);
    expect(() => carryOverPrice([src('a', 1, -1)])).toThrow(RangeError);
    expect(() => carryOverPrice([src('a', 1.5, 1)])).toThrow(RangeError);
  });

  describe('properties', () => {
    const source = fc.record({
      code: fc.string({ minLength: 1, maxLength: 4 }),
      priceFen: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
      volume: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }),
    });
    const sources = fc.uniqueArray(source, { minLength: 1, maxLength: 12, selector: (s) => s.code });

    it('lies between the lowest and the highest old price', () => {
      fc.assert(
        fc.property(sources, (list) => {
          const r = carryOverPrice(list);
          const prices = list.filter((s) => s.priceFen !== null).map((s) => s.priceFen!);
          if (prices.length === 0) return r.priceFen === null;
          return r.priceFen !== null && r.priceFen >= Math.min(...prices) && r.priceFen <= Math.max(...prices);
        }),
      );
    });

    it('equal old prices carry over unchanged, whatever the volumes', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null }), { minLength: 1, maxLength: 10 }), (p, vols) => {
          const r = carryOverPrice(vols.map((v, i) => src(`c${i}`, p, v)));
          return r.priceFen === p;
        }),
      );
    });

    it('does not depend on the order of the old items, nor on a common scale of the volumes', () => {
      fc.assert(
        fc.property(sources, fc.integer({ min: 1, max: 1000 }), (list, k) => {
          const base = carryOverPrice(list).priceFen;
          const reversed = carryOverPrice([...list].reverse()).priceFen;
          const scaled = carryOverPrice(list.map((s) => ({ ...s, volume: s.volume === null ? null : s.volume * k }))).priceFen;
          return base === reversed && base === scaled;
        }),
      );
    });
  });
});
