import { describe, expect, it } from 'vitest';
import { changedFields } from './changed-fields';

describe('changedFields (the audit record of an update)', () => {
  it('keeps only the fields that change, and of params only the keys that change (added, removed or moved)', () => {
    const cur = { name: '2025年调价', year: 2025, effectiveDate: null, params: { changeCap: 0.3, growth: 0.05, fundCap: 0.02 } };
    const next = { name: '2025年调价', year: 2026, effectiveDate: '2026-01-01', params: { growth: 0.05, changeCap: 0.2, itemShareFloor: 0.1 } };
    expect(changedFields(cur, next)).toEqual({
      before: { year: 2025, effectiveDate: null, params: { changeCap: 0.3, itemShareFloor: null, fundCap: 0.02 } },
      after: { year: 2026, effectiveDate: '2026-01-01', params: { changeCap: 0.2, itemShareFloor: 0.1, fundCap: null } },
    });
  });

  it('is empty when nothing changes, whatever the order of keys', () => {
    expect(changedFields({ params: { a: 1, b: { x: 1, y: 2 } } }, { params: { b: { y: 2, x: 1 }, a: 1 } })).toEqual({ before: {}, after: {} });
  });
});
