import { describe, expect, it } from 'vitest';
import { StretchCheck } from './rows';

/** Rows as [institution id, item id, year, month, quantity]; the suspects as "institution:year", sorted. */
function suspects(rows: [number, number, number, number, number][], maxKeys = 1000): string[] {
  const c = new StretchCheck(maxKeys);
  for (const [inst, item, year, month, q] of rows) expect(c.add(inst, item, year, month, q)).toBe(0);
  return c.suspects().map((s) => `${s.inst}:${s.year}`).sort();
}

describe('the stretch check of large-file mode', () => {
  // three institutions × two items × two years, whole-year rows
  const grid = (order: 'year-first' | 'institution-first') => {
    const rows: [number, number, number, number, number][] = [];
    for (const a of [0, 1]) {
      for (const inst of [0, 1, 2]) {
        const year = order === 'year-first' ? 2020 + a : 0;
        for (const b of [0, 1]) {
          for (const item of [0, 1]) {
            if (order === 'year-first') {
              if (b === 0) rows.push([inst, item, year, 0, 5]);
            } else if (a === 0) rows.push([inst, item, 2020 + b, 0, 5]);
          }
        }
      }
    }
    return rows;
  };

  it('clears files grouped by year then institution, or by institution', () => {
    expect(grid('year-first')).toHaveLength(12);
    expect(suspects(grid('year-first'))).toEqual([]);
    expect(grid('institution-first')).toHaveLength(12);
    expect(suspects(grid('institution-first'))).toEqual([]);
  });

  it('suspects an institution-year whose rows come back after another institution\'s, not its neighbours', () => {
    expect(suspects([[0, 0, 2020, 1, 5], [1, 0, 2020, 1, 5], [0, 1, 2020, 1, 5], [0, 0, 2021, 1, 5]])).toEqual(['0:2020']);
  });

  it('suspects the repeated periods and the sums beyond 2^53 the aggregate refuses, within a stretch', () => {
    // the same month twice; a whole year beside months (either way round); months of one key: fine
    expect(suspects([[0, 0, 2020, 1, 5], [0, 0, 2020, 1, 6], [0, 1, 2020, 2, 1]])).toEqual(['0:2020']);
    expect(suspects([[0, 0, 2020, 1, 5], [0, 0, 2020, 0, 6], [1, 0, 2020, 0, 1], [1, 0, 2020, 3, 1], [2, 0, 2020, 1, 1], [2, 0, 2020, 2, 1]]))
      .toEqual(['0:2020', '1:2020']);
    expect(suspects([[0, 0, 2020, 1, 2 ** 52], [0, 0, 2020, 2, 2 ** 52], [1, 0, 2020, 1, 2 ** 52], [1, 0, 2020, 2, 2 ** 52 - 1]])).toEqual(['0:2020']);
  });

  it('cuts a stretch at its most keys: the institution-year it cuts through, and any that comes back, are suspects', () => {
    // institution 0: items 0–2 of 2020, then 2021; at most 2 keys a stretch: cut before (item 2, 2020)
    expect(suspects([[0, 0, 2020, 0, 1], [0, 1, 2020, 0, 1], [0, 2, 2020, 0, 1], [0, 0, 2021, 0, 1]], 2)).toEqual(['0:2020']);
    expect(suspects([[0, 0, 2020, 0, 1], [0, 1, 2021, 0, 1], [0, 2, 2022, 0, 1], [0, 3, 2020, 0, 1]], 2)).toEqual(['0:2020']);
    // a repeated key after a cut is only found by SQL: its institution-year is a suspect already
    expect(suspects([[0, 0, 2020, 1, 1], [0, 1, 2020, 1, 1], [0, 2, 2020, 1, 1], [0, 0, 2020, 1, 1]], 2)).toEqual(['0:2020']);
  });
});
