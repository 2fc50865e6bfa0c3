import { describe, expect, it } from 'vitest';
import { CATEGORIES, categoryOfLegacyCode, INDICATORS } from './reference';

describe('categoryOfLegacyCode', () => {
  it.each([
    ['110200001', 'general'],
    ['120100001', 'nursing'],
    ['120200001', 'general'],
    ['210300001', 'imaging'],
    ['220301001', 'ultrasound'],
    ['250102035', 'lab'],
    ['270100001', 'pathology'],
    ['310701001', 'clinical'],
    ['331003001', 'surgery'],
    ['340200001', 'rehab'],
    ['410000001', 'tcm'],
    ['110900001a', 'general'],
    ['AAAA0001', null],
  ])('%s → %s', (code, cat) => {
    expect(categoryOfLegacyCode(code)).toBe(cat);
  });

  it('maps only onto known categories, and codes are unique', () => {
    const codes = new Set(CATEGORIES.map((c) => c.code));
    expect(codes.size).toBe(CATEGORIES.length);
    for (const c of ['1', '21', '22', '23', '24', '25', '26', '27', '31', '32', '33', '34', '4']) {
      expect(codes.has(categoryOfLegacyCode(c.padEnd(9, '0'))!)).toBe(true);
    }
    expect(new Set(INDICATORS.map((i) => i.code)).size).toBe(INDICATORS.length);
  });
});
